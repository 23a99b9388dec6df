"""systemd ``.timer`` units: every ``OnCalendar=`` of the ``[Timer]`` section.

``RandomizedDelaySec=`` (or ``RandomizedOffsetSec=``) greater than zero is jitter.
``OnBootSec=``, ``OnUnitActiveSec=`` and the other monotonic timers are intervals. A unit
file may set ``OnCalendar=`` several times (each is a trigger) and an empty one resets the
list, as systemd does.
"""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Location
from guardrails.schedules.model import CALENDAR, INTERVAL, Schedule

HINT = "RandomizedDelaySec= with AccuracySec=1us"
_MONOTONIC = ("OnActiveSec", "OnBootSec", "OnStartupSec", "OnUnitActiveSec", "OnUnitInactiveSec")
_JITTER = ("RandomizedDelaySec", "RandomizedOffsetSec")


def read(path: str, text: str) -> Iterator[Schedule | Finding]:
    job = path.rsplit("/", 1)[-1].removesuffix(".timer")
    section = ""
    triggers: list[tuple[str, str, int, int]] = []  # (key, value, line, column)
    jitter: str | None = None
    for number, raw in enumerate(text.split("\n"), 1):  # not splitlines(): a form feed ends no line
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, eq, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or section != "Timer":
            continue
        if key == "Unit" and value:
            job = value.removesuffix(".service")
        elif key in _JITTER:
            jitter = f"{key}={value}" if value and value not in ("0", "0s") else None
        elif key == "OnCalendar" or key in _MONOTONIC:
            if not value:
                triggers = [t for t in triggers if t[0] != key]  # an empty assignment resets
                continue
            column = raw.index("=") + 2
            triggers.append((key, value, number, column))
    for key, value, number, column in triggers:
        yield Schedule(
            path=path,
            location=Location(path, number, column, number, column + len(value)),
            job=job,
            source="systemd",
            expression=value if key == "OnCalendar" else f"{key}={value}",
            kind=CALENDAR if key == "OnCalendar" else INTERVAL,
            jitter=jitter,
            jitter_hint=HINT,
        )
