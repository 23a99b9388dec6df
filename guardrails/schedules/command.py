"""``guardrails schedule``: the repository's whole schedule, one row per trigger.

Columns: the job, where its schedule is set (file:line), its time zone, its next instants
in UTC, and the jobs it collides with, in any file of the repository (the rule compares the
jobs of one file; the whole schedule is where cross-file collisions show). ``--format json`` prints the same as
one object. ``--from`` sets the instant the next ones are counted from (default: now), so a
report can be reproduced. Unreadable input is listed, on stderr and in the JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guardrails.config import Config
    from guardrails.schedules.model import Schedule

EXIT_OK, EXIT_ERROR = 0, 2
_NEXT = 3


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="only schedules in these files or directories")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--from", dest="start", metavar="ISO-TIME", help="count the next instants from this time (default: now)"
    )


def main(args: argparse.Namespace, config: Config, root: Path) -> int:
    from guardrails.findings import Finding
    from guardrails.inputs import LoadContext
    from guardrails.schedules.model import Schedule
    from guardrails.schedules.source import load
    from guardrails.state import RunState
    from guardrails.workspace import WorkspaceError, open_workspace, repository_paths

    try:
        start = _start(args.start)
        workspace = open_workspace(root, config.exclude, paths=repository_paths(root, args.paths or None))
    except (ValueError, WorkspaceError) as exc:
        print(f"guardrails: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    schedules: list[Schedule] = []
    problems: list[Finding] = []
    for item in load(LoadContext(workspace, config, RunState()), compare=False):
        if isinstance(item, Schedule):
            schedules.append(item)
        elif isinstance(item, Finding):
            problems.append(item)
    from guardrails.schedules.collide import analyse

    # the rule compares the jobs of one file; the whole schedule shows collisions across files too
    rows = [row(s, start) for s in analyse(schedules)]
    errors = [{"path": f.path, "line": f.line, "message": f.message} for f in problems]
    if args.format == "json":
        doc = {"version": 1, "from": start.isoformat(), "schedules": rows, "errors": errors}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(table(rows))
    for error in errors:
        print(f"guardrails: {error['path']}:{error['line']}: {error['message']}", file=sys.stderr)
    return EXIT_OK


def _start(text: str | None) -> datetime:
    if not text:
        return datetime.now(timezone.utc)  # "next" means from the real now unless --from says otherwise
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--from {text!r}: not an ISO 8601 time (e.g. 2025-01-06T00:00:00Z)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def row(schedule: Schedule, start: datetime) -> dict[str, Any]:
    from guardrails.schedules.model import INTERVAL
    from guardrails.schedules.timing import Timing

    fires = [] if schedule.kind == INTERVAL else Timing(schedule).next_fires(start, _NEXT)
    return {
        "job": schedule.job,
        "source": schedule.source,
        "path": schedule.path,
        "line": schedule.line,
        "expression": schedule.expression,
        "kind": schedule.kind,
        "timezone": schedule.zone_name,
        "jitter": schedule.jitter,
        "next": [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in fires],
        "minute_zero": bool(schedule.minute_zero),
        "collisions": [
            {"job": c.job, "path": c.path, "line": c.line, "instants": list(c.instants)} for c in schedule.collisions
        ],
    }


def _collision(row: dict[str, Any], collision: dict[str, Any]) -> str:
    elsewhere = f"{collision['path']}:{collision['line']}, " if collision["path"] != row["path"] else ""
    return f"{collision['job']} ({elsewhere}{collision['instants'][0]})"


def table(rows: list[dict[str, Any]]) -> str:
    header = ("JOB", "SOURCE", "WHERE", "ZONE", "NEXT (UTC)", "COLLIDES WITH")
    lines = [header]
    for r in rows:
        if r["kind"] == "interval":
            next_text = f"interval ({r['expression']})"
        else:
            next_text = ", ".join(t[:16].replace("T", " ") for t in r["next"])
            if r["jitter"]:
                next_text += f" + jitter ({r['jitter']})"
        collides = "; ".join(_collision(r, c) for c in r["collisions"]) or "-"
        lines.append((r["job"], r["source"], f"{r['path']}:{r['line']}", r["timezone"], next_text, collides))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    out = [
        "  ".join(cell.ljust(w) for cell, w in zip(line[:-1], widths, strict=True)) + "  " + line[-1] for line in lines
    ]
    out.append(f"{len(rows)} schedule(s), {sum(1 for r in rows if r['collisions'])} colliding")
    return "\n".join(s.rstrip() for s in out) + "\n"
