"""The pull-request summary lists the schedule collisions the pull request adds."""

from __future__ import annotations

from guardrails.github.comment import summary
from guardrails.testing import check

CONFIG = {"version": 1, "rules": {"cron-jitter": "warning"}}
BEFORE = "# billing jobs\n30 2 * * * /opt/billing/bin/close-day\n0 * * * * /opt/billing/bin/poll-bank\n"


def test_summary_shows_the_collision_the_pull_request_adds() -> None:
    after = BEFORE + "30 2 * * * /opt/billing/bin/export-ledger @everyone\n"
    result = check({"ops/billing.cron": after}, CONFIG, base={"ops/billing.cron": BEFORE})
    text = summary(result)
    section = text[text.index("#### Schedule collisions") :]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "Job" not in line]
    # only the added line: close-day and poll-bank were there before the pull request
    assert len(rows) == 1
    assert rows[0].startswith("| export\\-ledger") and "`ops/billing.cron:4:1`" in rows[0]
    assert "| close\\-day |" in rows[0] and "daily 02\\:30 UTC" in rows[0]
    assert "@everyone" not in text  # repository text never pings anyone


def test_no_section_without_schedule_findings() -> None:
    result = check({"ops/billing.cron": "17 3 * * * /opt/billing/bin/close-day\n"}, CONFIG)
    assert "Schedule collisions" not in summary(result)
