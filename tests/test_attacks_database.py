"""Issue 12, live database: what an attacker's pull request can make the runner and apply-schema do.

Every case runs against the real MariaDB of ``tests/mariadb.py`` as a user with every privilege,
and proves the server's state afterwards: table checksums, sequences, locks, files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails.mysql.runner import DatabaseError, ExplainRunner, Refused
from tests.attack_tally import tally
from tests.helpers import Repo, guardrails
from tests.mariadb import MariaDB

DB = "attack"
USER, PASSWORD = "attacker_power", "attacker-Pw-31"


@pytest.fixture(scope="module")
def power(mariadb: MariaDB) -> str:
    """A database with deterministic stored functions that write, and a user who may do anything."""
    mariadb.fresh_database(DB)
    files = mariadb.secure_file_dir
    mariadb.admin_many(
        [
            "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB",
            "INSERT INTO t VALUES (1, 'a'), (2, 'b')",
            "CREATE TABLE audit_myisam (n INT) ENGINE=MyISAM",
            "CREATE TABLE audit_aria (n INT) ENGINE=Aria",
            "CREATE SEQUENCE s",
            "CREATE FUNCTION w_myisam() RETURNS INT DETERMINISTIC MODIFIES SQL DATA"
            " BEGIN INSERT INTO audit_myisam VALUES (1); RETURN 1; END",
            "CREATE FUNCTION w_aria() RETURNS INT DETERMINISTIC MODIFIES SQL DATA"
            " BEGIN INSERT INTO audit_aria VALUES (1); RETURN 1; END",
            "CREATE FUNCTION w_seq() RETURNS INT DETERMINISTIC MODIFIES SQL DATA BEGIN RETURN NEXTVAL(s); END",
            "CREATE FUNCTION w_lock() RETURNS INT DETERMINISTIC NO SQL RETURN GET_LOCK('guardrails-attack', 0)",
            "CREATE FUNCTION w_file() RETURNS INT DETERMINISTIC READS SQL DATA"
            f" BEGIN SELECT v INTO OUTFILE '{files / 'attack.txt'}' FROM t LIMIT 1; RETURN 1; END",
        ],
        database=DB,
    )
    return mariadb.power_user(USER, PASSWORD, DB)


def _state(mariadb: MariaDB) -> dict[str, object]:
    return {
        "checksums": mariadb.checksums(DB),
        "sequence": mariadb.admin(f"SELECT next_not_cached_value FROM `{DB}`.s"),
        "lock": mariadb.admin("SELECT IS_FREE_LOCK('guardrails-attack')"),
        "files": sorted(p.name for p in mariadb.secure_file_dir.iterdir()),
    }


def _changes(before: dict[str, object], after: dict[str, object]) -> int:
    return sum(before[facet] != after[facet] for facet in before)


ATTACKS = [
    "SELECT * FROM t WHERE id = w_myisam()",
    "SELECT * FROM t WHERE id = w_aria()",
    "SELECT * FROM t WHERE id = w_seq()",
    "SELECT * FROM t WHERE id = w_lock()",
    "SELECT * FROM t WHERE id = w_file()",
    f"SELECT * FROM t WHERE id = `{DB}`.w_myisam()",
    "UPDATE t SET v = 'x' WHERE id = w_myisam()",
    "DELETE FROM t WHERE id = w_aria()",
    "UPDATE t SET v = 'x' WHERE id = w_seq()",
    "DELETE FROM t WHERE id = w_lock()",
    "INSERT INTO t SELECT id + 10, v FROM t WHERE id = w_myisam()",
    f"DELETE FROM t WHERE id = {DB}.w_file()",
]


def test_stored_functions_called_by_a_statement_change_nothing(
    mariadb: MariaDB, power: str, record_property: Callable[[str, object], None]
) -> None:
    before = _state(mariadb)
    refused = 0
    with ExplainRunner(power, time_limit_ms=1000) as runner:
        for sql in ATTACKS:
            with contextlib.suppress(Refused, DatabaseError):
                runner.explain(sql)
                continue
            refused += 1
        # the harmless statements of the same shapes are still explained
        assert runner.explain("SELECT * FROM t WHERE id = ABS(-1)").rows
        assert runner.explain("UPDATE t SET v = 'x' WHERE id = 1").rows
    after = _state(mariadb)
    tally(record_property, tried=len(ATTACKS) + 2, refused=refused, explained=2, state_changes=_changes(before, after))
    assert after == before
    assert refused == len(ATTACKS)


def test_the_server_reads_quotes_the_way_the_vetting_did(
    mariadb: MariaDB, power: str, record_property: Callable[[str, object], None]
) -> None:
    # Under NO_BACKSLASH_ESCAPES, 'a\' ends the string where sqlglot sees an escaped quote, so
    # the function call sqlglot read as text would run. The runner sets its own sql_mode.
    mariadb.admin("SET GLOBAL sql_mode = 'NO_BACKSLASH_ESCAPES,ANSI_QUOTES'")
    try:
        before = _state(mariadb)
        refused = 0
        with ExplainRunner(power, time_limit_ms=1000) as runner:
            for sql in [
                "SELECT * FROM t WHERE v = 'a\\' OR id = w_myisam() -- '",
                "SELECT * FROM t WHERE v = 'a\\' OR id = w_seq() OR v = '' -- '",
            ]:
                with contextlib.suppress(Refused, DatabaseError):
                    runner.explain(sql)
                    continue
                refused += 1
            mode = runner._query("SELECT @@SESSION.sql_mode")[1][0][0]
        after = _state(mariadb)
        # explained: the server read the quotes as the vetting did, so the call stayed text
        tally(record_property, tried=2, refused=refused, explained=2 - refused, state_changes=_changes(before, after))
        assert after == before
        assert "NO_BACKSLASH_ESCAPES" not in mode and "ANSI_QUOTES" not in mode
    finally:
        mariadb.admin("SET GLOBAL sql_mode = DEFAULT")


# -- apply-schema -------------------------------------------------------------------------------
HOSTILE_SCHEMA = {
    "db/001_ctas.sql": "CREATE TABLE stolen AS SELECT user, host FROM mysql.user;\n",
    "db/002_load.sql": "CREATE TABLE f (a TEXT DEFAULT (LOAD_FILE('/etc/passwd')));\n",
    "db/003_rename.sql": "RENAME TABLE victim.keep TO attack_scratch.keep;\n",
    "db/004_drop.sql": "DROP TABLE victim.keep2;\n",
    "db/005_create.sql": "CREATE TABLE victim.planted (a INT);\n",
    "db/006_sleep.sql": "CREATE TABLE z (a INT DEFAULT (SLEEP(30)));\n",
    "db/007_ctas2.sql": "CREATE TABLE copy2 SELECT * FROM victim.keep2;\n",
    "db/008_alter.sql": "ALTER TABLE victim.keep ADD COLUMN b INT;\n",
    "db/009_view.sql": "CREATE VIEW v AS SELECT * FROM victim.keep;\n",
    "db/010_ok.sql": "CREATE TABLE ok (id INT PRIMARY KEY);\nALTER TABLE ok ADD COLUMN v INT;\n",
}


def test_apply_schema_runs_only_table_ddl_inside_the_scratch_database(
    repo: Repo, mariadb: MariaDB, power: str, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    mariadb.admin_many(
        [
            "DROP DATABASE IF EXISTS victim",
            "CREATE DATABASE victim",
            "CREATE TABLE victim.keep (id INT)",
            "CREATE TABLE victim.keep2 (id INT)",
            "DROP DATABASE IF EXISTS attack_scratch",
        ]
    )
    root_dsn = f"mysql://root@127.0.0.1:{mariadb.port}/attack_scratch"
    repo.write(".guardrails.yml", "version: 1\nsql:\n  schema: ['db/*.sql']\n")
    for path, text in HOSTILE_SCHEMA.items():
        repo.write(path, text)
    repo.commit("hostile schema")

    victim = [mariadb.admin("SHOW TABLES FROM victim"), mariadb.admin("SHOW COLUMNS FROM victim.keep")]
    result = guardrails(repo.root, "db", "apply-schema", "--dsn", root_dsn)
    hostile = [path for path in HOSTILE_SCHEMA if path != "db/010_ok.sql"]
    changed = victim != [mariadb.admin("SHOW TABLES FROM victim"), mariadb.admin("SHOW COLUMNS FROM victim.keep")]
    refused = sum(f"{path}:1: refused" in result.stderr for path in hostile)
    tally(record_property, tried=len(HOSTILE_SCHEMA), refused=refused, explained=1, state_changes=changed)
    assert result.code == 2, result.stdout
    assert "applied 2 statements" in result.stdout, result.stdout
    assert mariadb.admin("SHOW TABLES FROM victim") == [("keep",), ("keep2",)]
    assert mariadb.admin("SHOW COLUMNS FROM victim.keep") == [("id", "int(11)", "YES", "", None, "")]
    assert mariadb.admin("SHOW TABLES FROM attack_scratch") == [("ok",)]
    for path in HOSTILE_SCHEMA:
        if path != "db/010_ok.sql":
            assert f"{path}:1: refused" in result.stderr, result.stderr


def test_live_checks_stop_at_the_run_budget_and_say_so(
    mariadb: MariaDB, power: str, record_property: Callable[[str, object], None]
) -> None:
    from guardrails.testing import check

    queries = "".join(f"SELECT * FROM t WHERE v = 'q{i}';\n" for i in range(30))
    config = {
        "version": 1,
        "sql": {"sources": ["q.sql"]},
        "database": {"dsn": power, "time_budget_s": 0.001},
        "rules": {"explain-plan": {"severity": "warning", "min_rows": 0}},
    }
    result = check({"q.sql": queries}, config, select=["explain-plan"])
    stopped = [e for e in result.internal_errors if "budget of 0.001 s" in e]
    tally(record_property, tried=1, refused=len(stopped) == 1)
    assert len(stopped) == 1, result.internal_errors
    assert "q.sql:" in stopped[0] and PASSWORD not in stopped[0]
