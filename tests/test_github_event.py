"""Event parsing on the real webhook payloads GitHub Actions writes to GITHUB_EVENT_PATH."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrails.github.event import EventError, current_pull_request, run_context

WEBHOOKS = Path(__file__).parent / "fixtures" / "github" / "webhooks"
PAYLOADS = sorted(WEBHOOKS.glob("*.json"))


def env_for(path: Path, event_name: str, **extra: str) -> dict[str, str]:
    return {"GITHUB_EVENT_PATH": str(path), "GITHUB_EVENT_NAME": event_name, **extra}


def test_every_payload_is_copied() -> None:
    # 47 examples from @octokit/webhooks-examples 7.6.1: a lost file would shrink the loops unseen.
    assert len(PAYLOADS) == 47


@pytest.mark.parametrize("path", [p for p in PAYLOADS if p.name.startswith("pull_request.")], ids=lambda p: p.name)
@pytest.mark.parametrize("event_name", ["pull_request", "pull_request_target"])
def test_pull_request_payloads(path: Path, event_name: str) -> None:
    raw = json.loads(path.read_text())["pull_request"]
    pr = current_pull_request(env_for(path, event_name))
    assert pr is not None
    assert pr.repository == "Codertocat/Hello-World"
    assert (pr.owner, pr.name) == ("Codertocat", "Hello-World")
    assert pr.number == 2
    assert pr.head_sha == raw["head"]["sha"] and len(pr.head_sha) == 40
    assert pr.base_ref == raw["base"]["ref"] == "master"
    assert pr.head_ref == raw["head"]["ref"]
    assert pr.body == (raw["body"] or "")
    assert pr.fork is False
    assert pr.draft is raw["draft"]
    assert pr.event_name == event_name


def test_null_body_is_empty_text() -> None:
    pr = current_pull_request(env_for(WEBHOOKS / "pull_request.opened.13.json", "pull_request"))
    assert pr is not None and pr.body == ""


def test_draft_is_read() -> None:
    pr = current_pull_request(env_for(WEBHOOKS / "pull_request.converted_to_draft.5.json", "pull_request"))
    assert pr is not None and pr.draft is True


def test_check_run_goes_on_the_head_commit_not_the_merge_commit() -> None:
    ctx = run_context(env_for(WEBHOOKS / "pull_request.synchronize.22.json", "pull_request", GITHUB_SHA="f" * 40))
    assert ctx.pull_request is not None
    assert ctx.sha == ctx.pull_request.head_sha != "f" * 40


def test_fork_pull_request(tmp_path: Path) -> None:
    # No fixture is a fork: make one as GitHub shapes it (head.repo is the contributor's copy).
    payload = json.loads((WEBHOOKS / "pull_request.opened.0.json").read_text())
    payload["pull_request"]["head"]["repo"]["full_name"] = "contributor/Hello-World"
    forked = tmp_path / "event.json"
    forked.write_text(json.dumps(payload))
    pr = current_pull_request(env_for(forked, "pull_request"))
    assert pr is not None and pr.fork is True
    assert pr.repository == "Codertocat/Hello-World"  # results go to the base repository

    payload["pull_request"]["head"]["repo"] = None  # the fork was deleted
    forked.write_text(json.dumps(payload))
    pr = current_pull_request(env_for(forked, "pull_request"))
    assert pr is not None and pr.fork is True


@pytest.mark.parametrize("path", [p for p in PAYLOADS if p.name.startswith("push.")], ids=lambda p: p.name)
def test_push_payloads_have_no_pull_request(path: Path) -> None:
    raw = json.loads(path.read_text())
    ctx = run_context(env_for(path, "push", GITHUB_SHA="a" * 40))
    assert ctx.pull_request is None
    assert ctx.repository == "Codertocat/Hello-World"
    # A deleted branch or tag has the null sha as "after": fall back to GITHUB_SHA.
    assert ctx.sha == ("a" * 40 if raw["deleted"] else raw["after"])


@pytest.mark.parametrize(
    "path",
    [p for p in PAYLOADS if p.name.startswith(("issue_comment.", "workflow_dispatch."))],
    ids=lambda p: p.name,
)
def test_issue_comment_and_dispatch_payloads(path: Path) -> None:
    # These examples comment on an issue, not a pull request: nothing to report a pull request to.
    ctx = run_context(env_for(path, path.name.split(".")[0], GITHUB_REPOSITORY="Codertocat/Hello-World"))
    assert ctx.pull_request is None
    assert ctx.repository == "Codertocat/Hello-World"


def test_comment_on_a_pull_request(tmp_path: Path) -> None:
    payload = json.loads((WEBHOOKS / "issue_comment.created.0.json").read_text())
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload))
    pr = current_pull_request(env_for(event, "issue_comment"))
    assert pr is not None
    assert (pr.repository, pr.number, pr.head_sha) == ("Codertocat/Hello-World", 1, "")
    assert pr.body == (payload["issue"]["body"] or "")


def test_enterprise_api_url() -> None:
    env = env_for(WEBHOOKS / "pull_request.opened.0.json", "pull_request")
    assert run_context(env).api_url == "https://api.github.com"
    env["GITHUB_API_URL"] = "https://ghe.example.com/api/v3/"
    assert run_context(env).api_url == "https://ghe.example.com/api/v3"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "cannot read"),
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"pull_request": {"number": 3, "base": {}}}', "no base repository"),
        (
            '{"pull_request": {"number": "x", "base": {"repo": {"full_name": "a/b"}}}}',
            "pull request number",
        ),
    ],
)
def test_bad_payload_is_a_clear_error(tmp_path: Path, content: str | None, needle: str) -> None:
    event = tmp_path / "event.json"
    if content is not None:
        event.write_text(content)
    with pytest.raises(EventError, match=needle):
        run_context(env_for(event, "pull_request"))


def test_outside_actions() -> None:
    ctx = run_context({})
    assert ctx.pull_request is None and ctx.sha == "" and ctx.api_url == "https://api.github.com"


def test_a_comment_run_checks_the_commit_checked_out_not_the_default_branch(tmp_path: Path) -> None:
    payload = json.loads((WEBHOOKS / "issue_comment.created.0.json").read_text())
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload))
    ctx = run_context(env_for(event, "issue_comment", GITHUB_SHA="d" * 40))
    # GITHUB_SHA is the default branch's head here; the report falls back to `git rev-parse HEAD`
    assert ctx.pull_request is not None and ctx.sha == ""
