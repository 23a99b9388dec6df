"""Issue 12's figures, reproducibly: the attack tests and the hostile-input benchmark, totalled.

    python benchmarks/attack_figures.py [--quick] [--spec PATH] [--no-bench]

Runs tests/test_attacks_*.py (they need the MariaDB of tests/mariadb.py, as the suite does),
reads what each test recorded about the hostile inputs it tried (tests/attack_tally.py, through
JUnit XML), runs benchmarks/bench_hostile.py, and prints one line in the issue's form:
inputs tried, refused, explained, state changes (must be 0), reads outside the root (0), runs
over 60 s (0), over 1 GB (0). A benchmark run counts as an input tried and, when it finished
with its findings, as explained; a test that failed is named, and its counts are what it
recorded before failing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_hostile  # noqa: E402  (a sibling script, not a package)

KEYS = ("tried", "refused", "explained", "state_changes", "outside_reads")


def attack_tests() -> tuple[Counter[str], list[str], int, float]:
    """Summed counts, the failed tests, how many tests ran over 60 s, the slowest test's seconds."""
    tests = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_attacks_*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "attacks.xml"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *tests]
        subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
        root = ET.parse(report).getroot()
    counts: Counter[str] = Counter()
    failed: list[str] = []
    slow, slowest = 0, 0.0
    for case in root.iter("testcase"):
        for prop in case.iter("property"):
            key = prop.get("name", "").removeprefix("attack.")
            if key in KEYS:
                counts[key] += int(prop.get("value", "0"))
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname')}::{case.get('name')}")
        seconds = float(case.get("time", "0"))
        slow += seconds > bench_hostile.OVER_S
        slowest = max(slowest, seconds)
    return counts, failed, slow, slowest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the benchmark's two smallest size classes only")
    parser.add_argument("--spec", help="a large OpenAPI JSON file for the benchmark (see bench_hostile)")
    parser.add_argument("--no-bench", action="store_true", help="the attack tests only")
    args = parser.parse_args(argv)
    counts, failed, slow_tests, slowest_test = attack_tests()
    print(f"attack tests: {counts['tried']} inputs tried; failed tests: {len(failed)}; slowest {slowest_test:.1f} s")
    for name in failed:
        print(f"  FAILED {name}")
    bench = bench_hostile.Totals() if args.no_bench else bench_hostile.run_cases(args.quick, "", args.spec, 120.0)
    tried = counts["tried"] + bench.runs
    explained = counts["explained"] + bench.runs - bench.unfinished
    print(
        f"inputs tried {tried}, refused {counts['refused']}, explained {explained}, "
        f"state changes {counts['state_changes']} (must be 0), reads outside the root {counts['outside_reads']} (0), "
        f"runs over 60 s {slow_tests + bench.over_time} (0), over 1 GB {bench.over_memory} (0)"
    )
    accounted = counts["refused"] + explained
    if accounted != tried:
        print(f"  {tried - accounted} of the inputs tried were neither refused nor explained")
    bad = failed or counts["state_changes"] or counts["outside_reads"] or slow_tests or bench.over_time
    return 1 if bad or bench.over_memory or accounted != tried else 0


if __name__ == "__main__":
    raise SystemExit(main())
