"""The ``Schedule`` unit: one job's trigger as written, and what the loader found about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from guardrails.findings import Location

# Schedule.kind
CRON = "cron"  # a cron expression (5 fields, or 6 with a leading seconds field)
CALENDAR = "calendar"  # a systemd OnCalendar= calendar event
INTERVAL = "interval"  # every N units from some start (@every 5m): no fixed instant, never flagged


@dataclass(frozen=True)
class Collision:
    """Another job (of the same file, for the rule) that fires in the same minute as this one."""

    job: str
    path: str
    line: int
    instants: tuple[str, ...]  # the shared minutes, described in UTC ("daily 00:00 UTC")


@dataclass(frozen=True)
class Schedule:
    """One trigger of one job.

    ``expression`` is what the author wrote (``0 * * * *``, ``daily``, ``->dailyAt('00:00')``);
    ``cron`` the cron expression it means, for CRON kinds (with ``seconds``: a leading seconds
    field). ``timezone``: an IANA name, or None where the host's zone applies (taken as UTC).
    ``jitter``: how the job is spread out (``RandomizedDelaySec=300``), None when it is not.
    The loader fills the analysis: ``minute_zero`` (the instants at minute 0, described),
    ``collisions`` and ``suggested_minutes`` (free minutes derived from the job's name).
    """

    path: str
    location: Location
    job: str
    source: str  # crontab, kubernetes, github-actions, systemd, robfig/cron, gocron, apscheduler, celery, laravel
    expression: str
    kind: str
    cron: str | None = None
    seconds: bool = False
    timezone: str | None = None
    jitter: str | None = None
    jitter_hint: str = "a random sleep before the command"  # that scheduler's own way to add jitter
    minute_zero: tuple[str, ...] = ()
    collisions: tuple[Collision, ...] = field(default=())
    suggested_minutes: tuple[int, ...] = ()
    statement_line: int = 0  # code: the first line of the statement, where an ignore comment above counts too

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def zone_name(self) -> str:
        return self.timezone or "UTC (host)"
