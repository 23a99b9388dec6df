"""cron-jitter on crontabs, Kubernetes CronJobs, GitHub Actions workflows and systemd timers."""

from __future__ import annotations

from guardrails.findings import Finding
from guardrails.testing import run

CONFIG = {"version": 1, "rules": {"cron-jitter": "warning"}}


def jitter_findings(files: dict[str, str]) -> list[Finding]:
    return [f for f in run(files, CONFIG) if f.rule in ("cron-jitter", "parse-error")]


def flagged(files: dict[str, str]) -> dict[tuple[str, int], Finding]:
    return {(f.path, f.line): f for f in jitter_findings(files) if f.rule == "cron-jitter" and not f.suppressed}


CRONTAB = """\
SHELL=/bin/bash
MAILTO=ops@example.com
# m h dom mon dow command
0 * * * * /usr/local/bin/sync-invoices --since=1h >> /var/log/sync.log 2>&1
17 * * * * /usr/local/bin/rotate-logs
30 2 * * * /opt/app/bin/vacuum-sessions
30 2 * * 1 /opt/app/bin/weekly-export --format=csv
0 4 * * * sleep $((RANDOM \\% 1800)); /opt/app/bin/refresh-cache
0 5 * * * sleep $(shuf -i 0-600 -n 1) && /opt/app/bin/warm-search
@daily /usr/local/bin/prune-tmp
@reboot /usr/local/bin/start-agent
CRON_TZ=Asia/Tokyo
0 9 * * 1-5 /opt/app/bin/morning-digest
"""


def test_crontab_minute_zero_and_shared_minute_are_flagged_at_their_line() -> None:
    found = flagged({"ops/crontab": CRONTAB})
    assert sorted(line for _, line in found) == [4, 6, 7, 10, 13]
    sync = found[("ops/crontab", 4)]
    assert sync.message.startswith("sync-invoices --since=1h fires every hour at :00 UTC")
    assert sync.properties["minute_zero"] is True
    vacuum = found[("ops/crontab", 6)]
    assert "with weekly-export --format=csv" in vacuum.message and "Mon 02:30 UTC" in vacuum.message
    assert vacuum.properties["colliding_jobs"] == ["weekly-export --format=csv"]
    assert found[("ops/crontab", 7)].properties["colliding_jobs"] == ["vacuum-sessions"]
    assert found[("ops/crontab", 10)].properties["expression"] == "@daily"
    digest = found[("ops/crontab", 13)]  # 09:00 in Tokyo: minute 0 there, 00:00 UTC
    assert digest.properties["timezone"] == "Asia/Tokyo"
    assert "Mon-Fri 00:00 UTC" in digest.message


def test_suggested_minutes_are_stable_unshared_and_never_zero() -> None:
    first = flagged({"ops/crontab": CRONTAB})
    again = flagged({"ops/crontab": CRONTAB})
    minutes = {key: f.properties["suggested_minutes"] for key, f in first.items()}
    assert minutes == {key: f.properties["suggested_minutes"] for key, f in again.items()}
    used = {"17", "30", "0"}
    assert all(len(m) == 1 and m[0] not in used for m in minutes.values())
    assert (
        f": use minute {minutes[('ops/crontab', 4)][0]} or sleep $((RANDOM \\% 300)) first"
        in first[("ops/crontab", 4)].message
    )


def test_a_stepped_job_gets_an_offset_and_an_every_minute_job_only_jitter() -> None:
    found = flagged({"ops/crontab": "*/15 * * * * /opt/bin/flush-metrics\n* * * * * /opt/bin/heartbeat\n"})
    offsets = [int(m) for m in found[("ops/crontab", 1)].properties["suggested_minutes"]]
    assert len(offsets) == 4 and 0 < offsets[0] < 15 and offsets == [offsets[0] + 15 * i for i in range(4)]
    assert found[("ops/crontab", 2)].properties["suggested_minutes"] == []
    assert found[("ops/crontab", 2)].message.endswith(": add sleep $((RANDOM \\% 300)) first")


def test_cron_d_files_have_a_user_field_and_bad_lines_are_parse_errors() -> None:
    found = jitter_findings(
        {
            "deploy/cron.d/billing": (
                "# /etc/cron.d/billing\n"
                "15 1 * * * billing /srv/billing/bin/close-day\n"
                "15 1 * * * billing /srv/billing/bin/export-ledger\n"
                "75 1 * * * billing /srv/billing/bin/broken\n"
                "0 3 * * billing\n"
            )
        }
    )
    by_line = {f.line: f for f in found}
    assert by_line[2].rule == "cron-jitter" and by_line[2].properties["colliding_jobs"] == ["export-ledger"]
    assert by_line[2].properties["job"] == "close-day"
    assert by_line[4].rule == "parse-error" and "75 1 * * *" in by_line[4].message
    assert by_line[5].rule == "parse-error" and "no command" in by_line[5].message


def test_suppression_with_a_reason_keeps_a_midnight_job() -> None:
    findings = jitter_findings(
        {
            "ops/app.cron": (
                "# guardrails:ignore[cron-jitter] the settlement file must be cut at exactly 00:00 for the bank\n"
                "0 0 * * * /opt/app/bin/cut-settlement\n"
            )
        }
    )
    assert [(f.rule, f.line, f.suppressed) for f in findings] == [("cron-jitter", 2, True)]


CRONJOBS = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: invoice-reminders
  namespace: billing
spec:
  schedule: "0 0 * * *"
  timeZone: "Asia/Tokyo"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: reminders
              image: registry.example.com/billing/reminders:1.14.2
              args: ["--batch-size", "500"]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ledger-snapshot
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: snapshot
              image: registry.example.com/billing/snapshot:2.0.0
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: usage-rollup
spec:
  schedule: "0 15 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: rollup
              image: registry.example.com/billing/rollup:0.9.1
              command: ["/bin/sh", "-c", "sleep $((RANDOM % 900)); exec /app/rollup"]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-a-schedule
