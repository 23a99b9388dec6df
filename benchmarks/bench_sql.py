"""guardrails vs sqlfluff on the same MySQL files, in one run.

    python benchmarks/bench_sql.py ../shared/corpus/mysql [--limit N] [--repeat 5]

Copies the .sql files under PATH into a scratch git repository, then times
`guardrails run --select insert-ignore` and `sqlfluff lint --dialect mysql` on
the same files, one run each, like with like: both with one process
(GUARDRAILS_JOBS=1, --processes 1), timed in CPU seconds (user + system, of the
process and any it waited for) as well as wall clock, so that other work on a
shared machine does not move the ratio. guardrails runs --repeat times and the
run of median CPU time counts; sqlfluff runs once. It prints both times, statements per
second, the ratios, every statement sqlfluff parsed that guardrails did not,
and any internal error. sqlfluff skips files over its
`large_file_skip_byte_limit` (20 kB by default), so the head-to-head uses the
files under that size; guardrails then runs once more on every file, alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from timing import cpu_of_children, load_average

from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.split import split_statements

SQLFLUFF_SKIP_BYTES = 20_000  # sqlfluff's default large_file_skip_byte_limit
# Statements sqlfluff accepts that MySQL rejects, so guardrails is right to report them.
SQLFLUFF_ACCEPTS_INVALID = {
    # sqlc's own syntax-error fixture: `select id from users where select id;`
    "sqlc/internal/endtoend/testdata/syntax_errors/mysql/query/select.sql:2",
}


def _copy_corpus(source: Path, target: Path, limit: int | None, max_bytes: int | None = None) -> list[Path]:
    files = sorted(p for p in source.rglob("*.sql") if p.is_file() and not p.is_symlink())[:limit]
    if max_bytes is not None:
        files = [p for p in files if p.stat().st_size <= max_bytes]
    for path in files:
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    return [target / p.relative_to(source) for p in files]


def _statement_lines(path: Path) -> list[tuple[int, int]]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    starts = line_starts(text)
    at = FileOffsets(starts, 0)
    return [(at(c.start)[0], at(max(c.start, c.end - 1))[0]) for c in split_statements(text)]


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds of one run of ``cmd``, and its result.

    One process each: guardrails would split a large tree over every core, sqlfluff runs with
    --processes 1, so the ratio compares one process with one process."""
    started, cpu = time.perf_counter(), cpu_of_children()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, "GUARDRAILS_JOBS": "1"})
    return time.perf_counter() - started, cpu_of_children() - cpu, result


