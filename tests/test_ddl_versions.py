"""The point releases where the MySQL manual's verdicts change, and MariaDB 10.3 against 10.4+."""

from __future__ import annotations

import pytest

from tests.ddl_cases import TABLES
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