data:
  note: "runs at 0 * * * *"
"""


def test_kubernetes_midnights_in_two_zones_do_not_collide() -> None:
    found = flagged({"k8s/billing/cronjobs.yaml": CRONJOBS})
    assert sorted(found) == [("k8s/billing/cronjobs.yaml", 7), ("k8s/billing/cronjobs.yaml", 25)]
    tokyo = found[("k8s/billing/cronjobs.yaml", 7)]
    utc = found[("k8s/billing/cronjobs.yaml", 25)]
    # Tokyo's midnight is 15:00 UTC, UTC's is 00:00: both minute 0, neither collides with the other;
    # usage-rollup fires at 15:00 UTC too, but sleeps a random time first
    assert tokyo.properties["colliding_jobs"] == [] and utc.properties["colliding_jobs"] == []
    assert "daily 15:00 UTC" in tokyo.message and "daily 00:00 UTC" in utc.message
    assert tokyo.location.column == 13


def test_kubernetes_zones_that_share_an_instant_collide() -> None:
    manifest = CRONJOBS.replace('"0 15 * * *"', '"0 15 * * *"', 1).replace("sleep $((RANDOM % 900)); ", "")
    found = flagged({"k8s/billing/cronjobs.yaml": manifest})
    assert found[("k8s/billing/cronjobs.yaml", 7)].properties["colliding_jobs"] == ["usage-rollup"]


def test_a_broken_cronjob_manifest_is_a_parse_error_and_other_files_still_count() -> None:
    findings = jitter_findings(
        {
            "charts/jobs/templates/cronjob.yaml": "kind: CronJob\nspec:\n  schedule: {{ .Values.schedule }\n",
            "k8s/cronjobs.yaml": CRONJOBS,
            "k8s/zone.yaml": CRONJOBS.replace("Asia/Tokyo", "Mars/Olympus_Mons"),
        }
    )
    errors = [(f.path, f.line) for f in findings if f.rule == "parse-error"]
    assert ("k8s/zone.yaml", 7) in errors
    assert any(path == "charts/jobs/templates/cronjob.yaml" for path, _ in errors)
    assert sum(1 for f in findings if f.rule == "cron-jitter" and f.path == "k8s/cronjobs.yaml") == 2
    zone = next(f for f in findings if f.path == "k8s/zone.yaml" and f.rule == "parse-error")
    assert "unknown time zone 'Mars/Olympus_Mons'" in zone.message


WORKFLOW = """\
name: Nightly maintenance
on:
  workflow_dispatch:
  schedule:
    - cron: '0 * * * *'
    - cron: '23 4 * * 1-5'
jobs:
  prune:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ./scripts/prune-artifacts.sh
"""


def test_github_actions_top_of_the_hour_is_flagged_and_a_random_sleep_is_jitter() -> None:
    found = flagged({".github/workflows/nightly.yml": WORKFLOW})
    assert list(found) == [(".github/workflows/nightly.yml", 5)]
    finding = found[(".github/workflows/nightly.yml", 5)]
    assert finding.properties["job"] == "Nightly maintenance" and finding.properties["timezone"] == "UTC"
    jittered = WORKFLOW.replace(
        "      - uses: actions/checkout@v4\n",
        "      - run: sleep $((RANDOM % 900))\n      - uses: actions/checkout@v4\n",
    )
    assert flagged({".github/workflows/nightly.yml": jittered}) == {}


BACKUP_TIMER = """\
[Unit]
Description=Nightly database backup

[Timer]
OnCalendar=daily
Persistent=true

[Install]
WantedBy=timers.target
"""


def test_systemd_calendar_forms() -> None:
    found = flagged(
        {
            "deploy/systemd/backup.timer": BACKUP_TIMER,
            "deploy/systemd/report.timer": "[Timer]\nOnCalendar=Mon..Fri *-*-* 06:30:00 Europe/Berlin\nUnit=report.service\n",
            "deploy/systemd/compact.timer": "[Timer]\nOnCalendar=*-*-* 03:00:00\nRandomizedDelaySec=30min\nAccuracySec=1us\n",
            "deploy/systemd/poll.timer": "[Timer]\nOnBootSec=5min\nOnUnitActiveSec=15min\n",
            "deploy/systemd/stats.timer": "[Timer]\nOnCalendar=*:0/20\n",
        }
    )
    assert sorted(found) == [("deploy/systemd/backup.timer", 5), ("deploy/systemd/stats.timer", 2)]
    backup = found[("deploy/systemd/backup.timer", 5)]
    assert "RandomizedDelaySec= with AccuracySec=1us" in backup.message
    assert "every hour at :00 UTC" in found[("deploy/systemd/stats.timer", 2)].message  # its minute-0 instants


def test_systemd_timers_sharing_a_minute_in_one_unit_and_a_bad_calendar() -> None:
    findings = jitter_findings(
        {
            "units/sync.timer": "[Timer]\nOnCalendar=*-*-* 04:10:00\nOnCalendar=Sat *-*-* 04:10\n",
            "units/broken.timer": "[Timer]\nOnCalendar=Mon..Fry 10:00\n",
        }
    )
    # two triggers of one job are not two jobs piling up
    assert [f for f in findings if f.path == "units/sync.timer"] == []
    broken = [f for f in findings if f.path == "units/broken.timer"]
    assert [(f.rule, f.line) for f in broken] == [("parse-error", 2)]
    assert "unknown weekday 'Fry'" in broken[0].message
