"""``guardrails run --report-to-pr`` as a user runs it in Actions: results on the PR, exit code untouched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails.github.comment import MARKER
from tests.github_api import GitHubAPI, pull_request_env, running
from tests.helpers import Repo, guardrails

TOKEN = "ghs_CliTest0123456789abcdefghij"


@pytest.fixture
def api() -> Iterator[GitHubAPI]:
    with running(TOKEN) as server:
        yield server


def actions_env(api: GitHubAPI, tmp_path: Path) -> dict[str, str]:
    return {"GITHUB_ACTIONS": "true", **pull_request_env(api, tmp_path, "pull_request.opened.0.json")}


def test_findings_reach_the_pull_request(repo: Repo, api: GitHubAPI, tmp_path: Path) -> None:
    repo.write("db/q.sql", "SELECT 1;\nINSERT IGNORE INTO t (a) VALUES (1);\n")
    repo.commit()
    run = guardrails(repo.root, "run", "--select", "insert-ignore", "--report-to-pr", env=actions_env(api, tmp_path))
    assert run.code == 1, run.stderr
    (check_run,) = api.check_runs.values()
    annotations = check_run["create"]["output"]["annotations"]
    assert [(a["path"], a["start_line"], a["annotation_level"]) for a in annotations] == [("db/q.sql", 2, "failure")]
    (comment,) = [c for c in api.comments.values() if MARKER in c["body"]]
    assert "insert-ignore" in comment["body"] and "db/q.sql:2" in comment["body"]
    assert TOKEN not in run.stdout + run.stderr

    repo.write("db/q.sql", "SELECT 1;\nINSERT INTO t (a) VALUES (1);\n")
    repo.commit()
    run = guardrails(repo.root, "run", "--select", "insert-ignore", "--report-to-pr", env=actions_env(api, tmp_path))
    assert run.code == 0, run.stderr
    (comment,) = [c for c in api.comments.values() if MARKER in c["body"]]
    assert "All clear" in comment["body"]


def test_reporting_failure_never_changes_the_exit_code(repo: Repo, api: GitHubAPI, tmp_path: Path) -> None:
    repo.write("db/ok.sql", "SELECT 1;\n")
    repo.commit()
    api.read_only = True
    run = guardrails(repo.root, "run", "--select", "insert-ignore", "--report-to-pr", env=actions_env(api, tmp_path))
    assert run.code == 0, run.stderr
    assert "cannot report to the pull request" in run.stderr and "token cannot write" in run.stderr
    assert "Traceback" not in run.stderr

    repo.write("db/bad.sql", "INSERT IGNORE INTO t (a) VALUES (1);\n")
    repo.commit()
    run = guardrails(repo.root, "run", "--select", "insert-ignore", "--report-to-pr", env=actions_env(api, tmp_path))
    assert run.code == 1
    assert "::error file=db/bad.sql,line=1" in run.stdout + run.stderr
    assert "insert-ignore" in (tmp_path / "summary.md").read_text()