def _median(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """The run of median CPU time among ``runs``. A run of a second moves by half with the load
    of a shared machine; sqlfluff's minute of CPU runs once, its noise averaged out within it."""
    timed = sorted((_timed(cmd, cwd) for _ in range(max(1, runs))), key=lambda t: t[1])
    return timed[len(timed) // 2]


def _json(run: subprocess.CompletedProcess[str], tool: str) -> Any:
    """A tool's JSON report; a clear error (not a ratio over nothing) when it did not give one."""
    try:
        return json.loads(run.stdout)
    except ValueError:
        detail = (run.stderr.strip() or run.stdout.strip())[-500:]
        raise SystemExit(f"bench_sql: {tool} exited {run.returncode} without a JSON report: {detail}") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N files (sorted), for a quick run")
    parser.add_argument("--repeat", type=int, default=5, help="runs of guardrails, the median taken (default 5)")
    args = parser.parse_args()
    if not args.path.is_dir():
        parser.error(f"{args.path}: no such directory (the MySQL corpus, e.g. ../shared/corpus/mysql)")
    if not any(p.is_file() for p in args.path.rglob("*.sql")):
        parser.error(f"{args.path}: no .sql files under it (the MySQL corpus, e.g. ../shared/corpus/mysql)")
    if importlib.util.find_spec("sqlfluff") is None:
        parser.error("sqlfluff is not installed in this Python: pip install -e '.[bench]', then run again")

    guardrails_cmd = [sys.executable, "-m", "guardrails", "run", "--select", "insert-ignore", "--format", "json"]
    load = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        everything = Path(tmp)
        all_files = _copy_corpus(args.path.resolve(), everything, args.limit)
        all_statements = sum(len(_statement_lines(p)) for p in all_files)
        all_time, all_cpu, all_run = _median(guardrails_cmd, everything, args.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = _copy_corpus(args.path.resolve(), root, args.limit, SQLFLUFF_SKIP_BYTES)
        statements = {p.relative_to(root).as_posix(): _statement_lines(p) for p in files}
        total = sum(len(s) for s in statements.values())

        if not files:
            parser.error(f"{args.path}: no .sql file of at most {SQLFLUFF_SKIP_BYTES} bytes to compare on")
        g_time, g_cpu, g = _median(guardrails_cmd, root, args.repeat)
        f_time, f_cpu, f = _timed(
            [
                sys.executable,
                "-m",
                "sqlfluff",
                "lint",
                "--dialect",
                "mysql",
                "--format",
                "json",
                "--processes",
                "1",
                ".",
            ],
            root,
        )

        internal = any(r.returncode == 2 or "internal error" in r.stderr for r in (g, all_run))
        g_doc = _json(g, "guardrails")
        g_unparsed = {(x["path"], int(x["line"])) for x in g_doc["findings"] if x["rule"] == "parse-error"}
        f_doc = _json(f, "sqlfluff")
        f_unparsed: dict[str, list[tuple[int, int]]] = {}
        f_read: set[str] = set()
        for entry in f_doc:
            path = Path(entry["filepath"]).as_posix().removeprefix("./")
            codes = {v["code"] for v in entry["violations"]}
            if "TMP" in codes or any("skipped" in v.get("description", "") for v in entry["violations"]):
                continue
            f_read.add(path)
            f_unparsed[path] = [
                (v["start_line_no"], v.get("end_line_no") or v["start_line_no"])
                for v in entry["violations"]
                if v["code"] == "PRS"
            ]

        only_sqlfluff = []
        f_statements = 0
        for path in sorted(f_read):
            for first, last in statements.get(path, []):
                f_statements += 1
                sqlfluff_failed = any(a <= last and first <= b for a, b in f_unparsed.get(path, ()))
                guardrails_failed = any((path, line) in g_unparsed for line in range(first, last + 1))
                place = f"{path}:{first}"
                if guardrails_failed and not sqlfluff_failed and place not in SQLFLUFF_ACCEPTS_INVALID:
                    only_sqlfluff.append(place)

    print(f"head to head: {len(files)} files of at most {SQLFLUFF_SKIP_BYTES} bytes, {total} statements")
    print(f"load average before the runs: {load}")
    print("one process each    wall s     CPU s   statements/CPU s")
    print(f"guardrails:       {g_time:8.2f}  {g_cpu:8.2f}  {total / g_cpu:10.0f}  (exit {g.returncode})")
    skipped = len(files) - len(f_read)
    rate = f_statements / f_cpu
    print(f"sqlfluff:         {f_time:8.2f}  {f_cpu:8.2f}  {rate:10.0f}  ({skipped} files skipped as too large)")
    print(f"ratio (sqlfluff / guardrails): {f_cpu / g_cpu:.1f}x in CPU time, {f_time / g_time:.1f}x in wall time")
    print(f"statement rate ratio (per CPU second): {(total / g_cpu) / max(1e-9, rate):.1f}x")
    print(f"parse errors reported by guardrails: {len(g_unparsed)}")
    print(f"statements sqlfluff parsed but guardrails did not: {len(only_sqlfluff)}", end="")
    print(f" (not counting {len(SQLFLUFF_ACCEPTS_INVALID)} that MySQL rejects and sqlfluff accepts)")
    for place in only_sqlfluff[:50]:
        print(f"  {place}")
    alone = f"{len(all_files)} files ({all_statements} statements)"
    print(
        f"guardrails alone on all {alone}, one process: {all_time:.2f} s wall, {all_cpu:.2f} s CPU, "
        f"{all_statements / all_cpu:.0f} statements/CPU s"
    )
    errors = "; ".join(r.stderr.strip() for r in (g, all_run) if r.returncode == 2)
    print(f"internal errors: {'YES: ' + errors if internal else 'none'}")
    return 1 if internal else 0


if __name__ == "__main__":
    raise SystemExit(main())
