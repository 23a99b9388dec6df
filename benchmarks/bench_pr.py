"""The everyday run: a 10-file pull request in repositories of 1,000, 10,000 and 50,000 files.

    python benchmarks/bench_pr.py [--sizes 1000,10000,50000] [--changed 10] [--repeat 3]

For each size, builds a scratch git repository of that many files (Go, Python, SQL, YAML and
Markdown, in nested directories, one OpenAPI spec), branches, changes --changed of them (half
edited, half added), and times ``guardrails run --base main`` as a user's CI step runs it: a
fresh process, the recommended rules, no config. Prints the best wall time of --repeat runs,
their best CPU time (the process and its git children: what the run costs when the machine is
not shared), the git processes started (counted through GIT_TRACE2_EVENT), and the load
average, since wall times on a loaded machine are the load's. The goal: under 0.5 s at 50,000
files, with time growing with the changed files, not the repository. Bytecode is written and
used (an installed package has it), and one unmeasured run warms it and the disk cache.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # compiling every module on each run is not what users pay
KINDS = [
    ("go", 'package p{n}\n\nconst q{n} = "SELECT id FROM users WHERE id = ?"\n'),
    ("py", 'def f{n}(db):\n    return db.execute("SELECT id FROM users WHERE id = %s", (1,))\n'),
    ("sql", "SELECT id FROM orders_{n} WHERE id = 1;\n"),
    ("yaml", "name: job-{n}\nreplicas: 2\n"),
    ("md", "# Notes {n}\n\nNothing to check here.\n"),
]
SPEC = "openapi: 3.0.3\ninfo: {title: api, version: '1'}\npaths: {}\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=ENV).stdout


def build(root: Path, size: int, changed: int) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "gc.auto", "0")  # no background gc writing into .git while it is timed or removed
    for n in range(size - 1):
        ext, text = KINDS[n % len(KINDS)]
        path = root / f"svc{n % 50}" / f"mod{n % 400}" / f"f{n}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(n=n), encoding="utf-8")
    (root / "api").mkdir()
    (root / "api" / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    for n in range(changed // 2):  # edited files
        ext, text = KINDS[n % len(KINDS)]
        path = root / f"svc{n % 50}" / f"mod{n % 400}" / f"f{n}.{ext}"
        path.write_text(path.read_text() + text.format(n=f"{n}_new"), encoding="utf-8")
    for n in range(changed - changed // 2):  # added files
        ext, text = KINDS[n % len(KINDS)]
        (root / "new").mkdir(exist_ok=True)
        (root / "new" / f"g{n}.{ext}").write_text(text.format(n=f"g{n}"), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feature")


def time_run(root: Path, trace: Path) -> tuple[float, float, int, dict[str, int]]:
    env = {**ENV, "GIT_TRACE2_EVENT": str(trace)}
    trace.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "guardrails", "run", "--base", "main", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if run.returncode not in (0, 1):
        sys.exit(f"guardrails failed in {root}: {run.stderr.strip()}")
    summary = json.loads(run.stdout)["summary"]
    starts = sum(1 for line in trace.read_text().splitlines() if json.loads(line).get("event") == "start")
    return elapsed, cpu, starts, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'files':>7}  {'changed':>7}  {'best wall':>9}  {'best CPU':>8}  {'git processes':>13}  files checked")
    with tempfile.TemporaryDirectory(prefix="bench-pr-") as scratch:
        for size in (int(s) for s in args.sizes.split(",")):
            root = Path(scratch) / f"repo{size}"
            root.mkdir()
            build(root, size, args.changed)
            trace = Path(scratch) / f"trace{size}.json"
            time_run(root, trace)  # warm-up: bytecode, the disk cache
            runs = [time_run(root, trace) for _ in range(args.repeat)]
            best, _, starts, summary = min(runs)
            cpu = min(r[1] for r in runs)
            print(f"{size:>7}  {args.changed:>7}  {best:>8.3f}s  {cpu:>7.3f}s  {starts:>13}  {summary['files']}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
