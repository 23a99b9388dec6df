"""direct-clock in SQL: the database clock in .sql files and in SQL inside code, never in DDL defaults."""

from __future__ import annotations

from typing import Any

from pytest import MonkeyPatch

from guardrails.testing import run
from tests.test_direct_clock import flagged
from tests.test_sql_shared_extraction import counted_extractions

QUERIES = """-- NOW() in a comment is not a read
CREATE TABLE sales (
  id BIGINT PRIMARY KEY,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME(6) DEFAULT NOW(6) ON UPDATE CURRENT_TIMESTAMP(6)
);
ALTER TABLE sales ALTER COLUMN ends_at SET DEFAULT (NOW());
SELECT id FROM sales WHERE ends_at > NOW() AND note <> 'NOW()';
UPDATE sales SET closed_on = CURDATE(), closed_at = CURRENT_TIMESTAMP WHERE ends_at < SYSDATE();
INSERT INTO log (at, epoch, other) VALUES (UTC_TIMESTAMP(), UNIX_TIMESTAMP(), UNIX_TIMESTAMP('2024-01-01'));
"""


def test_sql_file_reads_with_exact_positions_and_no_ddl_defaults() -> None:
    assert flagged({"db/queries.sql": QUERIES}) == [
        ("db/queries.sql", 8, 38, "NOW()"),
        ("db/queries.sql", 9, 30, "CURDATE()"),
        ("db/queries.sql", 9, 53, "CURRENT_TIMESTAMP"),
        ("db/queries.sql", 9, 87, "SYSDATE()"),
        ("db/queries.sql", 10, 44, "UTC_TIMESTAMP()"),
        ("db/queries.sql", 10, 61, "UNIX_TIMESTAMP()"),
    ]


def test_sql_inside_go_and_python_strings_points_into_the_file() -> None:
    go = (
        "package sale\n\nfunc Open(db *sql.DB) {\n"
        '\tlog.Printf("query with NOW() failed")\n'
        "\tdb.Query(`SELECT id\n\t\tFROM sales\n\t\tWHERE ends_at > NOW()`)\n}\n"
    )
    py = 'def f(cur):\n    cur.execute(\n        "UPDATE t SET seen = "\n        "CURRENT_TIMESTAMP WHERE id = %s", (1,)\n    )\n'
    findings = run(
        {"sale/open.go": go, "app/seen.py": py}, {"rules": {"direct-clock": "error"}}, select=["direct-clock"]
    )
    got = sorted((f.path, f.line, f.location.column, f.location.end_column, f.properties["found_in"]) for f in findings)
    assert got == [("app/seen.py", 4, 10, 27, "python"), ("sale/open.go", 7, 19, 24, "go")]
    assert all(
        f.message == f"{f.properties['call']} reads the database clock, which staging cannot move; "
        "pass the application's time as a parameter"
        for f in findings
    )


def test_an_sql_statement_that_does_not_parse_is_reported_and_the_rest_still_checked() -> None:
    findings = run({"db/q.sql": "SELECT FROM WHERE (;\nSELECT NOW();\n"}, {"rules": {"direct-clock": "error"}})
    assert sorted((f.rule, f.line) for f in findings) == [("direct-clock", 2), ("parse-error", 1)]


def test_with_insert_ignore_on_too_each_file_is_extracted_once(monkeypatch: MonkeyPatch) -> None:
    extracted = counted_extractions(monkeypatch)
    py = 'def f(cur):\n    cur.execute("INSERT IGNORE INTO seen (at) VALUES (NOW())")\n'
    files = {"app/seen.py": py, "db/q.sql": "UPDATE t SET at = NOW();\nSELECT 'unterminated\n"}
    findings = run(files, {"rules": {"direct-clock": "error", "insert-ignore": "error"}})
    assert sorted(extracted) == ["app/seen.py", "db/q.sql"]  # not twice: the sql input took clock_reads' units
    found = sorted((f.rule, f.path, f.line) for f in findings)
    assert found == [
        ("direct-clock", "app/seen.py", 2),
        ("direct-clock", "db/q.sql", 1),
        ("insert-ignore", "app/seen.py", 2),
        ("parse-error", "db/q.sql", 2),  # read by both inputs, reported once
    ]


def test_the_sql_sources_are_matched_once_for_the_file_list_and_once_to_read(monkeypatch: MonkeyPatch) -> None:
    import guardrails.sql.source as source

    matched: list[int] = []
    sql_files = source.sql_files

    def counted(ctx: Any) -> list[str]:
        found = sql_files(ctx)
        matched.append(len(found))
        return found

    monkeypatch.setattr(source, "sql_files", counted)
    go = 'package app\n\nimport "time"\n\nfunc f() { db.Exec("UPDATE t SET at = NOW()"); _ = time.Now() }\n'
    files = {"app/f.go": go, "db/q.sql": "SELECT NOW();\n"}
    findings = run(files, {"rules": {"direct-clock": "error"}}, select=["direct-clock"])
    assert sorted((f.path, f.line) for f in findings) == [("app/f.go", 5), ("app/f.go", 5), ("db/q.sql", 1)]
    assert matched == [2, 2]  # the engine's file list, then the loader's (which matched them twice before)


def test_a_code_file_read_for_its_sql_and_its_clock_reads_is_parsed_once(monkeypatch: MonkeyPatch) -> None:
    import ast

    from tree_sitter import Language, Parser

    import guardrails.sql.code.treesitter as treesitter
    from guardrails.sql.code.go import GO

    parsed: list[str] = []
    go_parser, ast_parse = Parser(Language(GO.load())), ast.parse

    class CountedParser:
        def parse(self, data: bytes) -> Any:
            parsed.append("go")
            return go_parser.parse(data)

    def counted_ast_parse(source: Any, filename: str = "<unknown>", *args: Any, **kwargs: Any) -> Any:
        if filename.startswith("app/"):
            parsed.append(filename)
        return ast_parse(source, filename, *args, **kwargs)

    monkeypatch.setitem(treesitter._parsers, "go", CountedParser())
    monkeypatch.setattr(ast, "parse", counted_ast_parse)
    go = 'package app\n\nimport "time"\n\nfunc f() { db.Exec("UPDATE t SET at = NOW()"); _ = time.Now() }\n'
    py = 'import time\n\n\ndef f(cur):\n    cur.execute("UPDATE t SET at = NOW()")\n    return time.time()\n'
    files = {"app/f.go": go, "app/f.py": py}
    findings = run(files, {"rules": {"direct-clock": "error"}}, select=["direct-clock"])
    got = sorted((f.path, f.line, f.properties["call"]) for f in findings)
    assert got == [
        ("app/f.go", 5, "NOW()"),
        ("app/f.go", 5, "time.Now()"),
        ("app/f.py", 5, "NOW()"),
        ("app/f.py", 6, "time.time()"),
    ]
    assert sorted(parsed) == ["app/f.py", "go"]  # one tree each for the SQL and the clock reader (two before)
