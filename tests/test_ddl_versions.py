"""The point releases where the MySQL manual's verdicts change, and MariaDB 10.3 against 10.4+."""

from __future__ import annotations

import pytest

from tests.ddl_cases import COLLATION_TABLES, NUMBERS_TABLES, TABLES
from tests.test_ddl_agreement import rule_verdict

PLAIN = TABLES["plain"]
REBUILD = ("INPLACE", "NONE", True)
INPLACE = ("INPLACE", "NONE", False)
INSTANT = ("INSTANT", "NONE", False)


@pytest.mark.parametrize(
    ("server", "clause", "expected"),
    [
        # Column Operations, Adding a column: INSTANT from 8.0.12 (last position), anywhere from 8.0.29
        ("mysql-5.7", "ADD COLUMN c INT", REBUILD),
        ("mysql-8.0.11", "ADD COLUMN c INT", REBUILD),
        ("mysql-8.0.12", "ADD COLUMN c INT", INSTANT),
        ("mysql-8.0.28", "ADD COLUMN c INT AFTER id", REBUILD),
        ("mysql-8.0.29", "ADD COLUMN c INT AFTER id", INSTANT),
        ("mysql-8.4", "ADD COLUMN c INT AFTER id", INSTANT),
        ("mysql-8.0", "ADD COLUMN c INT AFTER id", INSTANT),  # 8.0 without a point: the current 8.0
        # Dropping a column: INSTANT from 8.0.29
        ("mysql-8.0.28", "DROP COLUMN note", REBUILD),
        ("mysql-8.0.29", "DROP COLUMN note", INSTANT),
        # Renaming a column: INSTANT from 8.0.28, in place (metadata) before
        ("mysql-5.7", "RENAME COLUMN note TO remark", INPLACE),
        ("mysql-8.0.27", "RENAME COLUMN note TO remark", INPLACE),
        ("mysql-8.0.28", "RENAME COLUMN note TO remark", INSTANT),
        # 5.7 has no INSTANT at all
        ("mysql-5.7", "ALTER COLUMN score SET DEFAULT 1", INPLACE),
        ("mysql-5.7", "MODIFY status ENUM('active','banned','deleted')", INPLACE),
        ("mysql-5.7", "ADD COLUMN v INT AS (score + 1) VIRTUAL", INPLACE),
        ("mysql-8.0", "MODIFY status ENUM('active','banned','deleted')", INSTANT),
        # MariaDB: instant ADD anywhere and DROP from 10.4; 10.3 only appends instantly
        ("mariadb-10.3", "ADD COLUMN c INT", INSTANT),
        ("mariadb-10.3", "ADD COLUMN c INT FIRST", REBUILD),
        ("mariadb-10.4", "ADD COLUMN c INT FIRST", INSTANT),
        ("mariadb-10.3", "DROP COLUMN note", REBUILD),
        ("mariadb-11.4", "DROP COLUMN note", INSTANT),
        ("mariadb-10.6", "ADD INDEX i (score)", ("NOCOPY", "NONE", False)),
    ],
)
def test_verdict_for_the_server(server: str, clause: str, expected: tuple[str, str, bool]) -> None:
    assert rule_verdict(PLAIN, clause, server) == expected


def _reasons(create: str, clause: str, server: str) -> list[str]:
    from guardrails.ddl.review import read_statement, review
    from guardrails.ddl.servers import parse_server
    from guardrails.ddl.verdict import Session
    from guardrails.sql.schema import Schema
    from guardrails.sql.schema_replay import replay_text

    schema = Schema()
    replay_text(schema, "schema.sql", create.replace("{t}", "t") + ";")
    text = f"ALTER TABLE t {clause}"
    ddl = read_statement(text)
    assert ddl is not None
    return review(ddl, text, schema, parse_server(server), Session()).verdict.reasons


def test_convert_to_on_a_table_without_string_columns_says_what_the_verdict_rests_on() -> None:
    numbers, clause = NUMBERS_TABLES["numbers"], "CONVERT TO CHARACTER SET utf8mb4"
    assert rule_verdict(numbers, clause, "mariadb-10.6") == INSTANT
    assert rule_verdict(numbers, clause, "mysql-8.0") == ("COPY", "SHARED", True)
    (mysql,) = _reasons(numbers, clause, "mysql-8.0")
    assert "no string columns" in mysql and "In Place: No" in mysql, mysql
    (mariadb,) = _reasons(numbers, clause, "mariadb-11.4")
    assert "checked against MariaDB 10.6, 10.11, 11.4 and 11.8" in mariadb, mariadb


def test_a_collation_only_conversion_rebuilds_the_index_that_sorts_by_it_on_mariadb() -> None:
    table, clause = COLLATION_TABLES["collation-indexed"], "CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    assert rule_verdict(table, clause, "mariadb-10.11") == ("NOCOPY", "NONE", False)
    assert rule_verdict(table, clause, "mysql-8.4") == ("COPY", "SHARED", True)
    assert any("s is indexed" in r for r in _reasons(table, clause, "mariadb-10.11"))


def test_mariadb_11_pins_an_online_copy_instead_of_handing_it_to_gh_ost() -> None:
    from guardrails.testing import run

    files = {
        "db/schema.sql": TABLES["plain"].replace("{t}", "users") + ";\n",
        "db/migrations/001.sql": "SET SESSION lock_wait_timeout = 5;\nALTER TABLE users MODIFY display_name VARCHAR(80);\n",
    }

    def fix(server: str) -> str:
        config = {
            "rules": {"ddl-review": "warning"},
            "sql": {
                "server": server,
                "schema": ["db/*.sql", "db/migrations/*.sql"],
                "migrations": ["db/migrations/*.sql"],
            },
        }
        (finding,) = [f for f in run(files, config, select=["ddl-review"]) if "fix" in f.properties]
        return str(finding.properties["fix"])

    assert fix("mariadb-11.4") == "ALTER TABLE users MODIFY display_name VARCHAR(80), ALGORITHM=COPY, LOCK=NONE;"
    assert fix("mariadb-10.11").startswith("gh-ost --database=$DB --table=users")
