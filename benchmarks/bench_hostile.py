"""Hostile and unusual input, by size class: time and peak memory of a whole in-process run.

    python benchmarks/bench_hostile.py [--quick] [--only TEXT] [--spec PATH]

Each case runs in a fresh subprocess (``guardrails.testing.check`` on a temporary repository),
so the peak resident memory is that run's alone (``guardrails.peak_memory.measure``: a child's
own ``ru_maxrss`` would include this process's peak). For each size
class it prints the ratio to the class before: of the sizes, of the times and of the peaks, so
linear growth shows as time and memory ratios no larger than the size ratio (memory ratios
fall below it while the interpreter's own ~60 MB dominates). ``--spec`` adds a large real
OpenAPI description (e.g. ../shared/github/api.github.com.json) minified to one line, the case
that made fingerprinting quadratic. The last lines total what was run: runs over 60 s and over
1 GB (benchmarks/attack_figures.py adds them to the attack tests' figures).

Files over the workspace's 16 MiB limit are refused, with a finding; the 20 MB classes raise
that limit in their child process, to measure the statement reading itself.

Pull-request descriptions: sizes grow fourfold. A description is read up to 1 MB
(guardrails.pull_request.rendered.MAX_CHARACTERS), so the 4 MB class costs what 1 MB does, plus
a parse-error saying what was not read. ``--only TEXT`` runs the cases whose name contains it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable

from guardrails.peak_memory import measure

# -- the inputs ---------------------------------------------------------------------------------


def many_on_one_line(n: int) -> dict[str, object]:
    return {"files": {"q.sql": " ".join(f"INSERT IGNORE INTO t VALUES ({i});" for i in range(n)) + "\n"}}


def one_huge_statement(megabytes: int) -> dict[str, object]:
    """One INSERT IGNORE of about ``megabytes`` MB of VALUES rows, as mysqldump writes them."""
    rows: list[str] = []
    size = i = 0
    while size < megabytes * 1_000_000:
        row = f"({i}, 'name-{i}', 'it''s \\'quoted\\'', NOW())"
        rows.append(row)
        size += len(row) + 1
        i += 1
    return {"files": {"q.sql": "INSERT IGNORE INTO t (id, name, note, at) VALUES " + ",".join(rows) + ";\n"}}


def dump_of_statements(count: int) -> dict[str, object]:
    """``count`` INSERT statements of just under 1 MB each (mysqldump's default line length is
    about 1 MB): each is parsed in full, one at a time, so the peak stays that of one."""
    text = one_huge_statement(1)["files"]["q.sql"]  # type: ignore[index]
    statement = text[: text.rindex("),", 0, 1_000_000) + 1] + ";\n"
    return {"files": {"dump.sql": statement * count}}


def backslash_string(megabytes: int) -> dict[str, object]:
    """A string literal of ``megabytes`` MB of backslash pairs."""
    return {"files": {"q.sql": "SELECT '" + "\\\\" * (megabytes * 500_000) + "' FROM t;\n"}}


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
    "tags in one paragraph": lambda n: 'a <b title="x"> b </b' * (n // 21),
    "HTML blocks": lambda n: '<div title="x">\n<p data-x="y">z</p>\n\n' * (n // 34),
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
    "one INSERT of N MB": (one_huge_statement, [1, 4, 10, 20], "MB"),
    "a string of N MB of backslashes": (backslash_string, [1, 4, 10, 20], "MB"),
    "a dump of N statements of 1 MB": (dump_of_statements, [1, 2, 4, 8], "statements"),
    "config alias bomb, N levels": (alias_bomb, [6, 7, 8, 9], "levels"),
    **{f"PR description: {shape}": (pr_description(shape), PR_SIZES, "bytes") for shape in PR_SHAPES},
}
LARGE_FILE_CASES = {"one INSERT of N MB", "a string of N MB of backslashes"}
OVER_S, OVER_MB = 60.0, 1024.0  # the limits: no run over 60 s or over 1 GB


# -- running one case in its own process ----------------------------------------------------------
def _child(case: str, size: str) -> None:
    from guardrails.config import ConfigError
    from guardrails.testing import check

    if case == "spec":
        spec = one_line_spec(size)
    else:
        spec = CASES[case][0](int(size))
    if case in LARGE_FILE_CASES and int(size) >= 16:
        import guardrails.workspace

        guardrails.workspace.MAX_FILE_BYTES = 32 * 1024 * 1024  # measure the reading, not the refusal
    kwargs = {k: v for k, v in spec.items() if k in ("config", "pr_body", "base")}
    started = time.perf_counter()
    try:
        result = check(spec["files"], **kwargs)  # type: ignore[arg-type]
        rules = Counter(f"{f.rule} {f.severity}" for f in result.findings)
        found = ", ".join(f"{n} {rule}" for rule, n in sorted(rules.items())) or "no findings"
        outcome = f"{found}; {len(result.internal_errors)} errors"
    except ConfigError as exc:
        outcome = f"refused: {exc.message[:60]}"
    print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome}))


def _measure(case: str, size: str, timeout_s: float) -> tuple[float, float, str]:
    """Seconds (as the run measured itself), peak resident MB, and what came out."""
    started = time.monotonic()
    run = measure(
        [sys.executable, __file__, "--child", case, size],
        timeout=timeout_s,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = run.completed.stdout or ""
    if not out.strip():
        stopped = f"stopped after {timeout_s:g} s" if run.timed_out else "no output"
        return time.monotonic() - started, run.peak_mib, f"no result (exit {run.completed.returncode}, {stopped})"
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["seconds"]), run.peak_mib, str(data["outcome"])


def _ratios(before: tuple[int, float, float] | None, now: tuple[int, float, float]) -> str:
    """Size, time and peak-memory ratios to the size class before (blank for the first)."""
    if before is None:
        return f"{'':>24}"
    size, seconds, peak = (n / b if b else 0.0 for n, b in zip(now, before, strict=True))
    return f"{size:12.2f} {seconds:5.2f} {peak:5.2f}"


class Totals:
    """What the runs add up to, in the issue's terms."""

    def __init__(self) -> None:
        self.runs = self.over_time = self.over_memory = self.unfinished = 0
        self.slowest = self.largest = 0.0

    def add(self, seconds: float, peak_mb: float, outcome: str) -> None:
        self.runs += 1
        self.over_time += seconds > OVER_S
        self.over_memory += peak_mb > OVER_MB
        self.unfinished += outcome.startswith("no result")
        self.slowest, self.largest = max(self.slowest, seconds), max(self.largest, peak_mb)

    def line(self) -> str:
        return (
            f"runs {self.runs}; over {OVER_S:g} s: {self.over_time}; over 1 GB: {self.over_memory}; "
            f"unfinished: {self.unfinished}; slowest {self.slowest:.1f} s; largest peak {self.largest:.0f} MB"
        )


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
    run_cases(args.quick, args.only, args.spec, args.timeout)
    return 0


