"""Hostile and unusual input, by size class: time and peak memory of a whole in-process run.

    python benchmarks/bench_hostile.py [--quick] [--only TEXT] [--spec PATH]

Each case runs in a fresh subprocess (``guardrails.testing.check`` on a temporary repository),
so the peak resident memory is that run's alone (``wait4``'s ``ru_maxrss``). Sizes double from
one class to the next (PR descriptions: fourfold): linear growth shows as a time ratio near the
size ratio. A description is read up to 1 MB (guardrails.pull_request.rendered.MAX_CHARACTERS),
so the 4 MB class costs what 1 MB does, plus a parse-error saying what was not read. ``--spec`` adds a
large real OpenAPI description (e.g. ../shared/github/api.github.com.json) minified to one line,
the case that made fingerprinting quadratic.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable

# -- the inputs ---------------------------------------------------------------------------------


def many_on_one_line(n: int) -> dict[str, object]:
    return {"files": {"q.sql": " ".join(f"INSERT IGNORE INTO t VALUES ({i});" for i in range(n)) + "\n"}}


def one_huge_statement(n: int) -> dict[str, object]:
    rows = ",".join(f"({i}, 'name-{i}', NOW())" for i in range(n))
    return {"files": {"q.sql": f"INSERT IGNORE INTO t (id, name, at) VALUES {rows};\n"}}


def backslash_string(n: int) -> dict[str, object]:
    return {"files": {"q.sql": "SELECT '" + "\\\\" * n + "' FROM t;\n"}}


def alias_bomb(levels: int) -> dict[str, object]:
    lines = ["version: 1", "x: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"y{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return {"files": {"q.sql": "SELECT 1;\n"}, "config": "\n".join(lines) + "\n"}


def one_line_spec(path: str) -> dict[str, object]:
    with open(path, encoding="utf-8") as handle:
        text = json.dumps(json.load(handle), separators=(",", ":"))
    config = {"version": 1, "openapi": {"specs": ["api.json"]}, "rules": {"openapi-additional-properties": "error"}}
    return {"files": {"api.json": text}, "config": config}


# -- pull-request descriptions: every shape at about N bytes, read by pr-explain and pr-checklist --
# GitHub allows 65,536 characters in a description; comments and bodies from elsewhere are larger.
# tests/test_pr_description_speed.py counts the work of reading these same shapes.


def _blocks(block: str, n: int) -> str:
    return (block + "\n") * max(1, n // len(block))  # blocks apart: one nesting never grows into the next


PR_SHAPES: dict[str, Callable[[int], str]] = {
    "items and comments": lambda n: "".join(
        f"- [ ] item {i} <!-- note {i} -->\n    - [x] nested {i}\n" for i in range(n // 48)
    ),
    "unclosed comments": lambda n: "<!-- x\n" * (n // 7),
    "comments in one paragraph": lambda n: "a <!-- x --> b <!-- y " * (n // 22),
    "backticks": lambda n: "`a" * (n // 2),
    "brackets": lambda n: "[" * n,
    "nested lists": lambda n: _blocks("".join("  " * depth + "- [x] x\n" for depth in range(30)), n),
    "nested quotes": lambda n: _blocks("".join("> " * depth + "x\n" for depth in range(30)), n),
    "one huge table": lambda n: "+----+-------+\n| id | table |\n+----+-------+\n" + "|  1 | t     |\n" * (n // 16),
    "lines of {": lambda n: "{\n" * (n // 2),
}
PR_SIZES = [65536, 262144, 1048576, 4194304]


def pr_description(shape: str) -> Callable[[int], dict[str, object]]:
    """A run of both pull-request rules on a pull request adding one query, its description
    ``shape`` at N bytes (with a base, so pr-explain reads the description too)."""

    def case(n: int) -> dict[str, object]:
        config = {
            "version": 1,
            "pull_request": {"checklist": ["item 1"]},
            "rules": {"pr-checklist": "error", "pr-explain": "error"},
        }
        files = {"q.sql": "SELECT 1;\nSELECT id FROM orders WHERE id = 2;\n"}
        return {"files": files, "base": {"q.sql": "SELECT 1;\n"}, "config": config, "pr_body": PR_SHAPES[shape](n)}

    return case


CASES: dict[str, tuple[Callable[[int], dict[str, object]], list[int], str]] = {
    "INSERT IGNORE x N on one line": (many_on_one_line, [2500, 5000, 10000, 20000], "statements"),
    "one INSERT of N rows": (one_huge_statement, [25000, 50000, 100000, 200000], "rows"),
    "a string of N backslash pairs": (backslash_string, [500000, 1000000, 2000000, 4000000], "pairs"),
    "config alias bomb, N levels": (alias_bomb, [6, 7, 8, 9], "levels"),
    **{f"PR description: {shape}": (pr_description(shape), PR_SIZES, "bytes") for shape in PR_SHAPES},
}


# -- running one case in its own process ----------------------------------------------------------
def _child(case: str, size: str) -> None:
    from guardrails.config import ConfigError
    from guardrails.testing import check

    if case == "spec":
        spec = one_line_spec(size)
    else:
        spec = CASES[case][0](int(size))
    kwargs = {k: v for k, v in spec.items() if k in ("config", "pr_body", "base")}
    started = time.perf_counter()
    try:
        result = check(spec["files"], **kwargs)  # type: ignore[arg-type]
        outcome = f"{len(result.findings)} findings, {len(result.internal_errors)} errors"
    except ConfigError as exc:
        outcome = f"refused: {exc.message[:60]}"
    print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome}))


def _measure(case: str, size: str, timeout_s: float) -> tuple[float, float, str]:
    """Seconds (as the run measured itself), peak resident MB, and what came out."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", case, size], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    started = time.monotonic()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > timeout_s:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, for ru_maxrss
    out = proc.stdout.read() if proc.stdout else ""
    peak_mb = usage.ru_maxrss / 1024
    if not out.strip():
        return (
            time.monotonic() - started,
            peak_mb,
            f"no result (exit {proc.returncode}, stopped after {timeout_s:g} s?)",
        )
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["seconds"]), peak_mb, str(data["outcome"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the two smallest size classes only")
    parser.add_argument("--spec", help="a large OpenAPI JSON file, run minified to one line")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run before it is stopped")
    parser.add_argument("--only", default="", help="the cases whose name contains this text (e.g. 'PR description')")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    print(f"{'case':34} {'size':>9} {'seconds':>8} {'ratio':>6} {'peak MB':>8}  outcome")
    for case, (_, sizes, unit) in CASES.items():
        if args.only not in case:
            continue
        previous = None
        for size in sizes[:2] if args.quick else sizes:
            seconds, peak, outcome = _measure(case, str(size), args.timeout)
            ratio = f"{seconds / previous:.2f}" if previous else ""
            previous = seconds
            print(f"{case:34} {size:>9} {seconds:8.2f} {ratio:>6} {peak:8.0f}  {outcome} ({unit})")
    if args.spec:
        seconds, peak, outcome = _measure("spec", args.spec, args.timeout)
        print(f"{'spec minified to one line':34} {'1':>9} {seconds:8.2f} {'':>6} {peak:8.0f}  {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
