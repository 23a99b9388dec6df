"""systemd calendar events (``OnCalendar=``, systemd.time(7)): a small parser of our own.

No maintained Python library parses them, so this module reads the forms systemd documents:
the shorthands (``hourly``, ``daily``, ``weekly``, ...), ``[WEEKDAYS] [[YEAR-]MONTH-DAY]
[HOUR:MINUTE[:SECOND]] [TIMEZONE]`` with ``*``, lists ``a,b``, ranges ``a..b``, repetitions
``a/step`` and the last-days-of-month ``~``. An omitted date is every day, an omitted time
midnight. Unlike cron, weekday and day of month must both match.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

SHORTHANDS = {
    "minutely": "*-*-* *:*:00",
    "hourly": "*-*-* *:00:00",
    "daily": "*-*-* 00:00:00",
    "monthly": "*-*-01 00:00:00",
    "weekly": "Mon *-*-* 00:00:00",
    "yearly": "*-01-01 00:00:00",
    "annually": "*-01-01 00:00:00",
    "quarterly": "*-01,04,07,10-01 00:00:00",
    "semiannually": "*-01,07-01 00:00:00",
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class CalendarEvent:
    weekdays: frozenset[int]  # 0 = Monday, as datetime.weekday()
    years: frozenset[int] | None  # None: any year
    months: frozenset[int]
    days: frozenset[int]  # days of the month; with from_end, counted back from its last day (1 = last)
    from_end: bool
    hours: frozenset[int]
    minutes: frozenset[int]
    seconds: frozenset[int]
    timezone: str | None

    def matches_minute(self, local: datetime) -> bool:
        """Whether the event fires within this minute of local time."""
        if local.weekday() not in self.weekdays or local.month not in self.months:
            return False
        if self.years is not None and local.year not in self.years:
            return False
        day = local.day
        if self.from_end:
            day = calendar.monthrange(local.year, local.month)[1] - local.day + 1
        return day in self.days and local.hour in self.hours and local.minute in self.minutes


def parse(text: str) -> CalendarEvent:
    """The calendar event ``text`` means; raises CalendarError naming what is wrong."""
    spec = " ".join(text.split())
    spec = SHORTHANDS.get(spec.lower(), spec)
    tokens = spec.split(" ")
    timezone = None
    if len(tokens) > 1 and _is_zone(tokens[-1]):
        timezone = tokens.pop()
    weekdays: frozenset[int] = frozenset(range(7))
    if tokens and tokens[0][:1].isalpha():
        weekdays = _weekdays(tokens.pop(0))
    date, time_ = "*-*-*", "00:00:00"
    for token in tokens:
        if ":" in token:
            time_ = token
        elif "-" in token or "~" in token:
            date = token
        else:
            raise CalendarError(f"cannot read {token!r} in calendar event {text!r}")
    years, months, days, from_end = _date(date, text)
    hours, minutes, seconds = _time(time_, text)
    return CalendarEvent(weekdays, years, months, days, from_end, hours, minutes, seconds, timezone)


def _is_zone(token: str) -> bool:
    return token.upper() == "UTC" or ("/" in token and token[:1].isalpha() and ":" not in token)


def _weekdays(token: str) -> frozenset[int]:
    found: set[int] = set()
    for part in token.split(","):
        first, _, last = part.partition("..")
        a = _weekday(first)
        b = _weekday(last) if last else a
        found.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(found)


def _weekday(name: str) -> int:
    key = name.lower()[:3]
    if key not in _WEEKDAYS:
        raise CalendarError(f"unknown weekday {name!r}")
    return _WEEKDAYS.index(key)


def _date(token: str, text: str) -> tuple[frozenset[int] | None, frozenset[int], frozenset[int], bool]:
    from_end = "~" in token
    head, _, day = token.rpartition("~" if from_end else "-")
    parts = head.split("-") if head else []
    if len(parts) == 1:
        parts = ["*", *parts]
    if len(parts) != 2:
        raise CalendarError(f"cannot read the date {token!r} in calendar event {text!r}")
    year, month = parts
    years = None if year == "*" else _values(year, 1970, 2199, text)
    return years, _values(month, 1, 12, text), _values(day, 1, 31, text), from_end


def _time(token: str, text: str) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    parts = token.split(":")
    if len(parts) == 2:
        parts.append("00")
    if len(parts) != 3:
        raise CalendarError(f"cannot read the time {token!r} in calendar event {text!r}")
    hour, minute, second = parts
    second = second.split(".", 1)[0]  # fractions of a second do not move the minute
    return _values(hour, 0, 23, text), _values(minute, 0, 59, text), _values(second, 0, 59, text)


def _values(field: str, low: int, high: int, text: str) -> frozenset[int]:
    found: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        try:
            step = int(step_text) if step_text else 0
            if base == "*":
                start, end = low, high
            elif ".." in base:
                first, _, last = base.partition("..")
                start, end = int(first), int(last)
            else:
                start = int(base)
                end = high if step else start
        except ValueError:
            raise CalendarError(f"cannot read {part!r} in calendar event {text!r}") from None
        if not low <= start <= high or not low <= end <= high or step < 0:
            raise CalendarError(f"{part!r} is out of range {low}..{high} in calendar event {text!r}")
        found.update(range(start, end + 1, step or 1))
    return frozenset(found)
