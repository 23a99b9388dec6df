"""cron-jitter on Python schedulers: APScheduler and Celery beat, read with ast."""

from __future__ import annotations

from guardrails.findings import Finding
from guardrails.testing import run

CONFIG = {"version": 1, "rules": {"cron-jitter": "warning"}}

APSCHEDULER = """\
import logging
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from billing import invoices, reports

log = logging.getLogger(__name__)
scheduler = BackgroundScheduler(timezone="UTC")


def start() -> None:
    scheduler.add_job(invoices.send_reminders, "cron", hour=9, id="invoice-reminders")
    scheduler.add_job(reports.rebuild, "cron", hour=9, minute=0, jitter=300, id="rebuild-reports")
    scheduler.add_job(reports.rollup, CronTrigger(hour=18, timezone=ZoneInfo("Asia/Tokyo")), id="tokyo-rollup")
    scheduler.add_job(reports.archive, CronTrigger.from_crontab("0 9 * * 0"), id="weekly-archive")
    scheduler.add_job(invoices.poll_gateway, "interval", minutes=5, id="poll-gateway")
    scheduler.add_job(invoices.export, "cron", minute=25, id="export")
    log.info("scheduled jobs; cleanup runs at 0 * * * * as configured")
    scheduler.start()


@scheduler.scheduled_job("cron", day_of_week="mon-fri", hour=7, minute=25)
def warm_caches() -> None:
    reports.warm()
"""


def findings_for(files: dict[str, str]) -> dict[int, Finding]:
    found = run(files, CONFIG)
    return {f.line: f for f in found if f.rule in ("cron-jitter", "parse-error")}


def test_apscheduler_jobs_fields_defaults_zones_and_jitter() -> None:
    found = findings_for({"billing/jobs.py": APSCHEDULER})
    assert sorted(found) == [14, 16, 17, 19, 24]
    reminders = found[14]  # hour=9 alone means 09:00:00 in APScheduler
    assert reminders.properties["job"] == "invoice-reminders" and reminders.properties["minute_zero"] is True
    assert reminders.properties["colliding_jobs"] == ["tokyo-rollup", "weekly-archive"]
    assert reminders.message.endswith(" or jitter=N")
    tokyo = found[16]  # 18:00 in Tokyo is 09:00 UTC: with the reminders
    assert tokyo.properties["timezone"] == "Asia/Tokyo"
    assert tokyo.properties["colliding_jobs"] == ["invoice-reminders", "weekly-archive"]
    # from_crontab keeps APScheduler's weekday numbers: 0 is Monday
    assert "Mon 09:00 UTC" in found[17].message
    export, warm = found[19], found[24]  # minute 25 every hour meets 07:25 on weekdays
    assert export.properties["colliding_jobs"] == ["warm_caches"] and export.properties["minute_zero"] is False
    assert warm.properties["job"] == "warm_caches" and "Mon-Fri 07:25 UTC" in warm.message


def test_apscheduler_non_literal_field_is_said_not_skipped() -> None:
    code = "from settings import HOUR\n\nscheduler.add_job(sync, 'cron', hour=HOUR, id='sync')\n"
    found = findings_for({"app/jobs.py": code})
    assert [(f.rule, line) for line, f in found.items()] == [("parse-error", 3)]
    assert "hour=HOUR is not a literal" in found[3].message


CELERY = """\
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

app = Celery("shop", broker="redis://localhost:6379/0")
app.conf.timezone = "Europe/Berlin"

app.conf.beat_schedule = {
    "send-digest": {
        "task": "shop.tasks.send_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "sync-stock": {
        "task": "shop.tasks.sync_stock",
        "schedule": crontab(minute="*/15"),
    },
    "expire-carts": {
        "task": "shop.tasks.expire_carts",
        "schedule": timedelta(minutes=10),
    },
    "refresh-prices": {
        "task": "shop.tasks.refresh_prices",
        "schedule": crontab(minute=45, hour="*/6"),
    },
}


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    sender.add_periodic_task(crontab(minute=45, hour=6, day_of_week="mon"), report.s(), name="weekly-report")
    sender.add_periodic_task(30.0, heartbeat.s(), name="heartbeat")
"""


def test_celery_beat_schedule_and_add_periodic_task() -> None:
    found = findings_for({"shop/celery.py": CELERY})
    assert sorted(found) == [12, 16, 24, 31]
    digest = found[12]
    assert digest.properties["job"] == "send-digest" and digest.properties["timezone"] == "Europe/Berlin"
    assert "daily 06:00 UTC" in digest.message  # 07:00 in Berlin, winter
    assert found[16].properties["job"] == "sync-stock" and found[16].properties["minute_zero"] is True
    # 45 past every sixth hour meets Monday 06:45 (both in Berlin), and every quarter hour
    assert found[24].properties["colliding_jobs"] == ["sync-stock", "weekly-report"]
    assert found[31].properties["colliding_jobs"] == ["sync-stock", "refresh-prices"]
    assert "expire-carts" not in str([f.properties for f in found.values()])  # an interval


def test_an_ignore_above_a_multi_line_add_job_suppresses_it() -> None:
    code = (
        "# guardrails:ignore[cron-jitter] the exchange publishes rates at 00:00 UTC sharp\n"
        "scheduler.add_job(\n"
        "    rates.fetch,\n"
        '    "cron",\n'
        "    hour=0,\n"
        '    id="fetch-rates",\n'
        ")\n"
    )
    found = [f for f in run({"fx/jobs.py": code}, CONFIG) if f.rule in ("cron-jitter", "bad-suppression")]
    assert [(f.rule, f.line, f.suppressed) for f in found] == [("cron-jitter", 4, True)]
