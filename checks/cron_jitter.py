"""cron-jitter: jobs that fire at the top of the hour, or with another job, pile their load up."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Severity
from guardrails.rules import Rule, RuleContext
from guardrails.schedules.model import INTERVAL, Schedule

HELP = (
    "Jobs that fire at a fixed instant with no jitter start together: every job at minute 0 "
    "of an hour, and every job sharing a minute with another, adds its load to the same "
    "spike (GitHub Actions warns that the start of every hour is its busiest time, when "
    "scheduled runs may be delayed or dropped). Give the job a fixed minute of its own, derived "
    "from a hash of its name as Jenkins' H does (stable, so lateness stays measurable): the "
    "message suggests one no other job of the file uses (for a job every N minutes, an offset). "
    "Or add jitter in the scheduler's own way: systemd RandomizedDelaySec= with AccuracySec=1us, "
    "APScheduler jitter=, a Jenkins-style H, or a command that first sleeps a random time (sleep $((RANDOM % 300))). "
    "A job that must run at 00:00 keeps it with `guardrails:ignore[cron-jitter] reason` above "
    "the line that sets its schedule."
)
DETAILS = (
    "Input: the `schedules` input (config `schedules.sources`): crontab files (`crontab`, `*.cron`, "
    "`*.crontab`, `cron.d/*` with the user field, `CRON_TZ=`), Kubernetes CronJob manifests "
    "(`spec.schedule`, `spec.timeZone`), GitHub Actions `on.schedule[].cron` (UTC), systemd `.timer` "
    "units (`OnCalendar=` in all its forms, read by guardrails' own parser: no maintained Python "
    "library parses calendar events), Go robfig/cron `AddFunc`/`AddJob` (descriptors, `CRON_TZ=`, "
    "a sixth leading field as seconds, as `cron.WithSeconds()` parses it) and gocron, Python "
    "APScheduler (`add_job(..., 'cron', ...)`, `scheduled_job`, `CronTrigger(...)`, "
    "`CronTrigger.from_crontab`) and Celery beat (`crontab(...)`), Laravel's scheduler "
    "(`->hourly()`, `->dailyAt('00:00')`, `->cron(...)`, `->timezone(...)`). Code is read with "
    "Python's ast and tree-sitter: only those calls are schedules (robfig/cron's only in files "
    "importing it), so a cron-like string in a log message is not one; a schedule given by a "
    "variable is a parse-error saying it was not checked.\n\n"
    "Cron expressions are evaluated by croniter (not cronsim: croniter evaluates Jenkins' H and a "
    "seconds field, which cronsim rejects). A job is flagged at the line that sets its schedule "
    "when it has no jitter and fires at minute 0 of an hour (in UTC or in its own zone; `@hourly`, "
    "`@daily`, `hourly`, `*/20` all do), or in the same minute (UTC) as another job of the same "
    "file. Instants are compared over two fixed reference weeks (from Monday 6 January and Monday "
    "7 July 2025), so the verdict does not depend on the day CI runs and DST in either hemisphere "
    "is seen; a job firing less often than weekly adds its next instant. Two midnights in "
    "different zones are different instants. Interval schedules (`@every 5m`, `OnUnitActiveSec=`, "
    "APScheduler `interval`, gocron `Every(5).Minutes()`) are not instants and are never flagged. "
    "Jitter: `RandomizedDelaySec=`/`RandomizedOffsetSec=`, APScheduler `jitter=`, `H` in the "
    "expression, `sleep $((RANDOM % N))` / `sleep $(shuf ...)` in the command (a crontab line, a "
    "CronJob container, a `run:` step of every job of a workflow).\n\n"
    "`guardrails schedule` prints the whole schedule (job, file:line, zone, next instants in UTC, "
    "collisions); `--format json` for machines."
)


def check(unit: Schedule, ctx: RuleContext) -> Iterator[Finding]:
    if unit.kind == INTERVAL or unit.jitter is not None or not (unit.minute_zero or unit.collisions):
        return
    when = unit.minute_zero[0] if unit.minute_zero else unit.collisions[0].instants[0]
    others = [c.job for c in unit.collisions]
    shared = f", with {_names(others)}" if others else ""
    instants = list(dict.fromkeys([*unit.minute_zero, *(i for c in unit.collisions for i in c.instants)]))
    minutes = unit.suggested_minutes
    fix = f"use minute{'s' if len(minutes) > 1 else ''} {','.join(map(str, minutes))} or " if minutes else "add "
    yield ctx.finding(
        unit.location,
        f"{unit.job} fires {when}{shared}: {fix}{unit.jitter_hint}",
        properties={
            "job": unit.job,
            "source": unit.source,
            "expression": unit.expression,
            "timezone": unit.zone_name,
            "minute_zero": bool(unit.minute_zero),
            "colliding_jobs": others,
            "instants": instants,
            "suggested_minutes": [str(m) for m in minutes],
        },
        **({"statement_line": str(unit.statement_line)} if unit.statement_line else {}),
    )


def _names(jobs: list[str]) -> str:
    return ", ".join(jobs[:3]) + (f" and {len(jobs) - 3} more" if len(jobs) > 3 else "")


RULE: Rule[Schedule] = Rule(
    id="cron-jitter",
    summary="scheduled jobs that fire at the same instant (minute 0, or with another job) with no jitter",
    severity=Severity.WARNING,
    incident=(
        "An incident review found load spikes where several time-triggered jobs fired at the same "
        "instant: each team had picked minute 0 (or @daily), so reports, cleanups and syncs all hit "
        "the database together. The measure was to give jobs that fire at a fixed time a minute of "
        "their own, or jitter, so their load never piles up."
    ),
    bad="# crontab\n0 * * * * /usr/local/bin/sync-invoices\n0 * * * * /usr/local/bin/rotate-logs",
    good=(
        "# crontab: minutes from each job's name, or a random sleep first\n"
        "17 * * * * /usr/local/bin/sync-invoices\n"
        "0 * * * * sleep $((RANDOM \\% 600)); /usr/local/bin/rotate-logs"
    ),
    input="schedules",
    units=(Schedule,),
    check=check,
    recommended=False,
    language="sh",
    help=HELP,
    details=DETAILS,
    properties={
        "job": "the job's name (the command, manifest or unit name, task name)",
        "source": "crontab, kubernetes, github-actions, systemd, robfig/cron, gocron, apscheduler, celery or laravel",
        "expression": "the schedule as written",
        "timezone": "the zone it is evaluated in (`UTC (host)` where the host's zone applies)",
        "minute_zero": "whether it fires at minute 0 of an hour",
        "colliding_jobs": "the jobs of the same file that fire in the same minute",
        "instants": "the flagged instants, described in UTC",
        "suggested_minutes": "minutes derived from the job's name that no other job of the file uses "
        "(several for a job that fires every N minutes; none for one that fires every minute)",
    },
)
