""".guardrails.yml: typos are errors with file, line and the nearest valid word; presets and overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrails.config import build_schema
from guardrails.registry import load_registry
from tests.helpers import Repo, guardrails

SQL = "INSERT IGNORE INTO t VALUES (1);\n"


def _error(repo: Repo, config: str, env: dict[str, str] | None = None) -> str:
    repo.write(".guardrails.yml", config)
    repo.write("q.sql", SQL)
    run = guardrails(repo.root, "run", env=env)
    assert run.code == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    return run.stderr.strip()


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("version: 1\nextend: all\n", ".guardrails.yml:2: unknown key 'extend' in top level (did you mean 'extends'?)"),
        (
            "version: 1\nrules:\n  insert-ignore: error\n  insert-ignroe: warning\n",
            ".guardrails.yml:4: unknown rule 'insert-ignroe' in rules (did you mean 'insert-ignore'?)",
        ),
        (
            "version: 1\nrules:\n  insert-ignore: eror\n",
            ".guardrails.yml:3: rules.insert-ignore: eror is not one of error, warning, notice, off (did you mean 'error'?)",
        ),
        (
            "version: 1\nextends: recomended\n",
            ".guardrails.yml:2: extends: recomended is not one of none, recommended, all (did you mean 'recommended'?)",
        ),
        ("version: 1\nsql:\n  sources: '**/*.sql'\n", ".guardrails.yml:3: sql.sources: expected a list, got a string"),
        (  # a wrong option is about the option, in YAML's words, not "not a severity" with a Python dict
            "version: 1\nrules:\n  partition-pruning: {severity: error, mode: fast}\n",
            ".guardrails.yml:3: rules.partition-pruning.mode: fast is not one of static, live, both",
        ),
        (
            "version: 1\nsql:\n  source: ['**/*.sql']\n",
            ".guardrails.yml:3: unknown key 'source' in sql (did you mean 'sources'?)",
        ),
        (
            "version: 1\nrules:\n  insert-ignore: {severity: error, mode: live}\n",
            ".guardrails.yml:3: unknown key 'mode' in rules.insert-ignore",
        ),
        (
            "version: 1\noverrides:\n  - paths: ['legacy/**']\n    rules: {insert-ignor: off}\n",
            ".guardrails.yml:4: unknown rule 'insert-ignor' in overrides.0.rules (did you mean 'insert-ignore'?)",
        ),
        ("version: 2\n", ".guardrails.yml:1: version: 2 is not one of 1"),
        ("version: 1\nrules: [insert-ignore]\n", ".guardrails.yml:2: rules: expected a mapping, got a list"),
        ("version: 1\nrules:\n  insert-ignore: error\n    bad: indent\n", ".guardrails.yml:4: invalid YAML"),
    ],
)
def test_config_mistakes_name_file_line_and_nearest_word(repo: Repo, config: str, expected: str) -> None:
    assert expected in _error(repo, config)


def test_missing_environment_variable_is_an_error_naming_it(repo: Repo) -> None:
    message = _error(repo, "version: 1\ndatabase:\n  dsn: ${GUARDRAILS_TEST_DSN_MISSING}\n")
    assert ".guardrails.yml:3:" in message and "GUARDRAILS_TEST_DSN_MISSING is not set" in message


def test_environment_variables_expand_only_in_the_dsn(repo: Repo) -> None:
    # issue 12: a glob could print a variable in a message, so ${VAR} is refused outside database.dsn
    message = _error(repo, "version: 1\nsql:\n  sources: ['${SQL_DIR}/*.sql']\n")
    assert ".guardrails.yml:3: sql.sources.0: ${VAR} is expanded only in database.dsn" in message


def test_no_config_runs_the_recommended_preset(repo: Repo) -> None:
    repo.write("q.sql", SQL)
    run = guardrails(repo.root, "run", "--format", "json")
    assert run.code == 1
    assert [f["rule"] for f in run.json()["findings"]] == ["insert-ignore"]


def test_severity_off_and_overrides_by_glob(repo: Repo) -> None:
    repo.write(
        ".guardrails.yml",
        "version: 1\nrules:\n  insert-ignore: warning\noverrides:\n"
        "  - paths: ['legacy/**']\n    rules: {insert-ignore: off}\n"
        "  - paths: ['critical/*.sql']\n    rules: {insert-ignore: error}\n",
    )
    for folder in ("app", "legacy/old", "critical"):
        repo.write(f"{folder}/q.sql", SQL)
    run = guardrails(repo.root, "run", "--format", "json")
    got = {f["path"]: f["severity"] for f in run.json()["findings"]}
    assert got == {"app/q.sql": "warning", "critical/q.sql": "error"}
    assert run.code == 1


def test_extends_none_enables_only_listed_rules(repo: Repo) -> None:
    repo.write(".guardrails.yml", "version: 1\nextends: none\n")
    repo.write("q.sql", SQL)
    run = guardrails(repo.root, "run", "--format", "json")
    assert run.json()["findings"] == [] and run.code == 0


def test_paths_exclude(repo: Repo) -> None:
    repo.write(".guardrails.yml", "version: 1\npaths:\n  exclude: ['generated/**']\n")
    repo.write("generated/q.sql", SQL)
    repo.write("q.sql", SQL)
    run = guardrails(repo.root, "run", "--format", "json")
    assert [f["path"] for f in run.json()["findings"]] == ["q.sql"]


def test_published_schema_matches_the_installed_rules() -> None:
    shipped = Path(__file__).parent.parent / "guardrails" / "schema" / "guardrails.schema.json"
    assert json.loads(shipped.read_text()) == build_schema(
        load_registry().builtin_rules(), load_registry().builtin_inputs()
    ), "regenerate with: python -m guardrails.config > guardrails/schema/guardrails.schema.json"
