"""The schema model read from a live MariaDB matches the model replayed from the same DDL."""

from __future__ import annotations

from guardrails.mysql.information_schema import load_schema_from_db
from guardrails.sql.schema import Schema
from guardrails.sql.schema_replay import replay_text
from tests.mariadb import MariaDB

DDL = [
    "CREATE TABLE k (a INT, b INT, PRIMARY KEY (a, b)) PARTITION BY KEY() PARTITIONS 3",
    "CREATE TABLE lk (a INT, b INT) PARTITION BY LINEAR KEY (b) PARTITIONS 2",
    "CREATE TABLE rc (a INT, d DATE) PARTITION BY RANGE COLUMNS(a, d) ("
    "PARTITION p0 VALUES LESS THAN (10, '2020-01-01'),"
    " PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE))",
    "CREATE TABLE lc (a INT, c VARCHAR(5)) PARTITION BY LIST COLUMNS(c) ("
    "PARTITION p0 VALUES IN ('a', 'b'), PARTITION p1 VALUES IN ('c', NULL))",
    "CREATE TABLE r (a INT, d DATETIME) PARTITION BY RANGE (YEAR(d))"
    " SUBPARTITION BY HASH(a) SUBPARTITIONS 2 ("
    "PARTITION p0 VALUES LESS THAN (2020), PARTITION p1 VALUES LESS THAN MAXVALUE)",
    "CREATE TABLE h (a INT, ts TIMESTAMP NOT NULL) PARTITION BY LINEAR HASH(UNIX_TIMESTAMP(ts)) PARTITIONS 4",
    "CREATE TABLE li (a INT) PARTITION BY LIST (a) (PARTITION p0 VALUES IN (1, 2, NULL), PARTITION p1 VALUES IN (3))",
    "CREATE TABLE plain (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(20))",
]


def _shape(schema: Schema) -> dict[str, object]:
    out: dict[str, object] = {}
    for (_, name), table in sorted(schema.tables.items()):
        p = table.partitioning
        out[name] = (
            [(c.name.lower(), c.data_type, c.nullable) for c in table.columns],
            table.primary_key,
            None
            if p is None
            else (
                p.kind,
                p.columns,
                p.function,
                p.partition_names,
                [part.subpartitions for part in p.partitions],
                p.subpartitioning and (p.subpartitioning.kind, p.subpartitioning.columns),
            ),
        )
    return out


def test_database_schema_matches_replayed_ddl(mariadb: MariaDB) -> None:
    dsn = mariadb.fresh_database("catalog")
    mariadb.admin_many(DDL, database="catalog")
    live = load_schema_from_db(dsn)
    replayed = Schema()
    replay_text(replayed, "schema.sql", ";\n".join(DDL) + ";\n")
    assert not live.problems and not replayed.problems
    live_shape, replayed_shape = _shape(live), _shape(replayed)
    assert set(live_shape) == {"k", "lk", "rc", "lc", "r", "h", "li", "plain"}
    for name in live_shape:  # column types are spelled by the server; names and the rest must agree
        live_columns, *live_rest = live_shape[name]  # type: ignore[misc]
        replayed_columns, *replayed_rest = replayed_shape[name]  # type: ignore[misc]
        assert [c[0] for c in live_columns] == [c[0] for c in replayed_columns], name
        assert live_rest == replayed_rest, name
    r = live.lookup("r")
    assert r is not None and r.partitioning is not None
    assert r.partitioning.describe() == "RANGE on year(`d`)" or r.partitioning.function == "YEAR"
    assert live.lookup("k").partitioning.columns == ("a", "b")  # type: ignore[union-attr]
    assert live.lookup("plain").column("id").column_type == "bigint(20) unsigned"  # type: ignore[union-attr]


def test_unreachable_database_is_a_finding_without_the_password(mariadb: MariaDB) -> None:
    schema = load_schema_from_db(f"mysql://app:wrong-Secret@127.0.0.1:{mariadb.port}/catalog")
    assert len(schema.problems) == 1
    message = schema.problems[0].message
    assert "Access denied" in message and "wrong-Secret" not in message