def run_cases(quick: bool, only: str, spec: str | None, timeout_s: float) -> Totals:
    """Run and print every size class (of the cases whose name contains ``only``)."""
    totals = Totals()
    ratios = f"{'ratios: size':>12} {'time':>5} {'peak':>5}"
    print(f"{'case':34} {'size':>9} {'seconds':>8} {'peak MB':>8} {ratios}  outcome", flush=True)
    for case, (_, sizes, unit) in CASES.items():
        if only not in case:
            continue
        previous: tuple[int, float, float] | None = None
        for size in sizes[:2] if quick else sizes:
            seconds, peak, outcome = _measure(case, str(size), timeout_s)
            totals.add(seconds, peak, outcome)
            ratios = _ratios(previous, (size, seconds, peak))
            previous = (size, seconds, peak)
            print(f"{case:34} {size:>9} {seconds:8.2f} {peak:8.0f} {ratios}  {outcome} ({unit})", flush=True)
    if spec:
        seconds, peak, outcome = _measure("spec", spec, timeout_s)
        totals.add(seconds, peak, outcome)
        print(f"{'spec minified to one line':34} {'1':>9} {seconds:8.2f} {peak:8.0f} {'':>24}  {outcome}")
    print(totals.line())
    return totals


if __name__ == "__main__":
    raise SystemExit(main())
