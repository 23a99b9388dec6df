"""Live checks end to end: `guardrails db apply-schema`, then `guardrails run` EXPLAINs on MariaDB."""

from __future__ import annotations

from tests.helpers import Repo, guardrails
from tests.mariadb import MariaDB

SCHEMA = """\
CREATE TABLE orders (
  id INT NOT NULL,
  created DATE NOT NULL,
  status VARCHAR(10),
  PRIMARY KEY (id, created)
) /*!50100 PARTITION BY RANGE (TO_DAYS(created))
(PARTITION p2023 VALUES LESS THAN (TO_DAYS('2024-01-01')),
 PARTITION p2024 VALUES LESS THAN (TO_DAYS('2025-01-01')),
 PARTITION pmax VALUES LESS THAN MAXVALUE) */;
INSERT INTO orders VALUES (1, '2024-01-01', 'seed');
"""
MIGRATION = "CREATE TABLE audit (id INT PRIMARY KEY, note VARCHAR(50));\n"
QUERIES = """\
SELECT * FROM orders WHERE created = ?;
SELECT status, COUNT(*) FROM orders GROUP BY status ORDER BY COUNT(*) DESC;
SELECT * FROM orders WHERE status = ?;
SELECT * FROM audit WHERE id = 1;
"""
CONFIG = """\
version: 1
sql:
  sources: ["queries/*.sql"]
  schema: ["db/*.sql"]
database:
  dsn: ${GUARDRAILS_MYSQL_DSN}
rules:
  partition-pruning: {severity: error, mode: live}
  explain-plan: {severity: warning, min_rows: 0, tables: {audit: {temporary: false}}}
"""


def test_apply_schema_then_live_checks(repo: Repo, mariadb: MariaDB) -> None:
    dsn = mariadb.fresh_database("ci_scratch")
    repo.write(".guardrails.yml", CONFIG)
    repo.write("db/001_orders.sql", SCHEMA)
    repo.write("db/002_audit.sql", MIGRATION)
    repo.write("queries/app.sql", QUERIES)
    repo.commit("app")
    env = {"GUARDRAILS_MYSQL_DSN": dsn}

    applied = guardrails(repo.root, "db", "apply-schema", env=env)
    assert applied.code == 0, applied.stderr
    assert "applied 2 statements" in applied.stdout and "1 skipped" in applied.stdout
    assert mariadb.password not in applied.stdout + applied.stderr
    tables = mariadb.admin("SHOW TABLES FROM ci_scratch")
    assert sorted(t[0] for t in tables) == ["audit", "orders"]

    again = guardrails(repo.root, "db", "apply-schema", env=env)
    assert again.code == 2 and "--reset" in again.stderr
    assert guardrails(repo.root, "db", "apply-schema", "--reset", env=env).code == 0

    run = guardrails(repo.root, "run", "--format", "json", env=env, process=True)
    assert run.code == 1, run.stderr
    assert mariadb.password not in run.stdout + run.stderr
    found = {(f["rule"], f["line"]) for f in run.json()["findings"]}
    plan_messages = " | ".join(
        f["message"] for f in run.json()["findings"] if f["rule"] == "explain-plan" and f["line"] == 2
    )
    # line 1 prunes with the placeholder filled with a DATE: no partition-pruning finding there
    assert ("partition-pruning", 1) not in found
    assert ("partition-pruning", 3) in found  # status = ? reads all 3 partitions
    assert "Using filesort" in plan_messages and "Using temporary" in plan_messages
    assert ("explain-plan", 3) in found  # min_rows 0: the full scan of every partition counts
    assert ("explain-plan", 4) not in found  # primary-key lookup


def test_unreachable_database_is_one_clear_error(repo: Repo, mariadb: MariaDB) -> None:
    repo.write(".guardrails.yml", CONFIG)
    repo.write("db/001_orders.sql", SCHEMA)
    repo.write("queries/app.sql", QUERIES)
    repo.commit("app")
    bad = f"mysql://app:Wrong-Pass-1@127.0.0.1:{mariadb.port}/ci_scratch"
    run = guardrails(repo.root, "run", "--format", "json", env={"GUARDRAILS_MYSQL_DSN": bad})
    assert run.code == 2
    assert "Wrong-Pass-1" not in run.stdout + run.stderr
    assert "Access denied" in run.stdout + run.stderr


def test_mode_both_reports_one_finding_per_place_with_the_live_verdict(repo: Repo, mariadb: MariaDB) -> None:
    dsn = mariadb.fresh_database("both_modes")
    repo.write(".guardrails.yml", CONFIG.replace("mode: live", "mode: both"))
    repo.write("db/001_orders.sql", SCHEMA)
    repo.write("db/002_audit.sql", MIGRATION)
    repo.write("queries/app.sql", QUERIES)
    repo.commit("app")
    env = {"GUARDRAILS_MYSQL_DSN": dsn}
    assert guardrails(repo.root, "db", "apply-schema", env=env).code == 0
    run = guardrails(repo.root, "run", "--format", "json", "--select", "partition-pruning", env=env)
    found = [f for f in run.json()["findings"] if f["rule"] == "partition-pruning"]
    # both queries without a condition on `created` read every partition, statically and on the
    # database: each is reported once, with the database's verdict
    assert [f["line"] for f in found] == [2, 3]
    assert all(f["properties"].get("source") == "live" or "EXPLAIN" in f["message"] for f in found), found
