"""The EXPLAIN runner against a real MariaDB: what it sends, what it refuses, how it fails."""

from __future__ import annotations

import pytest

from guardrails.mysql.dsn import DsnError, parse_dsn
from guardrails.mysql.runner import DatabaseError, ExplainRunner, Refused, vet
from tests.mariadb import MariaDB

SCHEMA = [
    "CREATE TABLE orders (id INT NOT NULL, created DATE NOT NULL, customer INT,"
    " total DECIMAL(10,2), PRIMARY KEY (id, created)) PARTITION BY RANGE (TO_DAYS(created)) ("
    " PARTITION p2023 VALUES LESS THAN (TO_DAYS('2024-01-01')),"
    " PARTITION p2024 VALUES LESS THAN (TO_DAYS('2025-01-01')),"
    " PARTITION pmax VALUES LESS THAN MAXVALUE)",
    "INSERT INTO orders VALUES (1, '2023-05-01', 7, 10), (2, '2024-05-01', 8, 20), (3, '2025-05-01', 9, 30)",
]


@pytest.fixture(scope="module")
def runner_db(mariadb: MariaDB) -> str:
    dsn = mariadb.fresh_database("runner")
    mariadb.admin_many(SCHEMA, database="runner")
    return dsn


def test_explain_reports_the_partitions_read(runner_db: str) -> None:
    with ExplainRunner(runner_db) as runner:
        assert runner.server.flavor == "mariadb"
        pruned = runner.explain("SELECT * FROM orders WHERE created = '2024-03-01'")
        everything = runner.explain("SELECT * FROM orders WHERE customer = 7;")
    assert [r.partitions for r in pruned.rows] == [["p2024"]]
    assert [r.partitions for r in everything.rows] == [["p2023", "p2024", "pmax"]]
    assert everything.rows[0].access_type == "ALL"
    assert everything.statement == "SELECT * FROM orders WHERE customer = 7"


def test_update_delete_insert_and_replace_are_explained_not_run(runner_db: str, mariadb: MariaDB) -> None:
    before = mariadb.checksums("runner")
    with ExplainRunner(runner_db) as runner:
        for sql in (
            "UPDATE orders SET total = 0 WHERE created < '2024-01-01'",
            "DELETE FROM orders WHERE customer = 8",
            "INSERT INTO orders VALUES (4, '2024-02-02', 1, 1)",
            "REPLACE INTO orders VALUES (1, '2023-05-01', 7, 99)",
            "INSERT INTO orders SELECT id + 10, created, customer, total FROM orders",
        ):
            plan = runner.explain(sql)
            assert plan.rows, sql
    assert mariadb.checksums("runner") == before


def test_comments_are_not_sent() -> None:
    vetted = vet("SELECT id /* a comment */ FROM orders -- trailing\n WHERE id = 1 # more\n")
    assert vetted.text == "SELECT id FROM orders WHERE id = 1"


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("SELECT 1; DROP TABLE orders", "2 statements"),
        ("SELECT 1 /*!50000 ; DROP TABLE orders */", "statements"),
        ("SELECT 1 /*!50000 , SLEEP(5) */", "executable"),
        ("EXPLAIN ANALYZE SELECT * FROM orders", "ANALYZE"),
        ("ANALYZE SELECT * FROM orders", "ANALYZE"),
        ("SELECT * FROM orders INTO OUTFILE '/tmp/x'", "OUTFILE"),
        ("SELECT * INTO DUMPFILE '/tmp/x' FROM orders", "DUMPFILE"),
        ("SELECT @a := id FROM orders", ":="),
        ("SELECT id INTO @a FROM orders", "INTO"),
        ("SET @a = 1", "not SET"),
        ("CALL refresh()", "not CALL"),
        ("DROP TABLE orders", "DROP"),
        ("SELECT SLEEP(10)", "SLEEP"),
        ("SELECT * FROM orders WHERE id = (SELECT BENCHMARK(1e9, MD5('x')))", "BENCHMARK"),
        ("SELECT FROM WHERE", "cannot parse"),
        ("", "no statement"),
    ],
)
def test_refused(sql: str, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        vet(sql)


def test_time_limit_and_read_only_session(runner_db: str) -> None:
    with ExplainRunner(runner_db, time_limit_ms=1500) as runner:
        runner.explain("SELECT 1")
        _, rows = runner._query("SELECT @@max_statement_time, @@lock_wait_timeout")
        assert float(rows[0][0]) == pytest.approx(1.5)
        assert int(rows[0][1]) == 5


def test_connection_errors_never_show_the_password(mariadb: MariaDB) -> None:
    bad = f"mysql://app:{mariadb.password}x@127.0.0.1:{mariadb.port}/runner"
    with pytest.raises(DatabaseError) as caught, ExplainRunner(bad, connect_timeout_s=2) as runner:
        runner.explain("SELECT 1")
    assert mariadb.password not in str(caught.value)
    assert "***" in str(caught.value) and "Access denied" in str(caught.value)


def test_server_errors_are_reported_redacted(runner_db: str, mariadb: MariaDB) -> None:
    with (
        pytest.raises(DatabaseError, match="doesn't exist") as caught,
        ExplainRunner(runner_db) as r,
    ):
        r.explain("SELECT * FROM no_such_table")
    assert mariadb.password not in str(caught.value)


def test_dsn_parsing_and_redaction() -> None:
    dsn = parse_dsn("mysql://ci:p%40ss:w0rd@db.example:3307/shop?ssl_ca=/etc/ca.pem")
    assert (dsn.host, dsn.port, dsn.user, dsn.password, dsn.database) == (
        "db.example",
        3307,
        "ci",
        "p@ss:w0rd",
        "shop",
    )
    assert "p@ss" not in repr(dsn) and "p@ss" not in str(dsn) and "p%40ss" not in str(dsn)
    assert dsn.redact("login p@ss:w0rd failed (p%40ss%3Aw0rd)") == "login *** failed (***)"
    for bad, words in [
        ("postgres://u:secretpw@h/db", "must start with mysql://"),
        ("mysql://u:secretpw@h:3306/", "one database"),
        ("mysql://u:secretpw@h:99999999/db", "not a URL"),
        ("mysql://u:secretpw@h/db?sslca=x", "unknown option 'sslca'"),
    ]:
        with pytest.raises(DsnError, match=words) as caught:
            parse_dsn(bad)
        assert "secretpw" not in str(caught.value)


def test_tls_options_reach_the_driver_as_it_reads_them() -> None:
    import ssl

    import pymysql

    def connection(query: str) -> pymysql.connections.Connection:
        args = parse_dsn(f"mysql://u:pw@127.0.0.1:1/db?{query}").connect_args()
        return pymysql.connections.Connection(defer_connect=True, **args)

    unverified = connection("ssl_verify_cert=false")
    assert unverified.ssl and unverified.ctx.verify_mode == ssl.CERT_NONE and not unverified.ctx.check_hostname
    verified = connection("ssl_verify_cert=true")
    assert verified.ctx.verify_mode == ssl.CERT_REQUIRED  # (pymysql checks the host name only with ssl_ca)
    assert not connection("ssl_disabled=true").ssl
    assert connection("charset=latin1").charset == "latin1"
