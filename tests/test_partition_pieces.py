"""partition-pruning on queries assembled in pieces, and on joins to const tables."""

from __future__ import annotations

from guardrails.findings import Severity
from guardrails.testing import run

SCHEMA = """CREATE TABLE accounts (id BIGINT NOT NULL, region_id INT NOT NULL, closed_at DATETIME,
  PRIMARY KEY (id));
CREATE TABLE access_log (id BIGINT NOT NULL, account_id BIGINT NOT NULL, logtime DATETIME NOT NULL,
  PRIMARY KEY (id, logtime)) PARTITION BY RANGE COLUMNS (logtime) (
  PARTITION p2024 VALUES LESS THAN ('2025-01-01'), PARTITION pmax VALUES LESS THAN (MAXVALUE));
"""
CONFIG = {"sql": {"schema": ["db/schema.sql"]}}

PHP = """<?php
function accessLog(PDO $db, int $account, string $from, string $to): array {
    $sql = "SELECT * FROM access_log WHERE account_id = ?";
    $sql .= " AND logtime BETWEEN ? AND ?";
    return $db->prepare($sql)->execute([$account, $from, $to]);
}

function everything(PDO $db): array {
    $sql = "SELECT * FROM access_log WHERE account_id > 0";
    return $db->query($sql)->fetchAll();
}
"""

GO = """package logs

func Query(db *sql.DB, account int64, from, to time.Time) (*sql.Rows, error) {
	q := "SELECT id FROM access_log WHERE account_id = ?"
	q += " AND logtime >= ? AND logtime < ?"
	return db.Query(q, account, from, to)
}
"""

PYTHON = """def recent(cur, account, since):
    sql = "SELECT id FROM access_log WHERE account_id = %s"
    sql += " AND logtime >= %s"
    cur.execute(sql, (account, since))
"""


def _pruning(files: dict[str, str]) -> list[tuple[str, int, Severity]]:
    findings = run({"db/schema.sql": SCHEMA, **files}, CONFIG, select=["partition-pruning"])
    return [(f.path, f.line, f.severity) for f in findings if f.rule == "partition-pruning"]


def test_a_query_appended_to_later_is_only_a_notice_that_says_so() -> None:
    findings = run({"db/schema.sql": SCHEMA, "app/log.php": PHP}, CONFIG, select=["partition-pruning"])
    pruning = [f for f in findings if f.rule == "partition-pruning"]
    assert [(f.line, f.severity) for f in pruning] == [(3, Severity.NOTICE), (9, Severity.ERROR)]
    assert "appended to later" in pruning[0].message
    assert _pruning({"logs/query.go": GO, "app/recent.py": PYTHON}) == [
        ("app/recent.py", 2, Severity.NOTICE),
        ("logs/query.go", 4, Severity.NOTICE),
    ]


QUERIES = (
    "SELECT l.* FROM access_log l JOIN accounts a ON l.logtime >= a.closed_at WHERE a.id = ?;\n"
    "SELECT l.* FROM access_log l JOIN accounts a ON l.logtime >= a.closed_at WHERE a.region_id = ?;\n"
)


def test_a_join_to_a_table_fetched_by_its_primary_key_prunes_on_mysql() -> None:
    assert _pruning({"app/q.sql": QUERIES}) == [("app/q.sql", 2, Severity.ERROR)]


def test_mariadb_reads_every_partition_through_a_const_table() -> None:
    # measured on MariaDB 10.11 (tests/test_partition_agreement.py): EXPLAIN PARTITIONS reads all
    config = {"sql": {"schema": ["db/schema.sql"], "server": "mariadb-10.11"}}
    findings = run({"db/schema.sql": SCHEMA, "app/q.sql": QUERIES}, config, select=["partition-pruning"])
    assert [f.line for f in findings if f.rule == "partition-pruning"] == [1, 2]
