"""Adversarial input through the EXPLAIN runner changes nothing on the server or the disk.

The runner connects as a user with every privilege on every database (FILE,
GRANT and SUPER-level ones included), so any statement that slipped past it
would do real damage. After 200+ hostile inputs: every table's checksum, the
list of databases, tables and users, the grants, the global variables and the
server's file directory (``secure_file_priv``: the only place it can write
files) are unchanged, no table file appeared in or left the data directory,
and the general query log shows that the runner sent nothing but its fixed
session set-up, transactions, and ``EXPLAIN`` of one vetted statement.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guardrails.mysql.runner import SERVER_CODE_QUERIES, SQL_MODE, DatabaseError, ExplainRunner, Refused
from tests.mariadb import MariaDB

DB = "safety"
POWER_USER, POWER_PASSWORD = "power", "power-Pw-77"
SCHEMA = [
    "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), d DATE)",
    "CREATE TABLE p (id INT, d DATE, PRIMARY KEY (id, d)) PARTITION BY RANGE (YEAR(d))"
    " (PARTITION p0 VALUES LESS THAN (2024), PARTITION p1 VALUES LESS THAN MAXVALUE)",
    "INSERT INTO t VALUES (1, 'a', '2023-01-01'), (2, 'b', '2024-01-01')",
    "INSERT INTO p VALUES (1, '2023-01-01'), (2, '2025-01-01')",
    "CREATE PROCEDURE wipe() DELETE FROM t",
    "CREATE FUNCTION bump() RETURNS INT MODIFIES SQL DATA BEGIN DELETE FROM t; RETURN 1; END",
]


def payloads(file_dir: Path) -> list[str]:
    out = file_dir / "leak.txt"
    return [
        "DROP TABLE t",
        "DROP DATABASE safety",
        "DELETE FROM t",
        "UPDATE t SET v = 'owned'",
        "INSERT INTO t VALUES (99, 'x', NULL)",
        "REPLACE INTO t VALUES (1, 'x', NULL)",
        "TRUNCATE TABLE t",
        "CREATE TABLE evil (a INT)",
        "ALTER TABLE t ADD COLUMN evil INT",
        "RENAME TABLE t TO t_old",
        f"SELECT * FROM t INTO OUTFILE '{out}'",
        f"SELECT v FROM t LIMIT 1 INTO DUMPFILE '{out}'",
        "GRANT ALL PRIVILEGES ON *.* TO 'app'@'127.0.0.1'",
        "CREATE USER 'mallory'@'%' IDENTIFIED BY 'x'",
        "SET GLOBAL max_connections = 3",
        "SET @@global.read_only = 1",
        "SET @x = 1",
        "CALL wipe()",
        "DO SLEEP(3)",
        "LOCK TABLES t WRITE",
        "FLUSH TABLES WITH READ LOCK",
        "LOAD DATA INFILE '/etc/passwd' INTO TABLE t",
        "HANDLER t OPEN",
        "KILL CONNECTION_ID()",
        "SHUTDOWN",
        "INSTALL SONAME 'ha_blackhole'",
        "CREATE DATABASE evil",
    ]


def wrappers() -> list[str]:
    return [
        "{p}",
        "SELECT 1; {p}",
        "SELECT 1;{p};",
        "SELECT * FROM t WHERE id = 1;\n{p}",
        "SELECT 1 /*!; {p} */",
        "SELECT 1 /*!50000 ; {p} */",
        "SELECT 1 /*M!100000 ; {p} */",
        "SELECT 1 -- \n; {p}",
        "SELECT 1 #\n;{p}",
        "SELECT 1\\G {p}",
        "DELIMITER //\nSELECT 1//\n{p}//",
        "SELECT 'it''s'; {p}",
        'SELECT "a\\""; {p}',
        "SELECT `x;y` FROM t; {p}",
        "/* hi */ {p}",
    ]


SPECIAL = [
    "SELECT SLEEP(5)",
    "SELECT * FROM t WHERE id = (SELECT SLEEP(5))",
    "SELECT BENCHMARK(100000000, MD5('x'))",
    "SELECT GET_LOCK('guardrails', 10)",
    "SELECT LOAD_FILE('/etc/passwd')",
    "SELECT @a := v FROM t",
    "SELECT v INTO @a FROM t LIMIT 1",
    "SELECT v FROM t LIMIT 1 INTO @a",
    "EXPLAIN ANALYZE SELECT * FROM t",
    "ANALYZE SELECT * FROM t",
    "ANALYZE FORMAT=JSON DELETE FROM t",
    "EXPLAIN SELECT 1; DROP TABLE t",
    "SELECT * FROM t PROCEDURE ANALYSE()",
    "SELECT bump()",
    "SELECT * FROM t WHERE id = bump()",
    "UPDATE t SET v = bump()",
    "SELECT * FROM t WHERE id = 1 /*! OR SLEEP(3) */",
    "SELECT * FROM t WHERE id = 1 /*!99999 OR SLEEP(3) */",
    "SELECT 'a\\'; DROP TABLE t; -- '",
    "SELECT 1 --; DROP TABLE t",
    "SELECT 1 --1; DROP TABLE t",
    "SELECT * FROM t FOR UPDATE",
    "SELECT * FROM t LOCK IN SHARE MODE",
    "DELETE FROM t",
    "UPDATE t SET v = 'owned'",
    "INSERT INTO t VALUES (99, 'x', NULL)",
    "REPLACE INTO t VALUES (1, 'x', NULL)",
    "INSERT INTO t SELECT id + 100, v, d FROM t",
    "DELETE FROM p WHERE d < '2024-01-01'",
    "WITH x AS (SELECT 1) DELETE FROM t",
    "SELECT NEXTVAL(s)",
    "SELECT SETVAL(s, 100)",
    "SELECT * FROM t WHERE v = CHAR(59) AND 1 = 1",
    "SELECT 1 UNION SELECT LOAD_FILE('/etc/shadow')",
    "SELECT RELEASE_ALL_LOCKS()",
    "SELECT MASTER_POS_WAIT('log', 4)",
    "XA START 'x'",
    "SAVEPOINT s",
    "COMMIT",
    "SET TRANSACTION READ WRITE",
    "PREPARE s FROM 'DROP TABLE t'",
    "EXECUTE s",
    "\x00SELECT 1; DROP TABLE t",
    "SELECT 1；DROP TABLE t",
]


@pytest.fixture(scope="module")
def power_dsn(mariadb: MariaDB) -> str:
    mariadb.fresh_database(DB)
    mariadb.admin_many(SCHEMA, database=DB)
    return mariadb.power_user(POWER_USER, POWER_PASSWORD, DB)


def _state(mariadb: MariaDB) -> dict[str, object]:
    files = sorted((str(path), path.stat().st_size) for path in mariadb.secure_file_dir.rglob("*"))
    return {
        "checksums": mariadb.checksums(DB),
        "databases": mariadb.admin("SHOW DATABASES"),
        "users": mariadb.admin("SELECT user, host FROM mysql.user ORDER BY 1, 2"),
        "grants": mariadb.admin(f"SHOW GRANTS FOR '{mariadb.user}'@'127.0.0.1'"),
        "globals": mariadb.admin("SELECT @@global.max_connections, @@global.read_only"),
        "routines": mariadb.admin("SELECT routine_name FROM information_schema.routines"),
        "files": files,
        # a table created or dropped behind the runner's back shows as a file in the datadir
        "datadir": sorted(os.listdir(mariadb.root_dir / "data" / DB)),
    }


def test_adversarial_inputs_change_nothing(mariadb: MariaDB, power_dsn: str) -> None:
    inputs = [w.format(p=p) for p in payloads(mariadb.secure_file_dir) for w in wrappers()]
    inputs += SPECIAL
    assert len(inputs) >= 200
    mariadb.admin("SET GLOBAL log_output = 'TABLE'")
    mariadb.admin("TRUNCATE TABLE mysql.general_log")
    mariadb.admin("SET GLOBAL general_log = 'ON'")
    before = _state(mariadb)
    outcomes = {"refused": 0, "explained": 0, "rejected by server": 0}
    try:
        with ExplainRunner(power_dsn, time_limit_ms=1000) as runner:
            for sql in inputs:
                try:
                    runner.explain(sql)
                    outcomes["explained"] += 1
                except Refused:
                    outcomes["refused"] += 1
                except DatabaseError as exc:
                    assert POWER_PASSWORD not in str(exc)
                    outcomes["rejected by server"] += 1
        sent = [
            r[0].decode() if isinstance(r[0], bytes) else str(r[0])
            for r in mariadb.admin(
                "SELECT argument FROM mysql.general_log WHERE command_type = 'Query' AND user_host LIKE %s",
                f"{POWER_USER}%",
            )
        ]
    finally:
        mariadb.admin("SET GLOBAL general_log = 'OFF'")
    after = _state(mariadb)
    print(f"\n{len(inputs)} adversarial inputs: {outcomes}")
    assert after == before
    session = {
        "SELECT VERSION()",
        "SET SESSION lock_wait_timeout = 5",
        "SET SESSION innodb_lock_wait_timeout = 5",
        "SET SESSION max_statement_time = 1.000",
        f"SET SESSION sql_mode = '{SQL_MODE}'",
        "SELECT @@SESSION.sql_mode",
        *SERVER_CODE_QUERIES.values(),
        "START TRANSACTION READ ONLY",
        "START TRANSACTION",
        "ROLLBACK",
    }
    others = [s for s in sent if s not in session and not s.startswith("SET NAMES")]
    assert others, "the general log recorded nothing: the test would prove nothing"
    for statement in others:
        assert statement.startswith(("EXPLAIN PARTITIONS ", "EXPLAIN FORMAT=JSON ")), statement
        body = statement.split(" ", 2)[2]
        assert ";" not in body.replace("';'", "") or "'" in body, statement
    assert outcomes["explained"] >= 8  # the harmless DML and SELECTs were explained, not refused
    assert outcomes["refused"] >= 200
