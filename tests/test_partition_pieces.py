"""partition-pruning on queries assembled in pieces, and on joins to const tables."""

from __future__ import annotations

from guardrails.findings import Severity
from guardrails.testing import run
from tests.helpers import Repo, guardrails

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


def test_an_append_in_the_same_block_counts() -> None:
    # the appended BETWEEN prunes: the query as run is fine (the first part alone was a notice)
    findings = run({"db/schema.sql": SCHEMA, "app/log.php": PHP}, CONFIG, select=["partition-pruning"])
    assert [(f.line, f.severity) for f in findings if f.rule == "partition-pruning"] == [(9, Severity.ERROR)]
    assert _pruning({"logs/query.go": GO, "app/recent.py": PYTHON}) == []


NOT_PRUNING = {
    "app/recent.py": PYTHON.replace('" AND logtime >= %s"', '" ORDER BY id"'),
    "logs/query.go": GO.replace('" AND logtime >= ? AND logtime < ?"', '" ORDER BY id"'),
}


def test_an_append_that_does_not_prune_is_an_error_at_the_literal() -> None:
    assert _pruning(NOT_PRUNING) == [("app/recent.py", 2, Severity.ERROR), ("logs/query.go", 4, Severity.ERROR)]


# The append forms without +=: each now finishes the query (before, the first part was an error).
REASSIGNED = {
    "app/plain.py": """def recent(cur, account, since):
    sql = "SELECT id FROM access_log WHERE account_id = %s"
    sql = sql + " AND logtime >= %s"
    cur.execute(sql, (account, since))
""",
    "app/fstring.py": """def recent(cur, account, since):
    sql = "SELECT id FROM access_log WHERE account_id = %s"
    sql = f"{sql} AND logtime >= %s"
    cur.execute(sql, (account, since))
""",
    "logs/plain.go": """package logs

func Recent(db *sql.DB, account int64, since time.Time) (*sql.Rows, error) {
	q := "SELECT id FROM access_log WHERE account_id = ?"
	q = q + " AND logtime >= ?"
	return db.Query(q, account, since)
}
""",
    "logs/format.go": """package logs

func Recent(db *sql.DB, account int64, since time.Time) (*sql.Rows, error) {
	q := fmt.Sprintf("SELECT id FROM access_log WHERE account_id = %d", account)
	q = q + " AND logtime >= ?"
	return db.Query(q, since)
}
""",
    "app/plain.php": """<?php
function recent(PDO $db, int $account, string $since): array {
    $sql = "SELECT * FROM access_log WHERE account_id = ?";
    $sql = $sql . " AND logtime >= ?";
    return $db->prepare($sql)->execute([$account, $since]);
}
""",
}


def test_reassigning_the_variable_with_more_text_is_an_append() -> None:
    assert _pruning(REASSIGNED) == []
    no_prune = {path: text.replace("logtime >=", "id >") for path, text in REASSIGNED.items()}
    assert sorted(p for p, _, severity in _pruning(no_prune) if severity == Severity.ERROR) == sorted(REASSIGNED)


# A builder returns the first part; its callers in the same file add the condition.
CALLERS = {
    "app/logs.py": """def base_query():
    sql = "SELECT id FROM access_log WHERE account_id = %s"
    return sql


def between(cur, account, since, until):
    sql = base_query()
    sql += " AND logtime BETWEEN %s AND %s"
    cur.execute(sql, (account, since, until))
""",
    "logs/repo.go": """package logs

func baseQuery() (string, []any) {
	q := "SELECT id FROM access_log WHERE account_id = ?"
	return q, nil
}

func Between(db *sql.DB, account int64, from, to time.Time) (*sql.Rows, error) {
	q, args := baseQuery()
	q += " AND logtime BETWEEN ? AND ?"
	return db.Query(q, append(args, account, from, to)...)
}
""",
    "app/Repo.php": """<?php
class AccessLogRepository {
    private function baseSql(): string {
        return "SELECT * FROM access_log WHERE account_id = ?";
    }

    public function between(PDO $db, int $account, string $from, string $to): array {
        $sql = $this->baseSql();
        $sql .= " AND logtime BETWEEN ? AND ?";
        return $db->prepare($sql)->execute([$account, $from, $to]);
    }
}
""",
}


