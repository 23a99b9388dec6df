"""The ``schedules`` input: every time-triggered job of the repository, as ``Schedule`` units.

It owns the ``schedules`` config section (``sources``: the files to read).
"""

from __future__ import annotations

from guardrails.inputs import Input, lazy
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


SCHEDULES: Input[Schedule] = Input(
    name="schedules",
    summary="Time-triggered jobs: crontabs, CronJobs, workflows, systemd timers, scheduler calls in code",
    units=(Schedule,),
    load=lazy("guardrails.schedules.source:load"),
    files=lazy("guardrails.schedules.source:schedule_files"),
    config={"schedules": _SECTION},
    empty="no scheduled job in the files checked (schedules.sources)",
)
