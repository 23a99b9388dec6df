"""openapi-additional-properties against Spectral, on the same specs, in one run.

    python benchmarks/bench_openapi.py SPEC [SPEC ...] [--spectral PATH] [--repeat 3]

Each SPEC is a root spec file; the directory holding it (with every file below,
for multi-file specs) is copied into a scratch git repository. For each spec the
script runs, in subprocesses:

- `guardrails run --select openapi-additional-properties --format json`, cold
  (empty validation cache: openapi-spec-validator runs) and warm (the verdict for
  this exact content is cached, as on every run after the first);
- `spectral lint` with a ruleset holding the equivalent rule
  (given `$..[?(@ && @.type == 'object')]`, then additionalProperties: defined).

It prints wall time (best of --repeat) and peak memory (the process's max RSS)
of each, the ratios, and how many of Spectral's positions guardrails also
reports. Install Spectral outside the repository first:
`npm install --prefix /tmp/spectral @stoplight/spectral-cli`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def measure(cmd: list[str], cwd: Path, env: dict[str, str], out: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one run of cmd, its stdout written to out."""
    with out.open("wb") as stdout:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(w for w, _ in runs), max(m for _, m in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("specs", nargs="+", type=Path)
    parser.add_argument("--spectral", default="/tmp/spectral/node_modules/.bin/spectral")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not Path(args.spectral).exists():
        raise SystemExit(f"no Spectral at {args.spectral}: npm install --prefix /tmp/spectral @stoplight/spectral-cli")
    print(f"{'spec':40} {'tool':18} {'wall s':>8} {'peak MiB':>9} {'findings':>9}")
    for spec in args.specs:
        with tempfile.TemporaryDirectory() as scratch:
            bench_one(spec.resolve(), Path(scratch), args)


def bench_one(spec: Path, scratch: Path, args: argparse.Namespace) -> None:
    repo = scratch / "repo"
    shutil.copytree(spec.parent, repo)
    env = {**os.environ, **GIT_ENV, "GUARDRAILS_CACHE_DIR": str(scratch / "cache")}
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "spec"]):
        subprocess.run(["git", "-C", str(repo), *git], env=env, check=True, capture_output=True)
    rel = spec.name
    (scratch / "ruleset.yaml").write_text(RULESET)
    (repo / ".git" / "info" / "exclude").write_text(".guardrails.yml\n")
    (repo / ".guardrails.yml").write_text(
        f"version: 1\nextends: none\nopenapi:\n  specs: [{json.dumps(rel)}]\n"
        "rules:\n  openapi-additional-properties: error\n"
    )
    ours = [
        sys.executable,
        "-m",
        "guardrails",
        "run",
        "--select",
        "openapi-additional-properties",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]
    theirs = [args.spectral, "lint", "-q", "-r", str(scratch / "ruleset.yaml"), "-f", "json", str(repo / rel)]
    cold = measure(ours, repo, env, scratch / "ours.json")
    warm = best([measure(ours, repo, env, scratch / "ours.json") for _ in range(args.repeat)])
    spectral = best([measure(theirs, repo, env, scratch / "spectral.json") for _ in range(args.repeat)])
    found = json.loads((scratch / "ours.json").read_text())["findings"]
    ours_at = {(f["path"], f["line"]) for f in found if f["rule"] == "openapi-additional-properties"}
    spectral_found = json.loads((scratch / "spectral.json").read_text() or "[]")
    theirs_at = {
        (str(Path(d["source"]).resolve().relative_to(repo.resolve())), d["range"]["start"]["line"] + 1)
        for d in spectral_found
    }
    name = str(spec)[-40:]
    print(f"{name:40} {'guardrails cold':18} {cold[0]:8.2f} {cold[1]:9.0f} {len(ours_at):9}")
    print(f"{'':40} {'guardrails warm':18} {warm[0]:8.2f} {warm[1]:9.0f} {len(ours_at):9}")
    print(f"{'':40} {'spectral':18} {spectral[0]:8.2f} {spectral[1]:9.0f} {len(theirs_at):9}")
    print(
        f"{'':40} ratios: spectral/guardrails wall {spectral[0] / warm[0]:.1f}x warm, "
        f"{spectral[0] / cold[0]:.1f}x cold; guardrails/spectral memory {warm[1] / spectral[1]:.2f} warm, "
        f"{cold[1] / spectral[1]:.2f} cold"
    )
    print(
        f"{'':40} same line as Spectral: {len(ours_at & theirs_at)} of Spectral's {len(theirs_at)} "
        f"(Spectral also flags composition members and $ref sites; guardrails reports each schema once)"
    )


if __name__ == "__main__":
    main()
