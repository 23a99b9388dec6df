"""pr-explain and `guardrails explain` against the real MariaDB of the test session."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from guardrails.github.explain_text import read_description
from tests.capture_explain import MODES, QUERIES, STATEMENTS, capture, setup
from tests.helpers import Repo, guardrails

NO_EVENT = {"GITHUB_EVENT_PATH": "", "GITHUB_EVENT_NAME": ""}


@pytest.fixture(scope="module")
def shop(mariadb: Any) -> str:
    """A database with the capture schema; returns its DSN."""
    setup(mariadb, "shop")
    return str(mariadb.dsn_for("shop"))


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("prefix", list(STATEMENTS))
def test_output_of_the_installed_mariadb_is_recognised(mariadb: Any, shop: str, prefix: str, mode: str) -> None:
    for query, expected in QUERIES.values():
        output = capture(mariadb, "shop", mode, f"{prefix} {query}")
        found = read_description(f"Plan:\n\n```\n{output}```\n").explains
        assert [set(e.tables) for e in found] == [expected], output


NEW_QUERIES = (
    "-- the paid-orders report\n"
    "SELECT o.id, u.email\n  FROM orders o\n  JOIN users u ON u.id = o.user_id\n"
    " WHERE o.status = ? AND o.total > ?;\n"
    "UPDATE orders SET status = 'done' WHERE user_id = 2;\n"
)


@pytest.fixture
def branch(repo: Repo) -> Repo:
    repo.write(".guardrails.yml", "version: 1\ndatabase:\n  dsn: ${GUARDRAILS_MYSQL_DSN}\n")
    repo.write("db/queries.sql", "SELECT id FROM users WHERE id = 1;\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/queries.sql", "SELECT id FROM users WHERE id = 2;\n" + NEW_QUERIES)
    repo.commit("report")
    return repo


def test_explain_prints_plans_that_satisfy_pr_explain(branch: Repo, mariadb: Any, shop: str) -> None:
    env = {**NO_EVENT, "GUARDRAILS_MYSQL_DSN": shop}
    run = guardrails(branch.root, "explain", "--base", "main", env=env)
    assert run.code == 0, run.stderr
    assert mariadb.password not in run.stdout + run.stderr
    block = run.stdout
    assert "`db/queries.sql:3`" in block and "`db/queries.sql:7`" in block
    assert "users WHERE id" not in block  # the old query with another literal is not new
    # placeholders were filled with sample values, and both plans are there
    assert "o.status = ?" not in block
    assert [set(e.tables) for e in read_description(block).explains] == [{"o", "u"}, {"orders"}]

    (branch.root.parent / "body.md").write_text(f"Adds the report.\n\n{block}")
    checked = guardrails(
        branch.root,
        "run",
        "--base",
        "main",
        "--pr-body",
        "../body.md",
        "--select",
        "pr-explain",
        "--format",
        "json",
        env=env,
    )
    assert (checked.code, checked.json()["findings"]) == (0, []), checked.stdout
    without = guardrails(
        branch.root,
        "run",
        "--base",
        "main",
        "--pr-body",
        "/dev/null",
        "--select",
        "pr-explain",
        "--format",
        "json",
        env=env,
    )
    assert [f["line"] for f in without.json()["findings"]] == [3, 7]


def test_explain_without_a_dsn_lists_the_statements_to_run(repo: Repo) -> None:
    repo.write("db/queries.sql", "SELECT 1;\n")
    repo.commit("base")
    repo.write("db/queries.sql", "SELECT 1;\n" + NEW_QUERIES)
    repo.commit("report")
    run = guardrails(repo.root, "explain", "--base", "HEAD~1", env=NO_EVENT)
    assert run.code == 2
    assert "database.dsn is not set" in run.stderr
    assert (
        "EXPLAIN SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id "
        "WHERE o.status = ? AND o.total > ?;"
    ) in run.stdout


def test_explain_with_an_unreachable_database_says_so_without_the_password(branch: Repo) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dsn = f"mysql://app:Sekret-Pw-77@127.0.0.1:{port}/shop"
    run = guardrails(branch.root, "explain", "--base", "main", env={**NO_EVENT, "GUARDRAILS_MYSQL_DSN": dsn})
    assert run.code == 2
    assert "cannot EXPLAIN through database.dsn" in run.stderr
    assert "Sekret-Pw-77" not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert "EXPLAIN SELECT o.id" in run.stdout  # still the statements to run by hand


def test_explain_with_nothing_new(branch: Repo, shop: str) -> None:
    run = guardrails(branch.root, "explain", "--base", "HEAD", env={**NO_EVENT, "GUARDRAILS_MYSQL_DSN": shop})
    assert (run.code, run.stdout.strip()) == (0, "No new queries since `HEAD`: nothing to EXPLAIN.")
