"""Schedule evaluation: systemd calendar events, cron time zones and DST, describing instants."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from guardrails.findings import Location
from guardrails.schedules import oncalendar
from guardrails.schedules.collide import analyse, describe
from guardrails.schedules.model import CALENDAR, CRON, Schedule
from guardrails.schedules.timing import REFERENCE_WEEKS, ScheduleError, Timing, check_cron

UTC = timezone.utc


def cron(job: str, expression: str, tz: str | None = None, seconds: bool = False) -> Schedule:
    return Schedule(
        "jobs.cron",
        Location("jobs.cron", 1, 1),
        job,
        "crontab",
        expression,
        CRON,
        check_cron(expression, seconds),
        seconds,
        tz,
    )


def calendar(job: str, expression: str) -> Schedule:
    return Schedule("x.timer", Location("x.timer", 1, 1), job, "systemd", expression, CALENDAR)


@pytest.mark.parametrize(
    ("spec", "first_two"),
    [
        ("hourly", ["2025-01-06 01:00", "2025-01-06 02:00"]),
        ("daily", ["2025-01-07 00:00", "2025-01-08 00:00"]),
        ("weekly", ["2025-01-13 00:00", "2025-01-20 00:00"]),
        ("monthly", ["2025-02-01 00:00", "2025-03-01 00:00"]),
        ("*-*-* 03:00:00", ["2025-01-06 03:00", "2025-01-07 03:00"]),
        ("Mon..Fri 22:15", ["2025-01-06 22:15", "2025-01-07 22:15"]),
        ("Sat,Sun *-*-* 10:00:00", ["2025-01-11 10:00", "2025-01-12 10:00"]),
        ("*:0/20", ["2025-01-06 00:20", "2025-01-06 00:40"]),
        ("*-*~01 23:00", ["2025-01-31 23:00", "2025-02-28 23:00"]),
        ("quarterly", ["2025-04-01 00:00", "2025-07-01 00:00"]),
        ("*-*-* 09:00:00 Asia/Tokyo", ["2025-01-07 00:00", "2025-01-08 00:00"]),
    ],
)
def test_oncalendar_forms(spec: str, first_two: list[str]) -> None:
    fires = Timing(calendar("job", spec)).next_fires(REFERENCE_WEEKS[0], 2)
    assert [f"{t:%Y-%m-%d %H:%M}" for t in fires] == first_two


@pytest.mark.parametrize("bad", ["Funday 10:00", "*-13-01 00:00", "25:00", "*-*-* 10:00:00:00", "tomorrow"])
def test_oncalendar_rejects_what_systemd_rejects(bad: str) -> None:
    with pytest.raises(oncalendar.CalendarError):
        oncalendar.parse(bad)


def test_weekday_and_day_of_month_both_must_match_in_systemd() -> None:
    fires = Timing(calendar("job", "Fri *-*-13 00:00")).next_fires(datetime(2025, 1, 1, tzinfo=UTC), 2)
    assert [f"{t:%Y-%m-%d}" for t in fires] == ["2025-06-13", "2026-02-13"]


def test_london_midnight_is_utc_midnight_only_in_winter() -> None:
    london, utc = analyse([cron("a", "0 0 * * *", "Europe/London"), cron("b", "0 0 * * *")])
    assert [c.job for c in london.collisions] == ["b"]
    # the January week shares 00:00 UTC; in July London's midnight is 23:00 UTC
    july = Timing(london).reference_instants()[7:]
    assert {f"{t:%H:%M}" for t in july} == {"23:00"}


def test_half_hour_zone_is_not_minute_zero_in_utc_but_is_at_home() -> None:
    (kolkata,) = analyse([cron("a", "0 9 * * *", "Asia/Kolkata")])
    assert kolkata.minute_zero == ("daily 03:30 UTC",)
    (quarter,) = analyse([cron("b", "30 3 * * *")])
    assert quarter.minute_zero == ()


def test_seconds_field_and_hashed_h() -> None:
    (secs,) = analyse([cron("a", "30 0 * * * *", seconds=True)])  # second 30 of minute 0
    assert secs.minute_zero == ("every hour at :00 UTC",)
    hashed = cron("rebuild-index", "H 3 * * *")
    fires = Timing(hashed).next_fires(REFERENCE_WEEKS[0], 1)
    assert fires[0].hour == 3 and fires[0] == Timing(hashed).next_fires(REFERENCE_WEEKS[0], 1)[0]
    with pytest.raises(ScheduleError):
        check_cron("0 0 * * *", seconds=True)


def test_monthly_jobs_on_the_first_collide_although_outside_the_week() -> None:
    a, b, c = analyse([cron("a", "0 2 1 * *"), cron("b", "0 2 * * *"), cron("c", "0 3 1 * *")])
    assert [x.job for x in a.collisions] == ["b"]
    assert a.collisions[0].instants == ("Sat Feb 01 02:00 UTC",)
    assert c.collisions == ()


def test_describe_keeps_it_short() -> None:
    week = REFERENCE_WEEKS[0]
    every_day = [week.replace(day=6 + d, hour=4) for d in range(7)]
    assert describe(every_day) == "daily 04:00 UTC"
    assert describe(every_day[:5]) == "Mon-Fri 04:00 UTC"
    assert describe([every_day[0], every_day[2].replace(hour=5)]) == "Mon 04:00, Wed 05:00 UTC"
