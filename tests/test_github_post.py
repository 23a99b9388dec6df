"""The privileged workflow_run half: posts uploaded results, and only to the pull request they belong to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails.github.comment import MARKER
from tests.github_api import WEBHOOKS, GitHubAPI, running
from tests.helpers import Repo, guardrails

TOKEN = "ghs_PostTest0123456789abcdefghij"

HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"  # head.sha in pull_request.opened.0.json


@pytest.fixture
def api() -> Iterator[GitHubAPI]:
    with running(TOKEN) as server:
        yield server


def uploaded(repo: Repo, tmp_path: Path) -> tuple[Path, Path]:
    """What the unprivileged job uploads: `guardrails run --format json` output and its event."""
    repo.write("db/q.sql", "INSERT IGNORE INTO t (a) VALUES (1);\n")
    repo.commit()
    run = guardrails(repo.root, "run", "--select", "insert-ignore", "--format", "json")
    assert run.code == 1, run.stderr
    results = tmp_path / "results.json"
    results.write_text(run.stdout)
    event = tmp_path / "event.json"
    event.write_text((WEBHOOKS / "pull_request.opened.0.json").read_text())
    return results, event


def post(api: GitHubAPI, tmp_path: Path, results: Path, event: Path, head_sha: str) -> tuple[int, str]:
    run_event = tmp_path / "workflow_run.json"
    run_event.write_text(
        json.dumps({"action": "completed", "workflow_run": {"head_sha": head_sha, "event": "pull_request"}})
    )
    env = {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": api.url,
        "GITHUB_REPOSITORY": "Codertocat/Hello-World",
        "GITHUB_EVENT_NAME": "workflow_run",
        "GITHUB_EVENT_PATH": str(run_event),
        "GITHUB_SHA": "d" * 40,
    }
    done = subprocess.run(
        [sys.executable, "-m", "guardrails.github.post", str(results), str(event)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_posts_uploaded_results(repo: Repo, api: GitHubAPI, tmp_path: Path) -> None:
    results, event = uploaded(repo, tmp_path)
    code, out = post(api, tmp_path, results, event, HEAD)
    assert code == 0, out
    (run,) = api.check_runs.values()
    assert run["create"]["head_sha"] == HEAD and run["create"]["conclusion"] == "failure"
    (annotation,) = run["create"]["output"]["annotations"]
    assert annotation["path"] == "db/q.sql"
    # The rule's help came with the uploaded results (their `rules` section) into raw_details.
    assert annotation["raw_details"].startswith(json.loads(results.read_text())["rules"]["insert-ignore"]["help"])
    (comment,) = [c for c in api.comments.values() if MARKER in c["body"]]
    assert "insert-ignore" in comment["body"]
    assert TOKEN not in out


def test_an_artifact_cannot_steer_the_comment(repo: Repo, api: GitHubAPI, tmp_path: Path) -> None:
    results, event = uploaded(repo, tmp_path)
    code, out = post(api, tmp_path, results, event, "b" * 40)  # the event claims another commit
    assert code == 0, out
    assert "does not match workflow_run.head_sha" in out
    assert api.comments == {}
    (run,) = api.check_runs.values()
    assert run["create"]["head_sha"] == "b" * 40  # only the commit GitHub vouches for


def test_garbage_results_are_a_clear_error(api: GitHubAPI, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    results.write_text('{"findings": [{"rule": "x"}]}')
    event = tmp_path / "event.json"
    event.write_text((WEBHOOKS / "pull_request.opened.0.json").read_text())
    code, out = post(api, tmp_path, results, event, HEAD)
    assert code == 2
    assert "not the JSON output of `guardrails run --format json`" in out and "Traceback" not in out
    assert api.calls == []


def test_outside_a_workflow_run_job_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from guardrails.github.post import main

    results = tmp_path / "results.json"
    results.write_text('{"findings": []}')
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    assert main([str(results), str(WEBHOOKS / "pull_request.opened.0.json")]) == 2
    assert "GITHUB_EVENT_PATH is not set" in capsys.readouterr().err
