"""Start-up: what ``guardrails --version`` and ``guardrails run`` cost before there is anything to check.

    python benchmarks/bench_startup.py [--runs 20]

Times, as fresh processes of the installed ``guardrails`` command (``python -m guardrails``
where there is none): ``--version``; ``run`` in an empty git repository (no config, the
recommended rules); ``run`` there with a .guardrails.yml (the config validated); and
``python -c pass``, the floor any Python command pays. Prints the median wall and CPU time of
--runs runs of each, and the load average, since wall times on a shared machine are the
load's. The goals: --version under 50 ms, an empty repository's run under 120 ms. Bytecode is
written and used (an installed package has it), and one unmeasured run warms each case.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # compiling every module on each run is not what users pay
CONFIG = """\
version: 1
extends: recommended
paths:
  exclude: ["vendor/**"]
rules:
  insert-ignore: error
  partition-pruning: {severity: warning, mode: static}
"""


def command() -> list[str]:
    script = Path(sys.executable).with_name("guardrails")
    return [str(script)] if script.exists() else [sys.executable, "-m", "guardrails"]


def measure(argv: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds (the process and its children, git included)."""
    walls, cpus = [], []
    for n in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, env=ENV, capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(argv)} failed in {cwd}: {done.stderr.strip()}")
        if n:  # the first run warms bytecode and the disk cache
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    guardrails = command()
    print(f"command: {' '.join(guardrails)}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        empty, configured = Path(scratch) / "empty", Path(scratch) / "configured"
        for root in (empty, configured):
            root.mkdir()
            subprocess.run(["git", "init", "-q"], cwd=root, env=ENV, check=True)
        (configured / ".guardrails.yml").write_text(CONFIG, encoding="utf-8")
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"], empty),
            ("guardrails --version", [*guardrails, "--version"], empty),
            ("guardrails run (empty repository)", [*guardrails, "run"], empty),
            ("guardrails run (empty, with a config)", [*guardrails, "run"], configured),
        ]
        print(f"{'case':<40} {'median wall':>11} {'median CPU':>10}")
        for label, argv, cwd in cases:
            wall, cpu = measure(argv, cwd, args.runs)
            print(f"{label:<40} {wall * 1000:>9.0f}ms {cpu * 1000:>8.0f}ms")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
