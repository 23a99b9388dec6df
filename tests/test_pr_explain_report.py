"""`guardrails explain --report-to-pr` puts its block into the one summary comment, through the
real GitHub client against the local GitHub API that checks every request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guardrails.github.comment import MARKER
from guardrails.github.explain_text import read_description
from tests.capture_explain import setup
from tests.github_api import GitHubAPI, pull_request_env, running
from tests.helpers import Repo, guardrails

TOKEN = "ghs_ExplainToken0123456789abcdefghijklmn"


@pytest.fixture
def api() -> Iterator[GitHubAPI]:
    with running(TOKEN) as server:
        yield server


def test_the_block_goes_into_the_summary_comment(repo: Repo, api: GitHubAPI, mariadb: Any, tmp_path: Path) -> None:
    setup(mariadb, "shop_report")
    repo.write(".guardrails.yml", "version: 1\ndatabase:\n  dsn: ${GUARDRAILS_MYSQL_DSN}\n")
    repo.write("db/report.sql", "SELECT 1;\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/report.sql", "SELECT 1;\nSELECT o.id FROM orders o WHERE o.status = 'paid';\n")
    repo.commit("report")
    env = {
        **pull_request_env(api, tmp_path, "pull_request.synchronize.22.json"),
        "GITHUB_SHA": "f" * 40,
        "GUARDRAILS_MYSQL_DSN": mariadb.dsn_for("shop_report"),
    }
    for _ in range(2):  # a second push edits the same comment
        run = guardrails(repo.root, "explain", "--base", "main", "--report-to-pr", env=env)
        assert run.code == 0, run.stderr
        assert TOKEN not in run.stdout + run.stderr
        assert mariadb.password not in run.stdout + run.stderr
    comments = [c for c in api.comments.values() if MARKER in c["body"]]
    assert len(comments) == 1
    body = comments[0]["body"]
    assert "EXPLAIN of the new queries" in body and "db/report.sql:2" in body
    # the plan itself, in a form pr-explain recognises (the table shows the alias o)
    assert [set(e.tables) for e in read_description(body).explains] == [{"o"}]
    # The description of the real payload has no plan, so the run's pr-explain finding is there too.
    assert "pr-explain" in body
