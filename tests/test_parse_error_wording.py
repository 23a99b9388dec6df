"""Every parse-error a broken statement can get says, in the user's words, what could not be
read and where: no parser class names, token dumps or sqlglot internals (issue 17). Real
statements (SOURCES, from real repositories) are broken five ways and read by every SQL reader: a
.sql file, SQL in Go code, the schema model and ddl-review's migrations."""

from __future__ import annotations

import random
import re
from pathlib import Path

from guardrails.sql.split import split_statements
from guardrails.testing import run

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = [
    *sorted((FIXTURES / "broken_sql").glob("*.sql")),
    FIXTURES / "ddl" / "hydra" / "20190400000009000000_oauth2.mysql.up.sql",
    FIXTURES / "recall" / "gh-ost" / "localtests" / "rename" / "create.sql",
]
INTERNALS = re.compile(
    r"<class|sqlglot|Required keyword|Expecting |Invalid expression|Error tokenizing|Token\(|TokenType"
    r"|\b[A-Z][a-z]+(?:Error|Exception)\b|expressions\.|\bexp\.[A-Z]"
)
WORDS = ["SELECT", "FROM", "WHERE", "TABLE", "INTO", "VALUES", "SET", "KEY", "INDEX", "NOT", "NULL", "(", ",", "="]


def _statements() -> list[str]:
    out = []
    for path in SOURCES:
        out += [c.text for c in split_statements(path.read_text(encoding="utf-8")) if c.text.strip()]
    return out


def _broken(statement: str, rnd: random.Random) -> list[str]:
    """The statement cut short, without a parenthesis, with two words swapped, with a keyword
    put in and with a word left out."""
    words = statement.split()
    parens = [i for i, c in enumerate(statement) if c in "()"]
    cut = statement[: rnd.randrange(1, len(statement))]
    dropped = statement[: parens[0]] + statement[parens[0] + 1 :] if parens else statement + ")"
    i, j = rnd.randrange(len(words)), rnd.randrange(len(words))
    swapped = list(words)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    added = list(words)
    added.insert(rnd.randrange(len(words) + 1), rnd.choice(WORDS))
    left_out = [w for k, w in enumerate(words) if k != i] or words
    return [cut, dropped, " ".join(swapped), " ".join(added), " ".join(left_out)]


def _files() -> dict[str, str]:
    rnd = random.Random(17)
    files: dict[str, str] = {}
    for n, statement in enumerate(_statements()):
        for k, broken in enumerate(_broken(statement, rnd)):
            # one statement a file: a quote left open swallows only its own file
            files[f"q/{n:02d}_{k}.sql"] = broken + ";\n"
            files[f"db/schema/{n:02d}_{k}.sql"] = broken + ";\n"
            files[f"db/migrations/{n:02d}_{k}.sql"] = broken + ";\n"
            if "`" not in broken and broken.split()[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
                files[f"app/q{n:02d}_{k}.go"] = f"package app\n\nfunc q(db *sql.DB) {{\n\tdb.Exec(`{broken}`)\n}}\n"
    files["db/schema/zz_partitioned.sql"] = (
        "CREATE TABLE logs (id BIGINT NOT NULL, at DATETIME NOT NULL, PRIMARY KEY (id, at))"
        " PARTITION BY RANGE COLUMNS (at) (PARTITION p0 VALUES LESS THAN ('2025-01-01'));\n"
    )
    return files


CONFIG = {
    "sql": {
        "sources": ["q/*.sql", "app/*.go"],
        "schema": ["db/schema/*.sql"],
        "migrations": ["db/migrations/*.sql"],
    },
    "rules": {"partition-pruning": "error", "ddl-review": "warning", "parse-error": "warning"},
}


def test_no_parse_error_of_a_broken_statement_shows_parser_internals() -> None:
    files = _files()
    findings = [f for f in run(files, CONFIG) if f.rule == "parse-error"]
    readers = {
        f.path.split("/")[0] if not f.path.startswith("db/") else "/".join(f.path.split("/")[:2]) for f in findings
    }
    assert readers == {"q", "app", "db/schema", "db/migrations"}  # every reader had broken input
    assert len(findings) > 250
    leaked = sorted({f.message for f in findings if INTERNALS.search(f.message)})
    assert leaked == []
    for finding in findings:
        # at the place: a line of that file, never the 1:1 fallback of a file that has more
        lines = files[finding.path].count("\n") + 1
        assert 1 <= finding.line <= lines, finding
        assert finding.location.column >= 1, finding


def test_the_words_say_what_is_missing_and_where() -> None:
    files = {
        "q.sql": (
            "INSERT INTO authors (name, bio VALUES (?, ?);\n"
            "SELECT * FROM books WHERE isbn = ;\n"
            "UPDATE books SET title = 'unfinished WHERE book_id = ?;\n"
        )
    }
    findings = [(f.line, f.location.column, f.message) for f in run(files, select=["parse-error"])]
    assert findings == [
        (1, 32, "cannot parse this statement as MySQL: expected ')' to close a parenthesis, found 'VALUES'"),
        (2, 32, "cannot parse this statement as MySQL: an incomplete = comparison: part of it is missing"),
        (3, 26, "unterminated quote starting here runs to the end of the file"),
    ]
