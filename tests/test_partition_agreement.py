"""The static partition-pruning verdict agrees with what MariaDB's EXPLAIN PARTITIONS says.

One schema with every partitioning kind is created on the real server from
the same DDL the static model replays, with sample rows in every partition.
Each query is judged twice: statically (guardrails.sql.pruning.analyse) and by
EXPLAIN through the safe runner, placeholders filled the way the live check
fills them. Per table reference, "pruned" means the plan reads fewer
partitions than the table has (one subpartition of every partition still
reads every partition: see live.partitions_read). The agreement rate is printed
and must be 100%, apart from the EXCEPTIONS below, each with the manual's reason
(and each must still disagree, so the list cannot go stale).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from guardrails.mysql.live import partitions_read
from guardrails.mysql.placeholders import fill_placeholders
from guardrails.mysql.runner import ExplainRunner
from guardrails.sql.dialect import DIALECT
from guardrails.sql.pruning import analyse
from guardrails.sql.schema import Schema
from guardrails.sql.schema_replay import replay_text
from tests.mariadb import MariaDB

DDL = """
CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20), country CHAR(2));
CREATE TABLE orders (id INT NOT NULL, customer_id INT NOT NULL, created DATE NOT NULL,
  status VARCHAR(10), total INT, PRIMARY KEY (id, created), KEY (customer_id))
  PARTITION BY RANGE (TO_DAYS(created)) (
    PARTITION p2023 VALUES LESS THAN (TO_DAYS('2024-01-01')),
    PARTITION p2024 VALUES LESS THAN (TO_DAYS('2025-01-01')),
    PARTITION p2025 VALUES LESS THAN (TO_DAYS('2026-01-01')),
    PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE events (id INT NOT NULL, ts DATETIME NOT NULL, kind INT)
  PARTITION BY RANGE (YEAR(ts)) (PARTITION p2023 VALUES LESS THAN (2024),
    PARTITION p2024 VALUES LESS THAN (2025), PARTITION p2025 VALUES LESS THAN (2026),
    PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE ranks (id INT, score INT) PARTITION BY RANGE (score) (
    PARTITION p0 VALUES LESS THAN (100), PARTITION p1 VALUES LESS THAN (200),
    PARTITION p2 VALUES LESS THAN (300), PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE logs (id INT, region INT, msg VARCHAR(20)) PARTITION BY LIST (region) (
    PARTITION pe VALUES IN (1, 2), PARTITION pw VALUES IN (3, 4), PARTITION pn VALUES IN (5, NULL));
CREATE TABLE tenant_items (tenant_id INT NOT NULL, item INT NOT NULL,
  PRIMARY KEY (tenant_id, item)) PARTITION BY HASH (tenant_id) PARTITIONS 4;
CREATE TABLE sessions (id INT NOT NULL PRIMARY KEY, token VARCHAR(20))
  PARTITION BY KEY () PARTITIONS 4;
CREATE TABLE metrics (a INT, b INT, v INT) PARTITION BY RANGE COLUMNS (a, b) (
    PARTITION p0 VALUES LESS THAN (10, 10), PARTITION p1 VALUES LESS THAN (20, 20),
    PARTITION p2 VALUES LESS THAN (MAXVALUE, MAXVALUE));
CREATE TABLE tags (country CHAR(2), name VARCHAR(10)) PARTITION BY LIST COLUMNS (country) (
    PARTITION peu VALUES IN ('de', 'fr'), PARTITION pus VALUES IN ('us', 'ca'),
    PARTITION pas VALUES IN ('jp', 'cn', 'a'));
CREATE TABLE clicks (id INT, ts TIMESTAMP NOT NULL DEFAULT '2024-01-01 00:00:00')
  PARTITION BY RANGE (UNIX_TIMESTAMP(ts)) (
    PARTITION p2023 VALUES LESS THAN (UNIX_TIMESTAMP('2024-01-01 00:00:00')),
    PARTITION p2024 VALUES LESS THAN (UNIX_TIMESTAMP('2025-01-01 00:00:00')),
    PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE visits (id INT, ts DATETIME NOT NULL) PARTITION BY RANGE (TO_SECONDS(ts)) (
    PARTITION p2023 VALUES LESS THAN (TO_SECONDS('2024-01-01')),
    PARTITION p2024 VALUES LESS THAN (TO_SECONDS('2025-01-01')),
    PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE shards (id INT, v INT) PARTITION BY LINEAR HASH (id) PARTITIONS 4;
CREATE TABLE buckets (id INT, v INT) PARTITION BY LINEAR KEY (id) PARTITIONS 3;
CREATE TABLE ledger (id INT NOT NULL, d DATE NOT NULL) PARTITION BY RANGE (YEAR(d))
  SUBPARTITION BY HASH (id) SUBPARTITIONS 2 (
    PARTITION p2023 VALUES LESS THAN (2024), PARTITION p2024 VALUES LESS THAN (2025),
    PARTITION pmax VALUES LESS THAN MAXVALUE);
"""

ROWS = [
    "INSERT INTO customers VALUES (1, 'ann', 'de'), (2, 'bob', 'us'), (3, 'cy', 'jp')",
    "INSERT INTO orders VALUES "
    + ", ".join(f"({i}, {i % 3 + 1}, DATE_ADD('2023-01-01', INTERVAL {i * 9} DAY), 'new', {i})" for i in range(1, 200)),
    "INSERT INTO events SELECT id, created, id % 5 FROM orders",
    "INSERT INTO ranks SELECT id, id * 2 FROM orders",
    "INSERT INTO logs SELECT id, id % 5 + 1, 'm' FROM orders",
    "INSERT INTO logs VALUES (500, NULL, 'null region')",
    "INSERT INTO tenant_items SELECT id % 9, id FROM orders",
    "INSERT INTO sessions SELECT id, 'tok' FROM orders",
    "INSERT INTO metrics SELECT id % 30, id % 25, id FROM orders",
    "INSERT INTO tags SELECT ELT(id % 7 + 1, 'de', 'fr', 'us', 'ca', 'jp', 'cn', 'a'), 'n' FROM orders",
    "INSERT INTO clicks SELECT id, created FROM orders",
    "INSERT INTO visits SELECT id, created FROM orders",
    "INSERT INTO shards SELECT id, id FROM orders",
    "INSERT INTO buckets SELECT id, id FROM orders",
    "INSERT INTO ledger SELECT id, created FROM orders",
]

QUERIES = [
    # RANGE on TO_DAYS(created)
    "SELECT * FROM orders WHERE created = '2024-05-01'",
    "SELECT * FROM orders WHERE created = ?",
    "SELECT * FROM orders WHERE created BETWEEN '2024-02-01' AND '2024-03-01'",
    "SELECT * FROM orders WHERE created >= ? AND created < ?",
    "SELECT * FROM orders WHERE created IN ('2024-05-01', '2025-05-01')",
    "SELECT * FROM orders WHERE created < '2024-01-01'",
    "SELECT * FROM orders WHERE customer_id = 7",
    "SELECT * FROM orders WHERE DATE(created) = '2024-05-01'",
    "SELECT * FROM orders WHERE YEAR(created) = 2024",
    "SELECT * FROM orders WHERE created + INTERVAL 1 DAY > '2025-12-01'",
    "SELECT * FROM orders WHERE created = '2024-05-01' OR created = '2025-05-01'",
    "SELECT * FROM orders WHERE created = '2024-05-01' OR status = 'new'",
    "SELECT * FROM orders WHERE created = '2024-05-01' AND status = 'new'",
    "SELECT * FROM orders WHERE status = 'new' AND total > 10",
    "SELECT * FROM orders",
    "SELECT * FROM orders PARTITION (p2024)",
    "SELECT COUNT(*) FROM orders o WHERE o.created = :day",
    "SELECT * FROM shop.orders WHERE created = '2024-05-01'",
    # joins
    "SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'de'",
    "SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created = ?",
    "SELECT * FROM orders o JOIN events e ON e.ts = o.created WHERE e.kind = 1",
    "SELECT * FROM orders o JOIN events e ON e.id = o.id"
    " WHERE o.created = '2024-05-01' AND e.ts >= '2024-05-01' AND e.ts < '2024-05-02'",
    "SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.created = '2024-05-01'",
    # a table fetched by its primary key is a const table; MariaDB still reads every partition
    # of the other side (MySQL prunes it: the static rule's default, sql.server mysql-*)
    "SELECT * FROM tags t JOIN customers c ON t.country = c.country WHERE c.id = 2",
    "SELECT * FROM tags t JOIN customers c ON t.country = c.country WHERE c.name = 'bob'",
    # subqueries, derived tables, CTEs, UNION
    "SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE created = '2024-05-01')",
    "SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 5)",
    "SELECT * FROM (SELECT * FROM orders WHERE created = '2024-05-01') x",
    "SELECT * FROM (SELECT * FROM orders) x WHERE x.created = '2024-05-01'",
    "SELECT * FROM (SELECT * FROM orders WHERE total > 3) x",
    "WITH recent AS (SELECT * FROM orders WHERE created >= '2025-06-01'"
    " AND created < '2025-07-01') SELECT * FROM recent",
    "WITH everything AS (SELECT * FROM orders) SELECT * FROM everything WHERE total = 3",
    "SELECT id FROM orders o1 WHERE o1.created = '2024-05-01' UNION ALL SELECT id FROM orders o2 WHERE o2.total = 5",
    "SELECT id FROM orders o1 WHERE o1.created = '2024-05-01'"
    " UNION SELECT id FROM events e1 WHERE e1.ts >= '2024-05-01' AND e1.ts < '2024-06-01'",
    # UPDATE, DELETE, INSERT ... SELECT
    "UPDATE orders SET total = 0 WHERE created = '2024-05-01'",
    "UPDATE orders SET total = 0 WHERE status = 'new'",
    "DELETE FROM orders WHERE created < '2023-06-01'",
    "DELETE FROM orders WHERE customer_id = ?",
    "INSERT INTO customers SELECT customer_id + 100, 'x', 'de' FROM orders WHERE created = '2024-05-01'",
    "INSERT INTO customers SELECT customer_id + 100, 'x', 'de' FROM orders WHERE total = 3",
    # RANGE on YEAR(), TO_SECONDS(), UNIX_TIMESTAMP(), a bare column
    "SELECT * FROM events WHERE ts >= '2024-03-01' AND ts < '2024-04-01'",
    "SELECT * FROM events WHERE YEAR(ts) = 2024",
    "SELECT * FROM events WHERE kind = 2",
    "SELECT * FROM visits WHERE ts = '2024-05-01 00:00:00'",
    "SELECT * FROM visits WHERE id = 4",
    "SELECT * FROM clicks WHERE ts = '2024-05-01 00:00:00'",
    "SELECT * FROM clicks WHERE id = 4",
    "SELECT * FROM ranks WHERE score IS NULL",
    "SELECT * FROM ranks WHERE score < 50",
    "SELECT * FROM ranks WHERE score * 2 < 50",
    "SELECT * FROM ranks WHERE id = 3",
    # LIST and LIST COLUMNS
    "SELECT * FROM logs WHERE region = 3",
    "SELECT * FROM logs WHERE region IN (1, 2)",
    "SELECT * FROM logs WHERE region IS NULL",
    "SELECT * FROM logs WHERE region < 3",
    "SELECT * FROM logs WHERE msg = 'm'",
    "SELECT * FROM logs WHERE region + 0 = 3",
    "SELECT * FROM tags WHERE country = 'us'",
    "SELECT * FROM tags WHERE country IN ('de', 'fr')",
    "SELECT * FROM tags WHERE country = ?",
    "SELECT * FROM tags WHERE UPPER(country) = 'US'",
    "SELECT * FROM tags WHERE name = 'n'",
    # RANGE COLUMNS
    "SELECT * FROM metrics WHERE a = 5",
    "SELECT * FROM metrics WHERE a < 15",
    "SELECT * FROM metrics WHERE b = 5",
    "SELECT * FROM metrics WHERE v = 5",
    # HASH, LINEAR HASH, KEY, LINEAR KEY
    "SELECT * FROM tenant_items WHERE tenant_id = 3",
    "SELECT * FROM tenant_items WHERE tenant_id = ?",
    "SELECT * FROM tenant_items WHERE tenant_id IN (1, 2)",
    "SELECT * FROM tenant_items WHERE tenant_id > 2",
    "SELECT * FROM tenant_items WHERE tenant_id BETWEEN 1 AND 2",
    "SELECT * FROM tenant_items WHERE item = 5",
    "SELECT * FROM tenant_items WHERE tenant_id + 1 = 4",
    "SELECT * FROM sessions WHERE id = 5",
    "SELECT * FROM sessions WHERE token = 'tok'",
    "SELECT * FROM shards WHERE id = 5",
    "SELECT * FROM shards WHERE v = 5",
    "SELECT * FROM buckets WHERE id IN (5, 6)",
    "SELECT * FROM buckets WHERE v = 5",
    # subpartitions
    "SELECT * FROM ledger WHERE d = '2024-05-01'",
    "SELECT * FROM ledger WHERE id = 5",
]

# Queries where the server is cleverer (or more cautious) than the manual's
# general rules the static check follows; each with the manual's reason.
EXCEPTIONS: dict[str, str] = {
    "SELECT * FROM tenant_items WHERE tenant_id BETWEEN 1 AND 2": (
        "MySQL Reference Manual, Partition Pruning: 'Pruning can also be applied to short ranges, "
        "which the optimizer can convert into equivalent lists of values' ... 'This type of "
        "optimization can be used only if the range size is smaller than the number of "
        "partitions' (integer columns of HASH/KEY tables). The static rule follows the general "
        "rule that a range on a HASH or KEY column cannot prune, so a range of 2 values on a "
        "4-partition HASH table is flagged although the server enumerates it."
    ),
}


@pytest.fixture(scope="module")
def agreement_db(mariadb: MariaDB) -> tuple[str, Schema]:
    dsn = mariadb.fresh_database("shop")
    statements = [s for s in DDL.split(";") if s.strip()]
    mariadb.admin_many(statements + ROWS + ["ANALYZE TABLE orders, events"], database="shop")
    schema = Schema()
    replay_text(schema, "schema.sql", DDL)
    assert not schema.problems
    return dsn, schema


def static_verdicts(sql: str, schema: Schema) -> dict[str, list[bool]]:
    out: dict[str, list[bool]] = defaultdict(list)
    for verdict in analyse(DIALECT.parse_statement(sql).expression, schema, const_tables=False):
        out[verdict.reference.alias_or_name.lower()].append(verdict.prunable)
    return {k: sorted(v) for k, v in out.items()}


def live_verdicts(runner: ExplainRunner, sql: str, schema: Schema) -> dict[str, list[bool]]:
    tree = DIALECT.parse_statement(sql).expression
    from sqlglot import exp

    names = {t.alias_or_name.lower(): t for t in tree.find_all(exp.Table)}
    plan = runner.explain(fill_placeholders(sql, schema))
    out: dict[str, list[bool]] = defaultdict(list)
    for row in plan.rows:
        reference = names.get((row.table or "").lower())
        if reference is None:
            continue
        table = schema.lookup(reference.name)
        if table is None or table.partitioning is None or not table.partitioned:
            continue
        assert row.partitions, f"{sql}: EXPLAIN shows no partitions for {row.table}: {row}"
        read = partitions_read(table.partitioning, row.partitions)
        out[(row.table or "").lower()].append(len(read) < len(table.partitioning.partitions))
    return {k: sorted(v) for k, v in out.items()}


def test_static_verdicts_agree_with_explain_partitions(agreement_db: tuple[str, Schema]) -> None:
    dsn, schema = agreement_db
    assert len(QUERIES) >= 60
    agreed, disagreed, verdicts = 0, [], {True: 0, False: 0}
    with ExplainRunner(dsn) as runner:
        for sql in QUERIES:
            static = static_verdicts(sql, schema)
            live = live_verdicts(runner, sql, schema)
            for flags in static.values():
                for flag in flags:
                    verdicts[flag] += 1
            if sql in EXCEPTIONS:
                assert static != live, f"no longer an exception, remove it: {sql}"
                continue
            if static == live:
                agreed += 1
            else:
                disagreed.append(f"{sql}\n    static: {static}\n    EXPLAIN: {live}")
    total = agreed + len(disagreed)
    print(
        f"\npartition pruning agreement: {agreed}/{total} = {100 * agreed / total:.1f}% "
        f"({len(EXCEPTIONS)} listed exceptions; {verdicts[True]} prunable and "
        f"{verdicts[False]} not prunable references)"
    )
    assert not disagreed, "static and EXPLAIN disagree on:\n" + "\n".join(disagreed)
    assert verdicts[True] >= 20 and verdicts[False] >= 20
