"""--base and --scope on real commits: only what the change adds is reported."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import GIT_ENV, Repo, guardrails

OLD = "INSERT IGNORE INTO old_table VALUES (1);\n"


def _branch_with_change(repo: Repo) -> None:
    repo.write("a.sql", OLD)
    repo.write("untouched.sql", OLD)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("a.sql", OLD + "SELECT 1;\nINSERT IGNORE INTO new_table VALUES (2);\n")
    repo.commit("feature")


def _shallow_clone(repo: Repo, name: str, *options: str, branch: str = "feature") -> Path:
    """A clone as actions/checkout makes it: a real `git clone --depth`, on `branch`."""
    clone = repo.root.parent / name
    subprocess.run(
        ["git", "clone", "-q", *options, f"file://{repo.root}", str(clone)],
        check=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", branch], check=True)
    return clone


def _lines(run_json: dict[str, list[dict[str, object]]]) -> list[tuple[object, object]]:
    return [(f["path"], f["line"]) for f in run_json["findings"]]


def test_scope_added_reports_only_added_lines(repo: Repo) -> None:
    _branch_with_change(repo)
    run = guardrails(repo.root, "run", "--base", "main", "--format", "json", process=True)
    assert _lines(run.json()) == [("a.sql", 3)]
    assert run.code == 1


def test_scope_files_reports_whole_changed_files(repo: Repo) -> None:
    _branch_with_change(repo)
    run = guardrails(repo.root, "run", "--base", "main", "--scope", "files", "--format", "json")
    assert _lines(run.json()) == [("a.sql", 1), ("a.sql", 3)]


def test_scope_all_reports_everything(repo: Repo) -> None:
    _branch_with_change(repo)
    run = guardrails(repo.root, "run", "--base", "main", "--scope", "all", "--format", "json")
    assert _lines(run.json()) == [("a.sql", 1), ("a.sql", 3), ("untouched.sql", 1)]


def test_uncommitted_and_untracked_changes_count_as_added(repo: Repo) -> None:
    _branch_with_change(repo)
    repo.write("new.sql", "UPDATE IGNORE t SET a = 1;\n")
    run = guardrails(repo.root, "run", "--base", "main", "--format", "json")
    assert _lines(run.json()) == [("a.sql", 3), ("new.sql", 1)]


def test_base_that_does_not_exist_says_what_to_fetch(repo: Repo) -> None:
    _branch_with_change(repo)
    run = guardrails(repo.root, "run", "--base", "origin/main")
    assert run.code == 2
    assert "no such commit" in run.stderr and "git fetch origin main" in run.stderr


def test_shallow_clone_explains_fetch_depth(repo: Repo, tmp_path: object) -> None:
    _branch_with_change(repo)
    clone = _shallow_clone(repo, "shallow", "--depth", "1", "--branch", "feature")
    run = guardrails(clone, "run", "--base", "origin/main")
    assert run.code == 2
    assert "fetch-depth: 0" in run.stderr
    assert "Traceback" not in run.stderr


def test_shallow_clone_with_enough_history_works(repo: Repo) -> None:
    _branch_with_change(repo)
    clone = _shallow_clone(repo, "deep-enough", "--depth", "5", "--no-single-branch")
    run = guardrails(clone, "run", "--base", "origin/main", "--format", "json")
    assert _lines(run.json()) == [("a.sql", 3)]


def test_scope_without_base_is_a_usage_error(repo: Repo) -> None:
    repo.write("a.sql", OLD)
    run = guardrails(repo.root, "run", "--scope", "added")
    assert run.code == 2 and "--scope needs --base" in run.stderr


def test_paths_arguments_limit_the_files(repo: Repo) -> None:
    repo.write("db/a.sql", OLD)
    repo.write("other/b.sql", OLD)
    run = guardrails(repo.root, "run", "db", "--format", "json")
    assert [f["path"] for f in run.json()["findings"]] == ["db/a.sql"]


def test_shallow_clone_without_the_merge_base_says_fetch_depth(repo: Repo) -> None:
    _branch_with_change(repo)
    repo.git("checkout", "-q", "main")
    repo.write("main_only.sql", "SELECT 1;\n")
    repo.commit("main moves on")  # so neither tip is the merge base
    clone = _shallow_clone(repo, "both-shallow", "--depth", "1", "--no-single-branch")
    run = guardrails(clone, "run", "--base", "origin/main")
    assert run.code == 2
    assert "too shallow" in run.stderr and "fetch-depth: 0" in run.stderr


def test_paths_are_relative_to_where_the_user_stands(repo: Repo) -> None:
    repo.write("db/a.sql", OLD)
    repo.write("other/a.sql", OLD)
    repo.commit("base")
    run = guardrails(repo.root / "db", "run", "a.sql", "--format", "json")
    assert [f["path"] for f in run.json()["findings"]] == ["db/a.sql"]
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/new.sql", "SELECT id FROM orders WHERE customer_id = 7;\n")
    repo.commit("new query")
    explain = guardrails(repo.root / "db", "explain", "--base", "main", "new.sql")
    assert "EXPLAIN SELECT id FROM orders" in explain.stdout, explain.stdout + explain.stderr
