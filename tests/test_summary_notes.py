"""The summary line says "All clear" only when every enabled rule had something to check.

A rule that read nothing found nothing: its silence is not a pass. With notes (the rules that
had nothing to check) and no findings, every summary says "No findings" and how many rules
the notes below it name; with no notes the wording stays "All clear".
"""

from __future__ import annotations

import re

import pytest

from guardrails.engine import RunResult
from guardrails.github.comment import comment_body, title
from guardrails.registry import load_rules
from guardrails.report import render
from guardrails.testing import check
from tests.helpers import Repo, guardrails

QUERY = "SELECT * FROM events WHERE day = '2025-01-01';\n"
NO_SCHEMA = "no schema to judge queries against (set sql.schema to your tables' DDL, or database.dsn)"
IDLE = "No findings: 1 file checked in 0.00s; 1 rule had nothing to check (see below)."
CLEAR = "All clear: 1 file checked in 0.00s."


@pytest.fixture(autouse=True)
def _no_pull_request_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)


def _lines(fmt: str, result: RunResult) -> list[str]:
    text = render(fmt, result, load_rules())
    return re.sub(r"in \d+\.\d+s", "in 0.00s", text).splitlines()


def _idle() -> RunResult:
    result = check({"db/q.sql": QUERY}, select=["partition-pruning"])
    assert result.findings == [] and [n.rule for n in result.notes] == ["partition-pruning"]
    return result


@pytest.mark.parametrize("fmt", ["text", "concise", "full"])
def test_text_reports_with_an_idle_rule_say_no_findings_then_the_note(fmt: str) -> None:
    assert _lines(fmt, _idle())[-2:] == [IDLE, f"note: partition-pruning had nothing to check: {NO_SCHEMA}"]


def test_github_commands_give_the_summary_line_before_the_notes_it_points_to() -> None:
    assert _lines("github", _idle()) == [
        IDLE,
        f"::notice title=guardrails::partition-pruning had nothing to check: {NO_SCHEMA}",
    ]


def test_the_markdown_summary_check_run_title_and_comment_do_not_tick_an_idle_run() -> None:
    result = _idle()
    markdown = _lines("markdown", result)
    assert markdown[:3] == ["### guardrails", "", IDLE]  # no ✅: nothing was checked by that rule
    assert markdown[4].startswith("- ℹ️ partition\\-pruning had nothing to check")
    assert title(result) == "No findings; 1 rule had nothing to check"
    body = re.sub(r"in \d+\.\d+s", "in 0.00s", comment_body(result, "0" * 40))
    assert f"\n{IDLE} Commit `000000000000`.\n" in body and "All clear" not in body and "✅" not in body


def test_a_run_whose_rules_all_had_input_still_says_all_clear_everywhere() -> None:
    result = check({"db/q.sql": "SELECT id FROM orders WHERE id = 1;\n"}, select=["insert-ignore"])
    assert result.findings == [] and result.notes == []
    for fmt in ("text", "full", "github"):
        assert _lines(fmt, result) == [CLEAR], fmt
    assert _lines("markdown", result)[2] == f"✅ {CLEAR}"
    assert title(result) == "All clear"


def test_two_idle_rules_are_counted_as_two_and_named_in_the_notes(repo: Repo) -> None:
    repo.write("db/q.sql", QUERY)
    repo.commit("q")
    run = guardrails(repo.root, "run", "--select", "partition-pruning", "pr-explain")
    assert run.code == 0, run.stderr
    lines = re.sub(r"in \d+\.\d+s", "in 0.00s", run.stdout).splitlines()
    assert lines[0] == "No findings: 1 file checked in 0.00s; 2 rules had nothing to check (see below)."
    assert [line.split(" had ")[0] for line in lines[1:]] == ["note: partition-pruning", "note: pr-explain"]
