"""When a schedule fires: cron expressions through croniter, calendar events through ``oncalendar``.

croniter, not cronsim: croniter evaluates the Jenkins-style ``H`` (hashed from the job's name,
as Jenkins does) and a leading seconds field (robfig/cron's ``WithSeconds``), and walks
time-zone-aware datetimes across DST; cronsim is faster and stricter but takes neither.

Collisions are judged over two fixed reference weeks, one in January and one in July, so
the verdict is the same whatever the day CI runs, and DST on either hemisphere is seen
(Europe/London's midnight is UTC's midnight in winter only). A job that fires less often
than weekly adds its next instant after each week's start.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from guardrails.schedules import oncalendar
from guardrails.schedules.model import CALENDAR, CRON, Schedule

UTC = timezone.utc
WEEK = timedelta(days=7)
REFERENCE_WEEKS = (datetime(2025, 1, 6, tzinfo=UTC), datetime(2025, 7, 7, tzinfo=UTC))  # Mondays
CRON_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


class ScheduleError(ValueError):
    """An expression the scheduler would reject, or one we cannot evaluate."""


def zone(name: str | None) -> ZoneInfo:
    if name is None:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"unknown time zone {name!r}") from None


def check_cron(expression: str, seconds: bool = False) -> str:
    """The expression with descriptors spelled out; raises ScheduleError where croniter does."""
    from croniter import croniter

    expression = CRON_DESCRIPTORS.get(expression.strip().lower(), " ".join(expression.split()))
    fields = expression.split(" ")
    if len(fields) != (6 if seconds else 5):
        raise ScheduleError(f"{expression!r} has {len(fields)} fields, not {6 if seconds else 5}")
    try:
        croniter(expression, REFERENCE_WEEKS[0], second_at_beginning=seconds, hash_id=b"check")
    except (ValueError, KeyError) as exc:
        raise ScheduleError(f"invalid cron expression {expression!r}: {exc}") from None
    return expression


class Timing:
    """A schedule's firing minutes, in UTC."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.tz = zone(schedule.timezone)
        self._calendar: oncalendar.CalendarEvent | None = None
        self._minute_cron = ""
        if schedule.kind == CALENDAR:
            self._calendar = oncalendar.parse(schedule.expression)
            if self._calendar.timezone:
                self.tz = zone(self._calendar.timezone)
        elif schedule.kind == CRON and schedule.cron:
            fields = schedule.cron.split(" ")
            self._minute_cron = " ".join(fields[1:] if schedule.seconds else fields)

    def fires_at(self, instant: datetime) -> bool:
        """Whether the job fires within the minute starting at ``instant`` (UTC)."""
        local = instant.astimezone(self.tz)
        if self._calendar is not None:
            return self._calendar.matches_minute(local)
        return _cron_match(self._minute_cron, local.replace(second=0, microsecond=0, tzinfo=None))

    def reference_instants(self) -> list[datetime]:
        """Every firing minute in the reference weeks (UTC), plus the next one after each
        week's start for a job that fires less often."""
        found: list[datetime] = []
        for start in REFERENCE_WEEKS:
            week = list(self._minutes(start, start + WEEK))
            found += week or [t.replace(second=0) for t in self.next_fires(start, 1)]
        return found

    def next_fires(self, after: datetime, count: int) -> list[datetime]:
        """The next ``count`` firing instants after ``after`` (UTC, seconds included)."""
        if self._calendar is not None:
            second = timedelta(seconds=min(self._calendar.seconds))
            fires = self._minutes(after - timedelta(hours=1), after + timedelta(days=1500))
            return list(itertools.islice((t + second for t in fires if t + second > after), count))
        from croniter import croniter

        it = croniter(
            self.schedule.cron or "",
            after.astimezone(self.tz),
            second_at_beginning=self.schedule.seconds,
            hash_id=self.schedule.job.encode(),
        )
        return [it.get_next(datetime).astimezone(UTC) for _ in range(count)]

    def _minutes(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Firing minutes in [start, end), local hour by local hour: the hour, day and month
        fields are asked once per hour, then every minute of the minute field fires in it (a
        job every minute is 10,080 minutes a week: asking croniter for each is too slow)."""
        minutes = self._minute_field()
        if not minutes:
            return
        local = start.astimezone(self.tz)
        hour = (
            local - timedelta(minutes=local.minute, seconds=local.second, microseconds=local.microsecond)
        ).astimezone(UTC)
        while hour < end:
            if self.fires_at(hour + timedelta(minutes=minutes[0])):
                for minute in minutes:
                    instant = hour + timedelta(minutes=minute)
                    if start <= instant < end:
                        yield instant
            hour += timedelta(hours=1)

    def _minute_field(self) -> list[int]:
        if self._calendar is not None:
            return sorted(self._calendar.minutes)
        from croniter import croniter

        field = croniter.expand(self._minute_cron, hash_id=self.schedule.job.encode())[0][0]
        return list(range(60)) if field == ["*"] else sorted(int(m) for m in field)


@lru_cache(maxsize=65536)
def _cron_match(expression: str, local: datetime) -> bool:
    from croniter import croniter

    match: Any = croniter.match
    return bool(match(expression, local))