def test_a_condition_added_in_a_caller_counts() -> None:
    assert _pruning(CALLERS) == []


def test_a_caller_that_runs_the_first_part_as_it_is_makes_it_an_error() -> None:
    extra = {
        "app/logs.py": CALLERS["app/logs.py"]
        + "\n\ndef every(cur, account):\n    cur.execute(base_query(), (account,))\n",
        "logs/repo.go": CALLERS["logs/repo.go"]
        + "\nfunc Every(db *sql.DB) (*sql.Rows, error) {\n\tq, args := baseQuery()\n\treturn db.Query(q, args...)\n}\n",
        "app/Repo.php": CALLERS["app/Repo.php"].replace(
            "}\n}\n", "}\n\n    public function every(PDO $db) { return $db->query($this->baseSql()); }\n}\n"
        ),
    }
    assert _pruning(extra) == [
        ("app/Repo.php", 4, Severity.ERROR),
        ("app/logs.py", 2, Severity.ERROR),
        ("logs/repo.go", 4, Severity.ERROR),
    ]


# Where the text leaves what the file shows, what is known is only a notice, saying where.
OPEN = {
    "app/open.py": """def exported():
    sql = "SELECT id FROM access_log WHERE account_id = %s"
    return sql


class Report:
    def __init__(self):
        self.sql = "SELECT id FROM access_log WHERE id > 0"

    def maybe(self, cur, since):
        sql = "SELECT id FROM access_log WHERE account_id = 1"
        if since:
            sql += " AND logtime >= %s"
        cur.execute(sql, (since,))
""",
    "logs/open.go": """package logs

type Report struct{ SQL string }

func NewReport(filter string) Report {
	q := "SELECT id FROM access_log WHERE id > 0"
	return Report{SQL: q}
}

func Run(db *sql.DB, filter string) error {
	q := "SELECT id FROM access_log WHERE account_id = ?"
	return withRange(db, q)
}
""",
    "app/open.php": """<?php
function filtered(PDO $db, array $filters): array {
    $sql = "SELECT * FROM access_log WHERE account_id = ?";
    foreach ($filters as $column => $value) {
        $sql .= " AND $column = ?";
    }
    return $db->query($sql)->fetchAll();
}

function builder(): string {
    return "SELECT * FROM access_log WHERE id > 0";
}
""",
}


def test_a_query_that_leaves_the_file_open_is_a_notice_saying_where() -> None:
    findings = run({"db/schema.sql": SCHEMA, **OPEN}, CONFIG, select=["partition-pruning"])
    got = [(f.path, f.line, f.severity, f.properties["open_at"]) for f in findings if f.rule == "partition-pruning"]
    assert got == [
        ("app/open.php", 3, Severity.NOTICE, "appended to under a condition at line 5"),
        ("app/open.php", 11, Severity.NOTICE, "returned from builder() at line 11"),
        ("app/open.py", 2, Severity.NOTICE, "returned from exported() at line 3"),
        ("app/open.py", 8, Severity.NOTICE, "stored in self.sql at line 8"),
        ("app/open.py", 11, Severity.NOTICE, "appended to under a condition at line 13"),
        ("logs/open.go", 6, Severity.NOTICE, "stored in field SQL at line 7"),
        ("logs/open.go", 11, Severity.NOTICE, "passed to withRange() at line 12"),
    ]
    assert "still open: returned from builder() at line 11" in findings[1].message


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


def test_the_json_report_says_where_a_query_is_still_open(repo: Repo) -> None:
    repo.write(".guardrails.yml", "version: 1\nsql:\n  schema: ['db/schema.sql']\n")
    repo.write("db/schema.sql", SCHEMA)
    repo.write("logs/open.go", OPEN["logs/open.go"])
    repo.commit()
    run = guardrails(repo.root, "run", "--format", "json", "--select", "partition-pruning", process=True)
    assert run.code == 0, run.stderr  # notices only: nothing fails the run
    got = [(f["line"], f["severity"], f["properties"]["open_at"]) for f in run.json()["findings"]]
    assert got == [(6, "notice", "stored in field SQL at line 7"), (11, "notice", "passed to withRange() at line 12")]
