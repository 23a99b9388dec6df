"""The ``schedules`` input: every time-triggered job of the repository, as ``Schedule`` units.

It owns the ``schedules`` config section (``sources``: the files to read).
"""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding
from guardrails.inputs import Input, LoadContext, SourceFile
from guardrails.schedules.model import Schedule

_SECTION = {
    "type": "object",
    "description": "Where scheduled jobs are read from (cron-jitter, guardrails schedule)",
    "properties": {
        "sources": {
            "type": "array",
            "items": {"type": "string"},
            "description": "files holding schedules: crontabs, CronJobs, workflows, timers, Go/Python/PHP code",
        }
    },
    "additionalProperties": False,
}


def _load(ctx: LoadContext) -> Iterator[Schedule | Finding | SourceFile]:
    from guardrails.schedules.source import load

    return load(ctx)


def _files(ctx: LoadContext) -> list[str]:
    from guardrails.schedules.source import schedule_files

    return schedule_files(ctx)


SCHEDULES: Input[Schedule] = Input(
    name="schedules",
    summary="Time-triggered jobs: crontabs, CronJobs, workflows, systemd timers, scheduler calls in code",
    units=(Schedule,),
    load=_load,
    files=_files,
    config={"schedules": _SECTION},
)
