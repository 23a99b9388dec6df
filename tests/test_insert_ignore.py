"""insert-ignore on .sql files: every IGNORE form MySQL accepts, and none of the look-alikes."""

from __future__ import annotations

from tests.helpers import Repo, guardrails

FOUND = [
    "INSERT IGNORE INTO t (a) VALUES (1);",
    "insert ignore into t (a) values (1);",
    "INSERT\n  IGNORE\n  INTO t VALUES (1);",
    "INSERT /* why not */ IGNORE INTO t VALUES (1);",
    "INSERT -- really\nIGNORE INTO t VALUES (1);",
    "INSERT IGNORE INTO t (a) SELECT a FROM u;",
    "INSERT IGNORE INTO t SET a = 1, b = 2;",
    "INSERT LOW_PRIORITY IGNORE INTO t VALUES (1);",
    "INSERT /*+ SET_VAR(sort_buffer_size = 16M) */ IGNORE INTO t VALUES (1);",
    "UPDATE IGNORE t SET a = 1 WHERE b = 2;",
    "UPDATE LOW_PRIORITY IGNORE t SET a = 1;",
    "DELETE IGNORE FROM t WHERE a = 1;",
    "DELETE LOW_PRIORITY QUICK IGNORE FROM t WHERE a = 1;",
    "LOAD DATA INFILE '/tmp/t.csv' IGNORE INTO TABLE t;",
    "LOAD DATA LOCAL INFILE 't.csv' IGNORE INTO TABLE shop.t FIELDS TERMINATED BY ',' IGNORE 1 LINES;",
    "ALTER IGNORE TABLE t ADD UNIQUE KEY uk_a (a);",
    "/*!40000 INSERT IGNORE INTO t VALUES (1) */;",
]

NOT_FOUND = [
    "INSERT INTO t (note) VALUES ('INSERT IGNORE INTO t');",
    "SELECT `ignore` FROM t;",
    "UPDATE `ignore` SET a = 1;",
    "INSERT INTO t (`ignore`) VALUES (1);",
    "-- INSERT IGNORE INTO t VALUES (1);\nSELECT 1;",
    "/* UPDATE IGNORE t SET a = 1; */ SELECT 1;",
    "# DELETE IGNORE FROM t;\nSELECT 1;",
    "LOAD DATA INFILE 't.csv' INTO TABLE t IGNORE 1 LINES;",
    "LOAD DATA INFILE 't.csv' REPLACE INTO TABLE t;",
    "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a);",
    'SELECT a FROM t WHERE note = "it\'s; INSERT IGNORE";',
]


def _findings(repo: Repo, statements: list[str]) -> list[dict[str, object]]:
    repo.write("q.sql", "\n".join(statements) + "\n")
    repo.commit()
    run = guardrails(repo.root, "run", "--format", "json", "--select", "insert-ignore", process=True)
    assert run.code in (0, 1), run.stderr
    return [f for f in run.json()["findings"] if f["rule"] == "insert-ignore"]


def _line_of_keyword(statements: list[str], index: int) -> int:
    before = "\n".join(statements[:index]).count("\n") + (1 if index else 0)
    body = statements[index]
    word = body.upper().index("IGNORE") if "IGNORE" in body.upper() else 0
    return before + body[:word].count("\n") + 1


def test_every_ignore_form_is_found_on_the_line_of_its_keyword(repo: Repo) -> None:
    found = _findings(repo, FOUND)
    assert [f["line"] for f in found] == [_line_of_keyword(FOUND, i) for i in range(len(FOUND))]
    for f in found:
        assert f["severity"] == "error"
        # the span is exactly the IGNORE keyword
        assert int(f["end_column"]) - int(f["column"]) == len("IGNORE")  # type: ignore[call-overload]


def test_look_alikes_are_not_found(repo: Repo) -> None:
    assert _findings(repo, NOT_FOUND) == []


