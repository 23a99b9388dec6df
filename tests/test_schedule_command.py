"""``guardrails schedule``: the whole schedule as a table, and as JSON."""

from __future__ import annotations

import json
from typing import Any

from pytest import CaptureFixture, MonkeyPatch

from tests.helpers import Repo, guardrails

CRONTAB = "0 0 * * * /opt/app/bin/close-day\n0 0 * * * /opt/app/bin/export-ledger\n"
POLL = "[Timer]\nOnBootSec=1min\nOnUnitActiveSec=5min\n"
TIMER = "[Timer]\nOnCalendar=Mon..Fri *-*-* 07:45:00 Europe/Berlin\nRandomizedDelaySec=10min\nAccuracySec=1us\n"
BROKEN = "[Timer]\nOnCalendar=Mon..Fri 7 o'clock\n"


def test_schedule_table_lists_every_job_with_next_instants_and_collisions(repo: Repo) -> None:
    repo.write("ops/crontab", CRONTAB)
    repo.write("units/digest.timer", TIMER)
    repo.write("units/poll.timer", POLL)
    repo.write("units/broken.timer", BROKEN)
    repo.commit()
    result = guardrails(repo.root, "schedule", "--from", "2025-03-03T10:00:00Z")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["JOB", "SOURCE", "WHERE", "ZONE", "NEXT", "(UTC)", "COLLIDES", "WITH"]
    close = next(line for line in lines if line.startswith("close-day"))
    assert "ops/crontab:1" in close and "2025-03-04 00:00, 2025-03-05 00:00, 2025-03-06 00:00" in close
    assert close.endswith("export-ledger (daily 00:00 UTC)")
    digest = next(line for line in lines if line.startswith("digest"))
    # 07:45 in Berlin is 06:45 UTC in March (before DST), and the delay is shown as jitter
    assert "2025-03-04 06:45" in digest and "jitter (RandomizedDelaySec=10min)" in digest
    polls = [line for line in lines if line.startswith("poll")]
    assert len(polls) == 2 and "interval (OnUnitActiveSec=5min)" in polls[1] and polls[1].endswith(" -")
    assert lines[-1] == "5 schedule(s), 2 colliding"
    assert "units/broken.timer:2" in result.stderr and "cannot read" in result.stderr


def test_schedule_json(repo: Repo) -> None:
    repo.write("ops/crontab", CRONTAB)
    repo.write("units/digest.timer", TIMER)
    repo.write("units/poll.timer", POLL)
    repo.commit()
    doc = guardrails(repo.root, "schedule", "--format", "json", "--from", "2025-03-03T10:00:00Z").json()
    by_job = {s["job"]: s for s in doc["schedules"]}
    assert sorted(by_job) == ["close-day", "digest", "export-ledger", "poll"]
    assert by_job["poll"]["kind"] == "interval" and by_job["poll"]["next"] == []
    assert by_job["close-day"]["collisions"] == [
        {"job": "export-ledger", "path": "ops/crontab", "line": 2, "instants": ["daily 00:00 UTC"]}
    ]
    assert by_job["close-day"]["next"][0] == "2025-03-04T00:00:00Z" and by_job["close-day"]["minute_zero"] is True
    assert by_job["digest"]["next"][0] == "2025-03-04T06:45:00Z" and by_job["digest"]["collisions"] == []
    assert doc["errors"] == []


def test_schedule_shows_collisions_across_files_that_the_rule_leaves_to_each_file(repo: Repo) -> None:
    repo.write("deploy/systemd/export.timer", "[Timer]\nOnCalendar=*-*-* 04:10:00\n")
    repo.write("deploy/systemd/reindex.timer", "[Timer]\nOnCalendar=Mon..Fri 04:10\n")
    repo.write("deploy/systemd/rotate.timer", "[Timer]\nOnCalendar=hourly\n")
    repo.write(".guardrails.yml", "version: 1\nrules:\n  cron-jitter: warning\n")
    repo.commit()
    result = guardrails(repo.root, "schedule", "--from", "2025-03-03T10:00:00Z")
    export = next(line for line in result.stdout.splitlines() if line.startswith("export"))
    assert export.endswith("reindex (deploy/systemd/reindex.timer:2, Mon-Fri 04:10 UTC)")
    # the rule compares the jobs of one file: only the hourly timer is flagged
    findings = guardrails(repo.root, "run", "--format", "json").json()["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [("cron-jitter", "deploy/systemd/rotate.timer", 2)]


def test_schedule_compares_the_whole_repository_once(
    repo: Repo, monkeypatch: MonkeyPatch, capsys: CaptureFixture[str]
) -> None:
    import guardrails.schedules.collide as collide
    from guardrails.cli import build_parser
    from guardrails.config import default_config
    from guardrails.registry import load_rules
    from guardrails.schedules.command import main

    compared: list[list[str]] = []
    analyse = collide.analyse

    def counted(schedules: list[Any]) -> list[Any]:
        compared.append(sorted(s.job for s in schedules))
        return analyse(schedules)

    monkeypatch.setattr(collide, "analyse", counted)
    repo.write("ops/crontab", CRONTAB)
    repo.write("deploy/systemd/export.timer", "[Timer]\nOnCalendar=*-*-* 00:00:00\n")
    repo.commit()
    args = build_parser("schedule").parse_args(["schedule", "--format", "json", "--from", "2025-03-03T10:00:00Z"])
    assert main(args, default_config(load_rules()), repo.root) == 0
    # the jobs of each file were compared, then all of them again: now only all of them, once
    assert compared == [["close-day", "export", "export-ledger"]]
    by_job = {s["job"]: s for s in json.loads(capsys.readouterr().out)["schedules"]}
    assert [c["job"] for c in by_job["export"]["collisions"]] == ["close-day", "export-ledger"]
