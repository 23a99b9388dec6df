"""openapi-additional-properties against Spectral and Redocly, on the same specs, in one run.

    python benchmarks/bench_openapi.py SPEC_OR_DIR [...] [--spectral PATH] [--redocly PATH] [--repeat 3]

Each SPEC is a root spec file (a directory stands for every root spec below it);
the directory holding it, with every file below, is copied into a scratch git
repository. For each spec it runs, in subprocesses, and prints one row each:

- guardrails, cold: openapi-spec-validator's checks run (empty verdict cache), as
  on the first run over a spec's content;
- guardrails, warm: the verdict for this exact content is cached, as on every
  later run (CI needs the cache directory kept between runs for this);
- guardrails, `openapi.validate: false`: no OAS validation, like Spectral's
  one-rule ruleset, which validates nothing either;
- `spectral lint` with a ruleset holding the equivalent rule
  (given `$..[?(@ && @.type == 'object')]`, then additionalProperties: defined);
- `redocly lint` with the equivalent configurable rule (every Schema whose type is
  object requires additionalProperties), when Redocly is installed.

Each tool runs once a round, --repeat rounds (a shared machine's load then weighs on every
tool alike); wall time is the best of its runs (each cold run with a new, empty cache,
the warm runs with the cache the first one filled). Then one more round measures memory
only, since sampling it slows what it measures: reading /proc/PID/smaps_rollup walks the
process's page tables under its memory-map lock, which a run growing its heap waits on
(GitHub's description, sampled and not: Spectral 9.1 and 6.8 s, guardrails cold 0.97 and
0.84 s, in runs at about the same load). Peak memory is the
larger of the process's max RSS (from wait4: the largest single process of its
tree) and the sampled sum of PSS over its whole process tree (processes alive at
once, shared pages counted once), the worst of the runs. CPU is user
+ system time of the process and its children. Then the ratios against the
targets (10x faster, under a quarter of the memory) and where the findings are:
how many of Spectral's lines guardrails also reports, why the rest differ, and,
for JSON, whether each guardrails position is the opening brace of its schema.
Last, openapi-spec-validator as shipped against guardrails' run of its checks
(fast_validator.py): the time of each, in-process, and whether their messages agree.
Spectral: `npm install --prefix /tmp/spectral @stoplight/spectral-cli`; Redocly:
`npm install --prefix /tmp/redocly @redocly/cli`. The targets: the cold run at least 10x
faster than Spectral, and faster than Redocly on every spec: the last table gives, per spec,
the cold run's ratio to each. --no-spectral leaves Spectral out (minutes per large spec).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RULESET = """\
rules:
  openapi-additional-properties:
    description: every object schema declares additionalProperties
    severity: error
    given: "$..[?(@ && @.type == 'object')]"
    then:
      field: additionalProperties
      function: defined
"""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "b@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "b@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
REDOCLY_CONFIG = """\
rules:
  rule/openapi-additional-properties:
    subject: {type: Schema}
    where:
      - subject: {type: Schema, property: type}
        assertions: {const: object}
    assertions:
      required: [additionalProperties]
    severity: error
