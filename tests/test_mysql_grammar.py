"""Valid MySQL and MariaDB that sqlglot alone rejects: parsed, so every rule reads it.
(benchmarks/bench_parse_rate.py measures the same on sqlfluff's fixtures.)"""
# guardrails:ignore-file[insert-ignore] the statements under test

from __future__ import annotations

import pytest

from guardrails.sql.positions import FileOffsets
from guardrails.sql.statement import SqlStatement
from guardrails.testing import run

VALID = {
    "CREATE TABLE t (id INT, PRIMARY KEY USING BTREE (id), KEY k USING HASH (id))": "Create",
    "CREATE INDEX idx_user USING BTREE ON orders (user_id)": "Create",
    "CREATE INDEX idx_user ON orders (user_id) USING BTREE": "Create",
    "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED": "Command",
    "SET SESSION TRANSACTION READ WRITE, ISOLATION LEVEL SERIALIZABLE": "Command",
    "DELETE FROM t1.*, t2.* USING t1 INNER JOIN t2 ON t1.id = t2.id WHERE t1.id = 1": "Delete",
    "CHECK TABLE orders FOR UPGRADE": "Command",
    "REPAIR NO_WRITE_TO_BINLOG TABLE orders QUICK": "Command",
    "OPTIMIZE LOCAL TABLE orders, order_items": "Command",
    "CHANGE MASTER TO MASTER_HOST = 'db1', MASTER_PORT = 3306": "Command",
    "CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'db1', SOURCE_AUTO_POSITION = 1": "Command",
    "START SLAVE": "Command",
    "STOP SLAVE IO_THREAD": "Command",
    "START REPLICA SQL_THREAD": "Command",
    "STOP REPLICA": "Command",
    "CREATE OR REPLACE TABLE t (a INT)": "Create",
    "ALTER TABLE t ADD COLUMN IF NOT EXISTS b INT": "Alter",
    "ALTER TABLE t ADD INDEX IF NOT EXISTS idx_b (b)": "Alter",
    "CREATE INDEX IF NOT EXISTS idx_b ON t (b)": "Create",
    "DROP INDEX idx_b ON t ALGORITHM = INPLACE LOCK = NONE": "Drop",
    "ALTER TABLE `user` RENAME AS `users`": "Alter",
    "SELECT id INTO @id FROM orders WHERE id = 1": "Select",
    "SELECT * INTO OUTFILE '/tmp/o.csv' FIELDS TERMINATED BY ',' FROM orders": "Select",
    "SELECT SQL_CACHE * FROM orders": "Select",
    "SELECT a, COUNT(*) FROM t GROUP BY a DESC WITH ROLLUP": "Select",
    "CREATE TABLE t (i INT VISIBLE, j DATE INVISIBLE, n INT(5) ZEROFILL UNSIGNED)": "Create",
    "DELETE HISTORY FROM t BEFORE SYSTEM_TIME '2020-01-01 00:00:00'": "Command",
}


@pytest.mark.parametrize("text", list(VALID))
def test_valid_statement_parses(text: str) -> None:
    parsed = SqlStatement("q.sql", text, FileOffsets([0], 0)).parse()
    assert type(parsed.expression).__name__ == VALID[text]


def test_the_statements_keep_their_ignore_and_raise_no_parse_error() -> None:
    text = (
        "DELETE IGNORE FROM t1.*, t2.* USING t1 JOIN t2 ON t1.a = t2.a WHERE t1.b = 1;\n"
        "CREATE OR REPLACE TABLE t (a INT, PRIMARY KEY USING BTREE (a));\n"
        "IF (@n > 0) THEN INSERT IGNORE INTO audit (n) VALUES (@n);\n"
        "END IF;\n"
    )
    findings = run({"db/q.sql": text})
    assert [(f.rule, f.line, f.location.column) for f in findings] == [
        ("insert-ignore", 1, 8),
        ("insert-ignore", 3, 25),
    ]
