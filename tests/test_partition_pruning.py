"""partition-pruning (static): which queries MySQL can prune, run as a user runs guardrails."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Repo, guardrails

SCHEMA = """\
CREATE TABLE orders (
  id BIGINT NOT NULL, user_id INT NOT NULL, status VARCHAR(10), created_at DATETIME NOT NULL,
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (TO_DAYS(created_at)) (
  PARTITION p2024 VALUES LESS THAN (TO_DAYS('2025-01-01')),
  PARTITION p2025 VALUES LESS THAN (TO_DAYS('2026-01-01')),
  PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE events (id INT, region INT, kind VARCHAR(5)) PARTITION BY HASH (region) PARTITIONS 4;
CREATE TABLE sessions (a INT NOT NULL, b INT NOT NULL, c INT, PRIMARY KEY (a, b))
  PARTITION BY KEY () PARTITIONS 3;
CREATE TABLE logs (day DATE, host VARCHAR(20), msg TEXT) PARTITION BY RANGE COLUMNS (day, host) (
  PARTITION p0 VALUES LESS THAN ('2025-01-01', 'm'),
  PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE));
CREATE TABLE regions (id INT, code INT) PARTITION BY LIST (MOD(code, 3)) (
  PARTITION r0 VALUES IN (0), PARTITION r1 VALUES IN (1), PARTITION r2 VALUES IN (2));
CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), created_at DATETIME);
"""

# (statement, prunable): one statement per line of q.sql
CASES: list[tuple[str, bool]] = [
    ("SELECT * FROM orders WHERE created_at >= ? AND created_at < ?", True),
    ("SELECT * FROM orders WHERE created_at = '2025-03-01' AND status = 'x'", True),
    ("SELECT * FROM orders WHERE created_at IN (?, ?, ?)", True),
    ("SELECT * FROM orders WHERE created_at BETWEEN NOW() - INTERVAL 7 DAY AND NOW()", True),
    ("SELECT * FROM orders WHERE created_at IS NULL", True),
    ("SELECT * FROM orders WHERE created_at = ? OR created_at > ?", True),
    ("SELECT * FROM orders PARTITION (p2025) WHERE status = 'x'", True),
    ("SELECT * FROM shop.orders o WHERE o.created_at > :since", True),
    ("SELECT * FROM orders WHERE DATE(created_at) = ?", False),
    ("SELECT * FROM orders WHERE created_at + INTERVAL 1 DAY > ?", False),
    ("SELECT * FROM orders WHERE YEAR(created_at) = 2025", False),
    ("SELECT * FROM orders WHERE user_id = ?", False),
    ("SELECT * FROM orders", False),
    ("SELECT * FROM orders WHERE created_at > ? OR user_id = 1", False),
    ("SELECT * FROM orders WHERE created_at <> ?", False),
    # users is fetched by its primary key: a const table, whose columns are constants when
    # MySQL chooses partitions (MariaDB reads them all: tests/test_partition_pieces.py)
    ("SELECT * FROM users u JOIN orders o ON o.created_at = u.created_at WHERE u.id = 1", True),
    ("SELECT * FROM users u JOIN orders o ON o.created_at = u.created_at WHERE u.name = ?", False),
    ("SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE o.created_at > ?", True),
    ("SELECT * FROM (SELECT id, created_at AS c FROM orders) d WHERE d.c > ?", True),
    ("SELECT * FROM (SELECT id, DATE(created_at) AS day FROM orders) d WHERE d.day = ?", False),
    ("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent WHERE created_at > ?", True),
    ("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent WHERE user_id = ?", False),
    (
        "SELECT id FROM orders WHERE created_at > ? UNION ALL SELECT id FROM orders WHERE created_at < ?",
        True,
    ),
    (
        "SELECT id FROM orders WHERE created_at > ? UNION SELECT id FROM orders WHERE user_id = 1",
        False,
    ),
    ("SELECT * FROM users WHERE id IN (SELECT user_id FROM orders WHERE created_at > ?)", True),
    ("SELECT * FROM users WHERE id IN (SELECT user_id FROM orders WHERE status = 'x')", False),
    ("SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)", False),
    ("UPDATE orders SET status = 'done' WHERE id = ?", False),
    ("UPDATE orders SET status = 'done' WHERE id = ? AND created_at = ?", True),
    ("DELETE FROM orders WHERE created_at < NOW() - INTERVAL 2 YEAR", True),
    ("DELETE o FROM orders o JOIN users u ON u.id = o.user_id WHERE u.name = ?", False),
    ("INSERT INTO users (id) SELECT user_id FROM orders WHERE status = 'x'", False),
    ("INSERT INTO users (id) SELECT user_id FROM orders WHERE created_at = ?", True),
    ("SELECT * FROM events WHERE region = 3", True),
    ("SELECT * FROM events WHERE region IN (1, 2) AND kind = 'a'", True),
    ("SELECT * FROM events WHERE region > 3", False),
    ("SELECT * FROM events WHERE kind = 'a'", False),
    ("SELECT * FROM sessions WHERE a = 1 AND b = 2", True),
    ("SELECT * FROM sessions WHERE a = 1", False),
    ("SELECT * FROM logs WHERE day >= '2025-01-01'", True),
    ("SELECT * FROM logs WHERE host = 'web1'", False),
    ("SELECT * FROM regions WHERE code = 4", True),
    ("SELECT * FROM regions WHERE code > 4", False),
    ("SELECT * FROM users WHERE name = 'x'", True),  # not partitioned: nothing to say
    ("SELECT * FROM archive_orders WHERE status = 'x'", True),  # unknown to the schema: not guessed
]


def _run(repo: Repo, queries: str, schema: str = SCHEMA, extra: dict[str, str] | None = None) -> Any:
    repo.write(
        ".guardrails.yml",
        "version: 1\nsql:\n  schema: ['db/schema.sql']\nrules:\n  partition-pruning: error\n",
    )
    repo.write("db/schema.sql", schema)
    repo.write("q.sql", queries)
    for path, text in (extra or {}).items():
        repo.write(path, text)
    repo.commit()
    run = guardrails(repo.root, "run", "--format", "json", "--select", "partition-pruning", process=True)
    assert run.code in (0, 1), run.stderr
    return run.json()


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[dict[str, Any]]]:
    repo = Repo(tmp_path_factory.mktemp("pruning") / "repo")
    out = _run(repo, "".join(f"{sql};\n" for sql, _ in CASES))
    by_line: dict[int, list[dict[str, Any]]] = {}
    for finding in out["findings"]:
        assert finding["rule"] == "partition-pruning", finding
        assert finding["path"] == "q.sql"
        by_line.setdefault(finding["line"], []).append(finding)
    return by_line


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[c[0][:60] for c in CASES])
def test_static_verdict(verdicts: dict[int, list[dict[str, Any]]], index: int, case: tuple[str, bool]) -> None:
    sql, prunable = case
    found = verdicts.get(index + 1, [])
    if prunable:
        assert not found, found[0]["message"]
    else:
        assert found, f"expected a finding for: {sql}"


def test_the_finding_names_table_kind_column_reason_and_fix(repo: Repo) -> None:
    out = _run(repo, "SELECT id,\n  status FROM orders\n  WHERE DATE(created_at) = ?;\n")
    [finding] = out["findings"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (
        2,
        15,
        21,
    )  # "orders", end exclusive
    message = finding["message"]
    assert message.startswith("query reads all 3 partitions of orders: ") and "wraps created_at in DATE()" in message
    assert finding["properties"]["partitioning"] == "RANGE on TO_DAYS(created_at)"
    assert "add a condition on the bare column created_at" in finding["properties"]["advice"]


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("SELECT * FROM orders WHERE YEAR(created_at) = 2025", "wraps created_at in YEAR()"),
        (
            "SELECT * FROM orders WHERE created_at + INTERVAL 1 DAY > ?",
            "wraps created_at in arithmetic",
        ),
        (
            "SELECT * FROM orders WHERE created_at > ? OR user_id = 1",
            "the OR branch `user_id = 1` does not restrict created_at",
        ),
        (
            "SELECT * FROM users u JOIN orders o ON o.created_at = u.created_at",
            "compares created_at only with another table's column",
        ),
        ("SELECT * FROM events WHERE region > 3", "a range on region cannot prune HASH partitions"),
        (
            "SELECT * FROM sessions WHERE a = 1",
            "KEY over (a, b) needs = or IN on every one of them",
        ),
        (
            "SELECT * FROM logs WHERE host = 'web1'",
            "RANGE COLUMNS partitions are found from the first column, day",
        ),
        ("SELECT * FROM regions WHERE code > 4", "cannot prune through MOD(code, 3)"),
        ("DELETE FROM orders", "the query reading it has no WHERE clause"),
    ],
)
def test_each_reason(repo: Repo, sql: str, reason: str) -> None:
    out = _run(repo, sql + ";\n")
    [finding] = out["findings"]
    assert reason in finding["message"]


def test_sql_in_application_code_and_suppression(repo: Repo) -> None:
    code = (
        "def recent(db, day):\n"
        "    return db.execute(\n"
        '        "SELECT * FROM orders WHERE DATE(created_at) = %s", (day,))\n'
        "\n"
        "def ok(db, since):\n"
        '    return db.execute("SELECT * FROM orders WHERE created_at >= %s", (since,))\n'
    )
    out = _run(
        repo,
        "-- guardrails:ignore[partition-pruning] monthly report, runs on a replica\nSELECT COUNT(*) FROM orders;\n",
        extra={"app/orders.py": code},
    )
    flagged = [(f["path"], f["line"], f["suppressed"]) for f in out["findings"]]
    assert flagged == [("app/orders.py", 3, False), ("q.sql", 2, True)]


def test_a_broken_schema_file_and_a_broken_query_do_not_stop_the_others(repo: Repo) -> None:
    schema = SCHEMA + "CREATE TABLE broken (id INT) PARTITION BY RANGE (id) (PARTITION p0 VALUES AT (1));\n"
    out = _run(repo, "SELECT * FROM orders WHERE (;\nSELECT * FROM events;\n", schema=schema)
    assert [(f["rule"], f["path"], f["line"]) for f in out["findings"]] == [
        ("parse-error", "db/schema.sql", 17),
        ("parse-error", "q.sql", 1),
        ("partition-pruning", "q.sql", 2),
    ]
