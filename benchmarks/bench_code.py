"""How fast guardrails reads SQL out of application code, and whether it stays linear.

    python benchmarks/bench_code.py [PATH ...] [--files 10000] [--jobs 1,auto] [--clock]

Without PATH, builds a synthetic tree of --files Go and Python files (half each, in
two halves ``a/`` and ``b/``) in a scratch git repository: each file has queries in
every literal form, builder calls, log messages and prose. With PATH, uses those
repositories as they are. For each --jobs setting (``auto`` lets guardrails choose),
runs `guardrails run --select insert-ignore` in a subprocess and prints wall time,
CPU time (user + system, of guardrails and its worker processes), files per CPU
second, findings, and the peak memory of the largest process. On the
synthetic tree it also times half the tree, so the ratio shows whether time grows
linearly (about 2.0). With --clock, direct-clock is turned on too (a config outside the tree):
both inputs that read SQL out of code run, and each file's extraction is shared between them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import load_average

from guardrails import peak_memory

GO = """package svc{n}

import (
	"context"
	"fmt"
	"log"
)

const table{n} = "events_{n}"

const (
	insert{n} = "INSERT IGNORE INTO " + table{n} + " (id, name) " +
		"VALUES (?, ?)"
	select{n} = `SELECT id, name
FROM events_{n}
WHERE id = ? AND created_at >= ?`
)

// Save stores an event. INSERT IGNORE INTO events used to be here.
func (s *Store) Save{n}(ctx context.Context, id int64, name string) error {{
	if _, err := s.db.ExecContext(ctx, insert{n}, id, name); err != nil {{
		log.Printf("insert ignore failed for %d: %v", id, err)
		return fmt.Errorf("save event %d: %w", id, err)
	}}
	q := fmt.Sprintf("UPDATE %s SET name = ? WHERE id = ? -- 100%%", table{n})
	_, err := s.db.ExecContext(ctx, q, name, id)
	s.cache.Set(fmt.Sprintf("event:%d", id), name)
	return err
}}
"""

PY = '''"""Events, number {n}. SELECT * FROM events is how it started."""
import logging

from sqlalchemy import insert

log = logging.getLogger(__name__)
TABLE = "events_{n}"


def save(cursor, event_id, name):
    cursor.execute(
        "INSERT INTO events_{n} (id, name) "
        "VALUES (%s, %s) ON DUPLICATE KEY UPDATE name = VALUES(name)",
        (event_id, name),
    )
    log.warning("insert ignore failed for %d", event_id)
    cursor.execute(f"""
        SELECT id, name FROM {{TABLE}}
        WHERE id = %(id)s
    """, {{"id": event_id}})
    return {{"status": "saved", "message": f"event {{event_id}} stored"}}


def save_many(session, events, rows):
    session.execute(insert(events).prefix_with("IGNORE"), rows)
'''


def build(root: Path, files: int) -> None:
    for n in range(files // 2):
        half = "a" if n < files // 4 else "b"
        target = root / half / f"pkg{n // 100}"
        target.mkdir(parents=True, exist_ok=True)
        (target / f"svc{n}.go").write_text(GO.format(n=n))
        (target / f"events{n}.py").write_text(PY.format(n=n))
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)


def measure(root: Path, jobs: str, paths: list[str], config: Path | None = None) -> dict[str, float]:
    env = dict(os.environ)
    env.pop("GUARDRAILS_JOBS", None)
    if jobs != "auto":
        env["GUARDRAILS_JOBS"] = jobs
    command = [sys.executable, "-m", "guardrails", "run", "--select", "insert-ignore", "--format", "json"]
    if config is not None:
        command[5:6] = ["insert-ignore", "direct-clock", "--config", str(config)]
    started = time.perf_counter()
    run = peak_memory.measure([*command, *paths], cwd=root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.completed.returncode == 2:
        raise SystemExit(f"guardrails failed:\n{run.completed.stderr}")
    report = json.loads(run.completed.stdout)
    return {
        "seconds": elapsed,
        "cpu": run.cpu_seconds,
        "files": report["summary"]["files"],
        "findings": len(report["findings"]),
        "peak_mib": run.peak_mib,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="repositories to read (default: synthetic)")
    parser.add_argument("--files", type=int, default=10_000, help="files in the synthetic tree")
    parser.add_argument("--jobs", default="1,auto", help="comma-separated GUARDRAILS_JOBS settings")
    parser.add_argument("--clock", action="store_true", help="turn direct-clock on as well as insert-ignore")
    args = parser.parse_args()
    settings = args.jobs.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        config = None
        if args.clock:
            config = Path(scratch) / "guardrails.yml"
            config.write_text("version: 1\nrules:\n  direct-clock: error\n  insert-ignore: error\n")
        roots = [p.resolve() for p in args.paths]
        synthetic = not roots
        if synthetic:
            roots = [Path(scratch) / "tree"]
            started = time.perf_counter()
            build(roots[0], args.files)
            print(f"built {args.files} files in {time.perf_counter() - started:.1f}s; load average {load_average()}")
        for root in roots:
            serial = None
            for jobs in settings:
                whole = measure(root, jobs, [], config)
                rate = whole["files"] / whole["cpu"]
                line = (
                    f"{root.name} jobs={jobs}: {whole['files']:.0f} files in {whole['seconds']:.2f}s wall, "
                    f"{whole['cpu']:.2f}s CPU = {rate:.0f} files/CPU s, {whole['findings']:.0f} findings, "
                    f"peak {whole['peak_mib']:.0f} MiB (largest process of the run)"
                )
                if serial is None:
                    serial = whole["seconds"]
                else:
                    line += f", {serial / whole['seconds']:.2f}x the first setting"
                if synthetic:
                    half = measure(root, jobs, ["a"], config)
                    line += f"; whole/half CPU time {whole['cpu'] / half['cpu']:.2f} (linear: ~2)"
                print(line, flush=True)


if __name__ == "__main__":
    main()
