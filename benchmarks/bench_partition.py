"""The static partition-pruning check at scale: 10,000 queries against a schema of 200 tables.

    python benchmarks/bench_partition.py [--tables 200] [--queries 10000] [--schema FILE ...]

Generates a schema of partitioned tables (every partition kind, in turn) plus
any DDL files given with --schema (e.g. ../shared/corpus/mysql/test_db/
employees_partitioned.sql), and a mix of queries over them: pruned and not,
joins, derived tables, CTEs, UNION, subqueries, UPDATE and DELETE. Times the
schema replay, then parsing plus the verdict (what the rule does per
statement, measured separately so the check's own cost is visible), and prints
queries per second, the share of time spent in the check itself, and how much of
the measured time the garbage collector took. Parse and check are timed in CPU
seconds of this process (time.process_time), so other work on a shared machine
does not count; the schema replay is wall time.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from pathlib import Path

from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.pruning import analyse
from guardrails.sql.schema import Schema
from guardrails.sql.schema_replay import replay_text
from guardrails.sql.statement import SqlParseError, SqlStatement

CLAUSES = [
    "PARTITION BY RANGE (TO_DAYS(created_at)) (PARTITION p0 VALUES LESS THAN (739000), "
    "PARTITION p1 VALUES LESS THAN (739500), PARTITION p2 VALUES LESS THAN MAXVALUE)",
    "PARTITION BY RANGE COLUMNS (created_at, region) ("
    "PARTITION p0 VALUES LESS THAN ('2025-01-01', 5), "
    "PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE))",
    "PARTITION BY LIST (region) (PARTITION p0 VALUES IN (1, 2, 3), PARTITION p1 VALUES IN (4, 5, 6))",
    "PARTITION BY LIST COLUMNS (region) (PARTITION p0 VALUES IN (1, 2), PARTITION p1 VALUES IN (3, 4))",
    "PARTITION BY HASH (region) PARTITIONS 8",
    "PARTITION BY LINEAR HASH (YEAR(created_at)) PARTITIONS 4",
    "PARTITION BY KEY (id) PARTITIONS 16",
    "PARTITION BY LINEAR KEY () PARTITIONS 4",
]

QUERIES = [
    "SELECT * FROM {t} WHERE created_at >= ? AND created_at < ?",
    "SELECT id, note FROM {t} WHERE DATE(created_at) = ?",
    "SELECT * FROM {t} WHERE region IN (1, 2, 3) AND note LIKE 'x%'",
    "SELECT a.id FROM {t} a JOIN {u} b ON b.id = a.id WHERE a.region = ? OR b.region = ?",
    "SELECT * FROM (SELECT id, created_at AS c FROM {t}) d WHERE d.c > NOW() - INTERVAL 1 DAY",
    "WITH r AS (SELECT * FROM {t} WHERE id = ?) SELECT * FROM r JOIN {u} USING (id)",
    "SELECT id FROM {t} WHERE region = 1 UNION ALL SELECT id FROM {u} WHERE created_at > ?",
    "SELECT * FROM {u} WHERE id IN (SELECT id FROM {t} WHERE YEAR(created_at) = 2025)",
    "UPDATE {t} SET note = ? WHERE id = ? AND region = ?",
    "DELETE FROM {t} WHERE created_at < NOW() - INTERVAL 2 YEAR",
]


def generate_schema(tables: int) -> str:
    parts = []
    for n in range(tables):
        clause = CLAUSES[n % len(CLAUSES)]
        parts.append(
            f"CREATE TABLE t{n} (id BIGINT NOT NULL, region INT NOT NULL, "
            "created_at DATETIME NOT NULL, "
            f"note VARCHAR(200), PRIMARY KEY (id, region, created_at)) {clause};\n"
        )
    return "".join(parts)


def generate_queries(tables: int, count: int, seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(QUERIES).format(t=f"t{rng.randrange(tables)}", u=f"t{rng.randrange(tables)}") for _ in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--schema", type=Path, nargs="*", default=[], help="extra DDL files to replay")
    args = parser.parse_args()

    ddl = generate_schema(args.tables)
    started = time.perf_counter()
    schema = Schema()
    replay_text(schema, "generated.sql", ddl)
    for path in args.schema:
        replay_text(schema, str(path), path.read_text(encoding="utf-8-sig", errors="replace"))
    replay_s = time.perf_counter() - started
    partitioned = sum(1 for _ in schema.partitioned_tables())
    print(
        f"schema: {len(schema.tables)} tables ({partitioned} partitioned) "
        f"replayed in {replay_s:.3f} s; "
        f"{len(schema.problems)} problems"
    )

    texts = generate_queries(args.tables, args.queries)
    collector = _CollectorClock()
    # One statement at a time, as a run does: parse, check, drop the tree. The statement is made
    # here, not in a list beforehand: a SqlStatement keeps its parsed tree, so a list of them kept
    # all 10,000 trees alive, and the garbage collector walked them all again and again (a fifth
    # of the time measured).
    parse_s = check_s = 0.0
    flagged = total = unparsed = 0
    for text in texts:
        statement = SqlStatement("q.sql", text, FileOffsets(line_starts(text), 0))
        started = time.process_time()
        try:
            expression = statement.parse().expression
        except SqlParseError:
            unparsed += 1
            continue
        parsed_at = time.process_time()
        for verdict in analyse(expression, schema):
            total += 1
            flagged += not verdict.prunable
        check_s += time.process_time() - parsed_at
        parse_s += parsed_at - started
    collector.stop()
    parsed = len(texts) - unparsed

    both = parse_s + check_s
    print(f"queries: {len(texts)} ({unparsed} did not parse); {total} table reads judged, {flagged} cannot prune")
    print(f"parse: {parse_s:.3f} s of CPU ({len(texts) / parse_s:,.0f} queries/s)")
    print(f"check: {check_s:.3f} s ({parsed / check_s:,.0f} queries/s)")
    print(
        f"parse + check: {both:.3f} s ({len(texts) / both:,.0f} queries/s); "
        f"the check is {check_s / both:.0%} of it, {check_s / parse_s:.2f}x the parse time"
    )
    print(f"garbage collection: {collector.seconds:.3f} s of that ({collector.seconds / both:.0%})")


class _CollectorClock:
    """Time the garbage collector spends, through gc.callbacks, so a reader sees it is not what
    was measured."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started

    def stop(self) -> None:
        gc.callbacks.remove(self._tick)


if __name__ == "__main__":
    main()
