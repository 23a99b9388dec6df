"""Which jobs fire at minute 0 or in the same minute, and free minutes for each: the loader
compares the jobs of each file (the rule's contract), ``guardrails schedule`` the whole repository.

Only jobs with a fixed instant and no jitter take part: an interval has no instant, and a
jittered job spreads its load by itself. Two jobs collide when one fires in a minute (UTC)
in which the other fires too, in either reference week (guardrails.schedules.timing).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

from guardrails.schedules.model import CALENDAR, CRON, Collision, Schedule
from guardrails.schedules.timing import REFERENCE_WEEKS, WEEK, Timing

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def analyse(schedules: list[Schedule]) -> list[Schedule]:
    """The schedules with ``minute_zero``, ``collisions`` and ``suggested_minutes`` filled in."""
    fixed = [s for s in schedules if s.kind in (CRON, CALENDAR) and s.jitter is None]
    timings = {id(s): Timing(s) for s in fixed}
    instants = {id(s): timings[id(s)].reference_instants() for s in fixed}
    taken = {t.minute for s in fixed for t in instants[id(s)]}
    out = []
    for s in schedules:
        if id(s) not in timings:
            out.append(s)
            continue
        mine = instants[id(s)]
        tz = timings[id(s)].tz
        zero = [t for t in mine if t.minute == 0 or t.astimezone(tz).minute == 0]
        collisions = []
        for other in fixed:
            if other is s or other.job == s.job:
                continue
            theirs = instants[id(other)]
            # walk the sparser job's minutes and ask the other one: the same set, fewer questions
            if len(mine) <= len(theirs):
                shared = [t for t in mine if timings[id(other)].fires_at(t)]
            else:
                shared = [t for t in theirs if timings[id(s)].fires_at(t)]
            if shared:
                collisions.append(Collision(other.job, other.path, other.line, (describe(shared),)))
        own = {t.minute for t in mine}
        out.append(
            replace(
                s,
                minute_zero=(describe(zero),) if zero else (),
                collisions=tuple(collisions),
                suggested_minutes=free_minutes(s.job, own, taken - own),
            )
        )
    return out


def free_minutes(job: str, own: set[int], taken: set[int]) -> tuple[int, ...]:
    """Minutes derived from the job's name (stable across runs, as Jenkins' H is), moved on past
    minute 0 and past the minutes other jobs of the file use, while some are free. A job firing
    several times an hour at a regular step (``*/15``) keeps its step at an offset of its own; one
    firing every minute has no minute to move to (): only jitter helps it."""
    count = len(own)
    step = 60 // count if count and 60 % count == 0 else 60
    if count > 1 and (step == 1 or own != set(range(min(own), 60, step))):
        return ()
    start = int.from_bytes(hashlib.sha256(job.encode()).digest()[:4], "big") % step
    for move in range(step):
        offset = (start + move) % step
        minutes = tuple(range(offset, 60, step))
        if offset and not taken.intersection(minutes):
            return minutes
    return tuple(range(start or 1, 60, step))


def describe(instants: list[datetime]) -> str:
    """Firing minutes, compactly, in UTC: ``daily 00:00 UTC``, ``Mon-Fri 03:00 UTC``,
    ``every hour at :00 UTC``; from the January reference week (later ones repeat it)."""
    first = sorted({t for t in instants if t < REFERENCE_WEEKS[1]} or set(instants))
    if any(t >= REFERENCE_WEEKS[0] + WEEK for t in first):  # fires less often than weekly
        return ", ".join(t.strftime("%a %b %d %H:%M") for t in first[:3]) + " UTC"
    days = sorted({t.weekday() for t in first})
    times = sorted({(t.hour, t.minute) for t in first})
    if len(first) != len(days) * len(times):  # not the same times every day it fires
        shown = ", ".join(f"{_DAYS[t.weekday()]} {t:%H:%M}" for t in first[:3])
        return shown + (f" +{len(first) - 3} more" if len(first) > 3 else "") + " UTC"
    day_text = "daily" if len(days) == 7 else _day_ranges(days)
    minutes = sorted({m for _, m in times})
    if len(times) == 24 * len(minutes):
        shown = ",".join(f":{m:02d}" for m in minutes[:4]) + (" ..." if len(minutes) > 4 else "")
        return f"{'' if day_text == 'daily' else day_text + ' '}every hour at {shown} UTC"
    shown = ", ".join(f"{h:02d}:{m:02d}" for h, m in times[:3]) + (f" +{len(times) - 3} more" if len(times) > 3 else "")
    return f"{day_text} {shown} UTC"


def _day_ranges(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(_DAYS[r[0]] if len(r) == 1 else f"{_DAYS[r[0]]}-{_DAYS[r[-1]]}" for r in runs)
