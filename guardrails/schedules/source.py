"""The ``schedules`` input's loader: each file to its reader, every schedule checked, then the
jobs of each file compared (guardrails.schedules.collide).

A file that cannot be read, an expression the scheduler would reject and an unknown time zone
are ``parse-error`` findings at their line; the file's other schedules still count.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from guardrails.findings import Finding, parse_error
from guardrails.inputs import LoadContext, SourceFile, source_file
from guardrails.schedules.model import CALENDAR, CRON, Schedule
from guardrails.workspace import UnreadableFile, Workspace

DEFAULT_SOURCES = [
    "**/crontab",
    "**/*.cron",
    "**/*.crontab",
    "**/cron.d/*",
    "**/*.timer",
    "**/*.yml",
    "**/*.yaml",
    "**/*.go",
    "**/*.py",
    "**/*.php",
]
Reader = Callable[[str, str], Iterable[Schedule | Finding]]
_CODE = {"go": "golang", "py": "python", "php": "laravel"}


def schedule_files(ctx: LoadContext) -> list[str]:
    return ctx.workspace.select(list(ctx.section("schedules").get("sources", DEFAULT_SOURCES)))


def load(ctx: LoadContext, compare: bool = True) -> Iterator[Schedule | Finding | SourceFile]:
    """``compare``: the jobs of each file compared (the rule's contract); off for ``guardrails
    schedule``, which compares the whole repository's once instead."""
    for path in schedule_files(ctx):
        yield from units_in_file(ctx.workspace, path, compare)


def reader_for(path: str, text: str) -> Reader | None:
    """The reader of this file's format, or None when it cannot hold a schedule."""
    from guardrails.schedules import actions, crontab, kubernetes

    if crontab.is_crontab(path):
        return crontab.read
    if path.endswith(".timer"):
        return _module("systemd").read
    if actions.is_workflow(path):
        return actions.read
    if kubernetes.is_manifest(path, text):
        return kubernetes.read
    extension = path.rsplit(".", 1)[-1]
    if extension in _CODE:
        from guardrails.sql.code.generated import is_generated, is_vendored

        module = _module(_CODE[extension])
        if module.mentions(text) and not is_vendored(path) and not is_generated(text):
            return module.read
    return None


def _module(name: str) -> Any:
    return importlib.import_module(f"guardrails.schedules.{name}")


def units_in_file(workspace: Workspace, path: str, compare: bool = True) -> Iterator[Schedule | Finding | SourceFile]:
    try:
        text = workspace.read_text(path)
    except UnreadableFile as exc:
        yield parse_error(path, str(exc), exc.line, exc.column)
        return
    reader = reader_for(path, text)
    if reader is None:
        return
    yield source_file(path, text)
    found: list[Schedule] = []
    try:
        for item in reader(path, text):
            if isinstance(item, Schedule):
                checked = validated(item)
                if isinstance(checked, Finding):
                    yield checked
                else:
                    found.append(checked)
            else:
                yield item
    except (Exception, RecursionError) as exc:  # one file a reader chokes on stops nothing
        yield parse_error(path, f"could not read the schedules ({type(exc).__name__}: {exc})")
        return
    if not compare:
        yield from found
        return
    from guardrails.schedules.collide import analyse

    yield from analyse(found)


def validated(schedule: Schedule) -> Schedule | Finding:
    """The schedule with its cron expression spelled out, or a parse-error at its line."""
    from guardrails.schedules.oncalendar import CalendarError
    from guardrails.schedules.oncalendar import parse as parse_calendar
    from guardrails.schedules.timing import ScheduleError, check_cron, zone

    loc = schedule.location
    try:
        zone(schedule.timezone)
        if schedule.kind == CRON:
            expression = check_cron(schedule.cron or schedule.expression, schedule.seconds)
            hashed = any(field.startswith("H") for field in expression.split(" "))  # Jenkins' H: a stable spread
            jitter = schedule.jitter or ("H (hashed from the job's name)" if hashed else None)
            return replace(schedule, cron=expression, jitter=jitter)
        if schedule.kind == CALENDAR:
            event = parse_calendar(schedule.expression)
            zone(event.timezone)
    except (ScheduleError, CalendarError) as exc:
        return parse_error(schedule.path, f"{schedule.source} schedule of {schedule.job}: {exc}", loc.line, loc.column)
    return schedule
