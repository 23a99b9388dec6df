"""Issue 12, "All clear" means checked: what matches nothing or cannot be read fails the run (exit 2)."""

from __future__ import annotations

from pathlib import Path

from guardrails.testing import check
from tests.helpers import Repo, guardrails

SQL = "INSERT IGNORE INTO t VALUES (1);\n"


def test_a_config_glob_that_matches_nothing_is_an_error_naming_it() -> None:
    config = "version: 1\nsql:\n  schema: ['db/schema/*.sql']\nopenapi:\n  specs: ['api/nope.yaml']\n"
    result = check({"db/q.sql": SQL}, config)
    assert sorted(result.internal_errors) == [
        ".guardrails.yml:3: sql.schema: 'db/schema/*.sql' matches no file in the repository",
        ".guardrails.yml:5: openapi.specs: 'api/nope.yaml' matches no file in the repository",
    ]


def test_a_path_argument_that_matches_nothing_or_lies_outside_exits_2(repo: Repo) -> None:
    repo.write("db/q.sql", SQL)
    repo.commit("q")
    for argument, expected in [
        ("no/such/file.sql", "no/such/file.sql: matches no file"),
        ("/etc/passwd", "/etc/passwd: outside the repository"),
    ]:
        result = guardrails(repo.root, "run", argument)
        assert result.code == 2, (argument, result.stdout)
        assert expected in result.stderr
    assert guardrails(repo.root, "run", "db").code == 1  # a PATH that matches still checks


def test_an_unreadable_pr_body_or_configured_spec_fails_the_run(repo: Repo, tmp_path: Path) -> None:
    repo.write(".guardrails.yml", "version: 1\nopenapi:\n  specs: ['api/*.yaml']\n")
    repo.write("api/openapi.yaml", b"openapi: 3.0.3\n\xff\xfe not text\n")
    repo.commit("spec")
    result = guardrails(repo.root, "run", "--pr-body", str(tmp_path / "missing.md"))
    assert result.code == 2, result.stdout
    assert "--pr-body" in result.stderr and "cannot read the description" in result.stderr
    assert "api/openapi.yaml: not valid UTF-8" in result.stderr
