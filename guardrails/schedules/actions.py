"""GitHub Actions workflows (``.github/workflows/*.yml``): every ``on.schedule[].cron``, in UTC.

A job whose steps first sleep a random time (``sleep $((RANDOM % 900))`` in a ``run:``) has
jitter. GitHub's docs warn that the start of every hour is its busiest time, when scheduled
runs may be delayed or dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guardrails.findings import Finding, Location, parse_error
from guardrails.schedules.jitter import random_sleep
from guardrails.schedules.model import CRON, Schedule
from guardrails.yamlpos import YamlError, load_with_positions

HINT = "a random sleep step first"


def is_workflow(path: str) -> bool:
    return path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml"))


def read(path: str, text: str) -> Iterator[Schedule | Finding]:
    try:
        data, values, _ = load_with_positions(text)
    except YamlError as exc:
        yield parse_error(path, str(exc), exc.line, exc.column)
        return
    if not isinstance(data, dict):
        return
    triggers = data.get("on")
    schedule = triggers.get("schedule") if isinstance(triggers, dict) else None
    if not isinstance(schedule, list):
        return
    job = str(data.get("name") or path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    jitter = _jitter(data.get("jobs"))
    for index, entry in enumerate(schedule):
        where = ("on", "schedule", index, "cron")
        if not isinstance(entry, dict) or not isinstance(entry.get("cron"), str):
            line, column = values.get(("on", "schedule", index), (0, 0))
            yield parse_error(path, "on.schedule entry without a cron string", line, column)
            continue
        line, column = values[where]
        expression = entry["cron"]
        yield Schedule(
            path=path,
            location=Location(path, line, column, line, column + len(expression) + 2),
            job=job,
            source="github-actions",
            expression=expression,
            kind=CRON,
            cron=expression,
            timezone="UTC",  # GitHub evaluates schedules in UTC
            jitter=jitter,
            jitter_hint=HINT,
        )


def _jitter(jobs: Any) -> str | None:
    """The random sleep in a ``run:`` step, when every job of the workflow has one."""
    if not isinstance(jobs, dict) or not jobs:
        return None
    found = None
    for job in jobs.values():
        steps = job.get("steps") if isinstance(job, dict) else None
        runs = [s["run"] for s in steps or [] if isinstance(s, dict) and isinstance(s.get("run"), str)]
        sleep = next((r for r in map(random_sleep, runs) if r), None)
        if sleep is None:
            return None
        found = sleep
    return found