"""
RULE = "openapi-additional-properties"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TARGET_SPEED, TARGET_MEMORY = 10.0, 0.25
COLD, WARM, UNVALIDATED = "cold", "guardrails warm (cached verdict)", "guardrails validate: false"
COLD_LABEL = "guardrails cold (validates)"


@dataclass
class Run:
    wall: float  # seconds
    peak: float  # MiB
    cpu: float  # seconds, user + system, children included
    timed: bool = True  # False: the memory round's run, whose times the sampling slowed


def measure(cmd: list[str], cwd: Path, env: dict[str, str], out: Path, sample_memory: bool) -> Run:
    """One run of cmd, its stdout written to out; with sample_memory, the PSS of its process
    tree every 20 ms (and its times do not count: see the module's docstring)."""
    with out.open("wb") as stdout:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
        sampled = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                sampled[0] = max(sampled[0], _tree_pss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_memory:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        if sample_memory:
            sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
    peak = max(usage.ru_maxrss * 1024, sampled[0]) / 2**20  # Linux: ru_maxrss in KiB
    return Run(wall, peak, usage.ru_utime + usage.ru_stime, timed=not sample_memory)


def _tree_pss(pid: int) -> int:
    """Bytes of memory held by pid and its descendants: the sum of their PSS (a page shared by
    n processes counts 1/n in each, so a forked child's copy-on-write pages count once); where
    smaps_rollup is missing, the sum of RSS (which counts them in every process). Linux /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            try:
                rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
                total += int(rollup.split("\nPss:", 1)[1].split()[0]) * 1024
            except (OSError, IndexError):
                total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # it just exited
    return total


def best(runs: list[Run]) -> Run:
    timed = [r for r in runs if r.timed]
    return Run(min(r.wall for r in timed), max(r.peak for r in runs), min(r.cpu for r in timed))


def roots(paths: list[Path]) -> list[Path]:
    """The root spec files: the files given, and those below each directory given."""
    out: list[Path] = []
    for path in paths:
        if path.is_file():
            out.append(path)
            continue
        for file in sorted(path.rglob("*")):
            if file.suffix.lower() in (".json", ".yaml", ".yml") and _is_root(file):
                out.append(file)
    return out


def _is_root(file: Path) -> bool:
    text = file.read_text(encoding="utf-8", errors="replace")
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            return False
        return isinstance(data, dict) and ("openapi" in data or "swagger" in data)
    return re.search(r"^(openapi|swagger):", text, re.MULTILINE) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("specs", nargs="+", type=Path)
    parser.add_argument("--spectral", default="/tmp/spectral/node_modules/.bin/spectral")
    parser.add_argument("--redocly", default="/tmp/redocly/node_modules/.bin/redocly")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each tool runs once a round, the best counts")
    parser.add_argument(
        "--no-spectral", action="store_true", help="Redocly only (Spectral takes minutes on large specs)"
    )
    args = parser.parse_args()
    if not args.no_spectral and not Path(args.spectral).exists():
        raise SystemExit(f"no Spectral at {args.spectral}: npm install --prefix /tmp/spectral @stoplight/spectral-cli")
    print(f"load average at the start: {_load()}")
    print(f"{'spec':36} {'tool':33} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9} {'findings':>9}")
    summaries = []
    for spec in roots(args.specs):
        with tempfile.TemporaryDirectory() as scratch:
            summaries.append(bench_one(spec.resolve(), Path(scratch), args))
    _ratios(summaries)
    print(f"load average at the end: {_load()} (a shared machine: compare tools within one run)")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def bench_one(spec: Path, scratch: Path, args: argparse.Namespace) -> Summary:
    repo = scratch / "repo"
    shutil.copytree(spec.parent, repo, ignore=shutil.ignore_patterns(".git"))  # a fresh repository of its own
    env = {**os.environ, **GIT_ENV}
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "spec"]):
        subprocess.run(["git", "-C", str(repo), *git], env=env, check=True, capture_output=True)
    rel = spec.name
    (scratch / "ruleset.yaml").write_text(RULESET)
    (repo / ".git" / "info" / "exclude").write_text(".guardrails.yml\n")
    ours = [sys.executable, "-m", "guardrails", "run", "--select", RULE, "--format", "json", "--fail-on", "never"]

    def configure(validate: bool) -> None:
        (repo / ".guardrails.yml").write_text(
            f"version: 1\nextends: none\nopenapi:\n  specs: [{json.dumps(rel)}]\n"
            f"  validate: {str(validate).lower()}\nrules:\n  {RULE}: error\n"
        )

    tools: dict[str, tuple[list[str], dict[str, str], str]] = {}  # label -> (command, environment, output)
    for i in range(args.repeat + 1):  # a fresh, empty verdict cache each time (one more: the memory round)
        cold_env = {**env, "GUARDRAILS_CACHE_DIR": str(scratch / f"cold{i}")}
        tools[f"{COLD} {i}"] = (ours, cold_env, "cold.json")
    tools[WARM] = (ours, {**env, "GUARDRAILS_CACHE_DIR": str(scratch / "cold0")}, "warm.json")
    tools[UNVALIDATED] = (ours, env, "novalidate.json")
    if not args.no_spectral:
        tools["spectral"] = (
            [args.spectral, "lint", "-q", "-r", str(scratch / "ruleset.yaml"), "-f", "json", str(repo / rel)],
            env,
            "spectral.json",
        )
    if Path(args.redocly).exists():
        (scratch / "redocly.yaml").write_text(REDOCLY_CONFIG)
        redocly_cmd = [args.redocly, "lint", "--config", str(scratch / "redocly.yaml"), "--format", "json"]
        redocly_cmd += ["--max-problems", "1000000", rel]  # every finding, as the others report
        tools["redocly"] = (redocly_cmd, env, "redocly.json")
    runs: dict[str, list[Run]] = {}
    # Round by round, each tool once a round: a change in the machine's load (it is shared)
    # then weighs on every tool alike instead of on whichever ran during it.
    for round_ in range(args.repeat + 1):
        for label, (cmd, tool_env, out) in tools.items():
            if label.startswith(COLD) and label != f"{COLD} {round_}":
                continue
            configure(label != UNVALIDATED)
            runs.setdefault(label.split(" ")[0] if label.startswith(COLD) else label, []).append(
                measure(cmd, repo, tool_env, scratch / out, sample_memory=round_ == args.repeat)
            )
    rows = {label: best(runs[key]) for label, key in ((COLD_LABEL, COLD), (WARM, WARM), (UNVALIDATED, UNVALIDATED))}
    spectral = best(runs["spectral"]) if "spectral" in runs else None
    redocly = best(runs["redocly"]) if "redocly" in runs else None

    found = {name: _ours(scratch / f"{name}.json") for name in ("cold", "warm", "novalidate")}
    spectral_found = json.loads((scratch / "spectral.json").read_text() or "[]") if spectral else []
    theirs_at = {
        (str(Path(d["source"]).resolve().relative_to(repo.resolve())), d["range"]["start"]["line"] + 1): d["path"]
        for d in spectral_found
    }
    name = str(spec)[-36:]
    counts = [len(found["cold"]), len(found["warm"]), len(found["novalidate"])]
    for (label, run), count in zip(rows.items(), counts, strict=True):
        print(f"{name:36} {label:33} {run.wall:7.2f} {run.cpu:7.2f} {run.peak:9.0f} {count:9}")
        name = ""
    if spectral is not None:
        print(
            f"{'':36} {'spectral':33} {spectral.wall:7.2f} {spectral.cpu:7.2f} {spectral.peak:9.0f} {len(theirs_at):9}"
        )
    if redocly is not None:
        count = _redocly_count(scratch / "redocly.json")
        print(f"{'':36} {'redocly':33} {redocly.wall:7.2f} {redocly.cpu:7.2f} {redocly.peak:9.0f} {count:9}")
    cold = rows[COLD_LABEL]
    if spectral is not None:
        print(f"{'':36} against Spectral (targets, set on GitHub's 13 MB description: >= 10x faster, < 0.25 of memory)")
        for label, run in rows.items():
            speed, memory = spectral.wall / run.wall, run.peak / spectral.peak
            print(
                f"{'':38} {label}: {speed:.1f}x faster ({_verdict(speed >= TARGET_SPEED)}; CPU time "
                f"{spectral.cpu / run.cpu:.1f}x less), {memory:.2f} of its peak memory "
                f"({_verdict(memory < TARGET_MEMORY)})"
            )
    if redocly is not None:
        print(
            f"{'':38} against Redocly: guardrails cold {redocly.wall / cold.wall:.1f}x faster "
            f"({_verdict(cold.wall < redocly.wall)}: faster than Redocly; CPU time {redocly.cpu / cold.cpu:.1f}x less)"
        )
    if not (found["cold"] == found["warm"] == found["novalidate"]):
        print(f"{'':36} WARNING: the three guardrails runs report different rule findings")
    if spectral is not None:
        _positions(repo, found["novalidate"], theirs_at)
    _library_agreement(repo, rel)
    return Summary(str(spec), spec.stat().st_size, cold, spectral, redocly)


@dataclass
class Summary:
    spec: str
    size: int  # bytes of the root file
    cold: Run
    spectral: Run | None
    redocly: Run | None


def _ratios(summaries: list[Summary]) -> None:
    """One line per spec: guardrails' first (cold) run against each peer, wall and CPU time."""
    print(f"\n{'spec':44} {'MB':>5} {'cold s':>7} {'redocly s':>9} {'ratio':>6} {'spectral s':>10} {'ratio':>6}")
    for s in summaries:
        line = f"{s.spec[-44:]:44} {s.size / 1e6:5.1f} {s.cold.wall:7.2f}"
        for peer in (s.redocly, s.spectral):
            width = 9 if peer is s.redocly else 10
            line += f" {peer.wall:{width}.2f} {peer.wall / s.cold.wall:5.1f}x" if peer else f" {'-':>{width}} {'-':>6}"
        print(line)
    slower = [s.spec for s in summaries if s.redocly and s.cold.wall >= s.redocly.wall]
    print("faster than Redocly on every spec" if not slower else f"NOT faster than Redocly on: {', '.join(slower)}")


AGREEMENT = """
import json, sys, time
from pathlib import Path
import openapi_spec_validator
from jsonschema_path import SchemaPath
from guardrails.openapi import fast_validator
from guardrails.openapi.document import parse_document
from guardrails.openapi.spec import load_spec, spec_version

root, rel = Path(sys.argv[1]), sys.argv[2]
read = lambda p: (root / p).read_bytes() if p.endswith(".json") else (root / p).read_text(encoding="utf-8")
doc = parse_document(rel, read(rel))
spec, _ = load_spec(rel, spec_version(doc.data), doc, read)
uri = (root / rel).resolve().as_uri()

def messages(errors):
    out = []
    try:
        for error in errors:
            out.append(error.message.split("\\n\\n")[0])
    except Exception as exc:
        out.append("raised " + type(exc).__name__)
    return out

started = time.perf_counter()
fast = messages(fast_validator.iter_errors(spec, uri))
fast_s = time.perf_counter() - started
library = getattr(openapi_spec_validator, fast_validator._LIBRARY_CLASSES[spec.version])
started = time.perf_counter()
shipped = messages(library(SchemaPath.from_dict(spec.root.data, base_uri=uri)).iter_errors())
print(json.dumps({"fast_s": fast_s, "shipped_s": time.perf_counter() - started, "fast": fast, "shipped": shipped}))
"""


def _library_agreement(repo: Path, rel: str) -> None:
    """openapi-spec-validator as shipped against guardrails' fast run of it, in-process timings."""
    done = subprocess.run([sys.executable, "-c", AGREEMENT, str(repo), rel], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    same = "the same" if result["fast"] == result["shipped"] else "DIFFERENT"
    print(
        f"{'':36} openapi-spec-validator as shipped: {result['shipped_s']:.2f} s; guardrails' run of its checks: "
        f"{result['fast_s']:.2f} s; {len(result['shipped'])} messages, {same}"
    )


def _ours(path: Path) -> set[tuple[str, int, int]]:
    findings = json.loads(path.read_text())["findings"]
    return {(f["path"], f["line"], f["column"]) for f in findings if f["rule"] == RULE}


def _redocly_count(path: Path) -> int:
    text = path.read_text() if path.exists() else ""
    try:
        return sum(1 for p in json.loads(text[text.find("{") :])["problems"] if p["ruleId"].startswith("rule/"))
    except (ValueError, KeyError, TypeError):
        return -1  # not JSON: Redocly failed; the row still shows its time


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _positions(repo: Path, ours: set[tuple[str, int, int]], theirs: dict[tuple[str, int], list[Any]]) -> None:
    ours_at = {(p, line) for p, line, _ in ours}
    same = ours_at & theirs.keys()
    # A YAML block mapping under a key: Spectral points at the key's line, guardrails at the
    # mapping's first line (the line after), so both name the same schema.
    key_line = {
        (p, line)
        for p, line in theirs.keys() - same
        if (p, line + 1) in ours_at and _line(repo / p, line).rstrip().endswith(":")
    }
    files = {p for p, _ in theirs}
    single = next(iter(files)) if len(files) == 1 else ""
    only_members = _only_composition_members(repo / single) if single.lower().endswith(".json") else set()
    why: dict[str, int] = {}
    for at, pointer in theirs.items():
        if at in same or at in key_line:
            continue
        parts = [str(p) for p in pointer]
        if any(p in ("allOf", "oneOf", "anyOf") for p in parts):
            reason = "inline composition members (guardrails judges the composed whole, at its parent)"
        elif len(parts) == 3 and parts[2] in only_members:
            reason = "components used only as composition members (judged in the composed wholes)"
        elif any(p.startswith("x-") or p in ("example", "examples") for p in parts):
            reason = "inside an extension or example (data, not a schema)"
        else:
            reason = "elsewhere (not classified here: e.g. in another file of a multi-file spec)"
        why[reason] = why.get(reason, 0) + 1
    print(
        f"{'':36} Spectral's {len(theirs)} positions: guardrails reports {len(same)} on the same line"
        + (f", {len(key_line)} on the line after the YAML key Spectral points at" if key_line else "")
    )
    for reason, count in sorted(why.items(), key=lambda kv: -kv[1]):
        print(f"{'':38} not reported, {count}: {reason}")
    print(f"{'':38} reported by guardrails only: {len(ours_at - theirs.keys()) - len(key_line)} (e.g. composed wholes)")
    braces = total = 0
    for file, line, column in ours:
        if file.lower().endswith(".json"):
            total += 1
            text = _line(repo / file, line)
            braces += column >= 1 and text[column - 1 : column] == "{"
    if total:
        print(f"{'':36} guardrails JSON positions at their schema's opening brace: {braces} of {total}")


def _only_composition_members(spec: Path) -> set[str]:
    """Component schema names that a single-file JSON spec refers to only inside allOf/oneOf/anyOf."""
    inside: set[str] = set()
    outside: set[str] = set()
    stack: list[tuple[Any, bool]] = [(json.loads(spec.read_text(encoding="utf-8-sig")), False)]
    while stack:
        node, in_composition = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(("#/components/schemas/", "#/definitions/")):
                (inside if in_composition else outside).add(ref.rsplit("/", 1)[1])
            for key, value in node.items():
                if isinstance(value, list) and key in ("allOf", "oneOf", "anyOf"):
                    stack.extend((v, True) for v in value)
                else:
                    stack.append((value, False))
        elif isinstance(node, list):
            stack.extend((v, False) for v in node)
    return inside - outside


_LINES: dict[Path, list[str]] = {}


def _line(path: Path, number: int) -> str:
    if path not in _LINES:
        _LINES[path] = path.read_text(encoding="utf-8-sig").splitlines()
    lines = _LINES[path]
    return lines[number - 1] if 0 < number <= len(lines) else ""


if __name__ == "__main__":
    main()