def test_message_is_short_and_the_why_and_the_fix_are_in_help_and_properties(repo: Repo) -> None:
    from checks.insert_ignore import RULE

    insert, update = _findings(repo, ["INSERT IGNORE INTO t VALUES (1);", "UPDATE IGNORE t SET a = 1;"])
    assert str(insert["message"]).startswith("INSERT IGNORE: ") and len(str(insert["message"])) < 100
    assert str(update["message"]).startswith("UPDATE IGNORE: ") and len(str(update["message"])) < 100
    for word in ("truncated", "NOT NULL", "foreign-key", "1062", "ON DUPLICATE KEY UPDATE"):
        assert word in RULE.help
    assert "ON DUPLICATE KEY UPDATE" in insert["properties"]["fix"]  # type: ignore[index]
    assert update["properties"] == {  # type: ignore[comparison-overlap]
        "verb": "UPDATE IGNORE",
        "fix": "use a plain UPDATE and catch duplicate-key error 1062 explicitly",
        "read": "parsed",
    }


def test_column_of_the_keyword_on_a_line_with_leading_code(repo: Repo) -> None:
    (finding,) = _findings(repo, ["SELECT 1; INSERT  IGNORE INTO t VALUES (1);"])
    assert (finding["line"], finding["column"]) == (1, 19)


def test_ignore_inside_trigger_and_procedure_bodies_is_found(repo: Repo) -> None:
    repo.write(
        "routines.sql",
        "DELIMITER ;;\n"
        "CREATE DEFINER=`app`@`%` TRIGGER audit AFTER INSERT ON orders FOR EACH ROW\n"
        "BEGIN\n"
        "  IF NEW.total > 0 THEN\n"
        "    INSERT IGNORE INTO audit_log (order_id) VALUES (NEW.id);\n"
        "  END IF;\n"
        "END ;;\n"
        "CREATE PROCEDURE cleanup()\nBEGIN\n  DELETE FROM t WHERE a = 1;\n  UPDATE IGNORE t SET a = 2;\nEND ;;\n"
        "DELIMITER ;\n",
    )
    repo.commit()
    run = guardrails(repo.root, "run", "--format", "json")
    assert [(f["rule"], f["line"], f["column"]) for f in run.json()["findings"]] == [
        ("insert-ignore", 5, 12),
        ("insert-ignore", 11, 10),
    ]


def test_multi_table_delete_and_mysql8_column_syntax_parse(repo: Repo) -> None:
    repo.write(
        "q.sql",
        "DELETE jt.*, pt.* FROM jt JOIN pt ON jt.p = pt.id WHERE jt.id = 1;\n"
        "DELETE IGNORE a.* FROM a JOIN b ON a.x = b.x;\n"
        "CREATE TABLE g (pt point NOT NULL SRID 4326, n int CHECK (n > 0) NOT ENFORCED);\n"
        "FLUSH BINARY LOGS;\n",
    )
    run = guardrails(repo.root, "run", "--format", "json")
    assert [(f["rule"], f["line"]) for f in run.json()["findings"]] == [("insert-ignore", 2)]


def test_a_stored_program_with_a_long_header_comment_still_has_its_body_checked() -> None:
    from guardrails.testing import run

    comment = "COMMENT '" + "Moves closed orders to the archive; run nightly by the scheduler. " * 8 + "'"
    text = (
        "DELIMITER ;;\n"
        "CREATE DEFINER=`app`@`%` PROCEDURE archive_orders(IN cutoff DATETIME)\n"
        f"  SQL SECURITY INVOKER\n  {comment}\n"
        "BEGIN\n"
        "  INSERT IGNORE INTO orders_archive SELECT * FROM orders WHERE created_at < cutoff;\n"
        "END ;;\n"
        "DELIMITER ;\n"
    )
    assert len(comment) > 400
    assert [(f.rule, f.line, f.location.column) for f in run({"db/routines.sql": text})] == [("insert-ignore", 6, 10)]


def test_a_dump_with_a_binary_blob_is_checked_and_only_the_bad_bytes_reported() -> None:
    from guardrails.testing import run

    dump = (
        b"INSERT INTO attachments (id, body) VALUES (1,'GIF89a\xff\xfe\\0\x81'),(2,'ok');\n"
        b"INSERT IGNORE INTO attachment_refs (attachment_id) VALUES (1);\n"
    )
    findings = run({"backup/attachments.sql": dump})
    assert [(f.rule, f.line, f.location.column) for f in findings] == [
        ("parse-error", 1, len("INSERT INTO attachments (id, body) VALUES (1,'GIF89a") + 1),
        ("insert-ignore", 2, 8),
    ]
    assert findings[0].message.startswith("3 byte(s) not UTF-8")
