"""ddl-review on a corpus of .sql files: statements judged per second, and how many verdicts are "unknown".

    python benchmarks/bench_ddl.py ../shared/corpus/mysql [--server mariadb-10.11]

Each top-level folder of the corpus is one repository: its files are replayed in name order
as migrations (each DDL statement judged against the schema just before it), the way the
``migrations`` input reads ``sql.migrations``.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from timing import load_average

from guardrails.ddl.replay import _file
from guardrails.ddl.servers import parse_server
from guardrails.ddl.unit import DdlStatement
from guardrails.sql.schema import Schema


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--server", default="mysql-8.0")
    args = parser.parse_args()
    server = parse_server(args.server)
    kinds: collections.Counter[str] = collections.Counter()
    unknown: collections.Counter[str] = collections.Counter()
    alters = statements = 0
    started, cpu = time.perf_counter(), time.process_time()
    for repo in sorted(p for p in args.corpus.iterdir() if p.is_dir()):
        schema = Schema()
        for path in sorted(repo.rglob("*.sql")):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            for unit in _file(schema, server, str(path), text):
                if not isinstance(unit, DdlStatement):
                    continue
                statements += 1
                alters += unit.reviewed.ddl.kind == "ALTER TABLE"
                verdict = unit.reviewed.verdict
                kinds[verdict.algorithm if not verdict.unknown else "unknown"] += 1
                for form in verdict.unknown:
                    unknown[form] += 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = statements / cpu  # CPU time: on a shared machine wall time moves with everyone else's work
    print(
        f"{statements} DDL statements ({alters} ALTER TABLE) in {elapsed:.2f} s wall, {cpu:.2f} s CPU: "
        f"{rate:,.0f} statements/CPU s (load average {load_average()})"
    )
    print("verdicts:", dict(kinds.most_common()))
    if unknown:
        print("unknown forms:", dict(unknown.most_common(15)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
