"""Issue 12, "All clear" means checked: what matches nothing or cannot be read fails the run (exit 2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails.engine import Note, RunResult
from guardrails.testing import check
from tests.attack_tally import tally
from tests.helpers import Repo, guardrails

SQL = "INSERT IGNORE INTO t VALUES (1);\n"


def test_a_config_glob_that_matches_nothing_is_an_error_naming_it(
    record_property: Callable[[str, object], None],
) -> None:
    config = "version: 1\nsql:\n  schema: ['db/schema/*.sql']\nopenapi:\n  specs: ['api/nope.yaml']\n"
    result = check({"db/q.sql": SQL}, config)
    tally(record_property, tried=2, refused=len(result.internal_errors))
    assert sorted(result.internal_errors) == [
        ".guardrails.yml:3: sql.schema: 'db/schema/*.sql' matches no file in the repository",
        ".guardrails.yml:5: openapi.specs: 'api/nope.yaml' matches no file in the repository",
    ]


def test_a_path_argument_that_matches_nothing_or_lies_outside_exits_2(
    repo: Repo, record_property: Callable[[str, object], None]
) -> None:
    repo.write("db/q.sql", SQL)
    repo.commit("q")
    for argument, expected in [
        ("no/such/file.sql", "no/such/file.sql: matches no file"),
        ("/etc/passwd", "/etc/passwd: outside the repository"),
    ]:
        result = guardrails(repo.root, "run", argument)
        tally(record_property, tried=1, refused=result.code == 2)
        assert result.code == 2, (argument, result.stdout)
        assert expected in result.stderr
    assert guardrails(repo.root, "run", "db").code == 1  # a PATH that matches still checks


def test_an_unreadable_pr_body_or_configured_spec_fails_the_run(
    repo: Repo, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    repo.write(".guardrails.yml", "version: 1\nopenapi:\n  specs: ['api/*.yaml']\n")
    repo.write("api/openapi.yaml", b"openapi: 3.0.3\n\xff\xfe not text\n")
    repo.commit("spec")
    result = guardrails(repo.root, "run", "--pr-body", str(tmp_path / "missing.md"))
    named = ("cannot read the description" in result.stderr) + ("api/openapi.yaml: not valid UTF-8" in result.stderr)
    tally(record_property, tried=2, refused=named if result.code == 2 else 0)
    assert result.code == 2, result.stdout
    assert "--pr-body" in result.stderr and "cannot read the description" in result.stderr
    assert "api/openapi.yaml: not valid UTF-8" in result.stderr


# -- enabled rules that had nothing to check are named, once, with why ---------------------------
PARTITIONED = "CREATE TABLE events (id INT, day DATE) PARTITION BY HASH(id) PARTITIONS 4;\n"
QUERY = "SELECT * FROM events WHERE day = '2025-01-01';\n"
NO_SCHEMA = "no schema to judge queries against (set sql.schema to your tables' DDL, or database.dsn)"
NO_DESCRIPTION = "no pull-request description (--pr-body FILE, or a pull_request event in GitHub Actions)"


def _notes(result: RunResult) -> dict[str, str]:
    assert len({n.rule for n in result.notes}) == len(result.notes), result.notes  # once per rule
    return {n.rule: n.message for n in result.notes}


@pytest.fixture(autouse=True)
def _no_pull_request_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)


def test_a_default_run_names_each_enabled_rule_that_had_no_input_and_why() -> None:
    result = check({"db/q.sql": QUERY + SQL})
    assert [f.rule for f in result.findings] == ["insert-ignore"]  # the findings are unchanged
    assert _notes(result) == {
        "partition-pruning": NO_SCHEMA,
        "openapi-additional-properties": (
            "no JSON or YAML file checked has a top-level openapi or swagger key (or set openapi.specs)"
        ),
        "pr-checklist": NO_DESCRIPTION,
        "pr-explain": NO_DESCRIPTION,
    }  # insert-ignore had statements to check, so it is not named


def test_a_selected_rule_with_nothing_to_check_is_a_note_that_never_fails_the_run(repo: Repo) -> None:
    repo.write("db/q.sql", QUERY)
    repo.commit("q")
    for fail_on in ("error", "warning"):
        run = guardrails(repo.root, "run", "--select", "partition-pruning", "--fail-on", fail_on)
        assert run.code == 0, run.stdout
        assert run.stdout.splitlines()[-1] == f"note: partition-pruning had nothing to check: {NO_SCHEMA}"
    machine = guardrails(repo.root, "run", "--select", "partition-pruning", "--format", "json")
    doc = machine.json()
    assert doc["notes"] == [{"rule": "partition-pruning", "message": NO_SCHEMA}]
    # the log says it too, where a person reads it while the JSON goes to a tool
    assert f"guardrails: note: partition-pruning had nothing to check: {NO_SCHEMA}" in machine.stderr
    assert doc["findings"] == [] and doc["summary"]["notices"] == 0
    sarif = guardrails(repo.root, "run", "--select", "partition-pruning", "--format", "sarif").json()
    (note,) = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "note" and note["associatedRule"] == {"id": "partition-pruning"}
    markdown = guardrails(repo.root, "run", "--select", "partition-pruning", "--format", "markdown").stdout
    assert "- ℹ️ partition\\-pruning had nothing to check\\: no schema to judge queries against" in markdown


def test_partition_pruning_says_why_it_had_nothing_and_is_quiet_once_it_has_a_partitioned_table() -> None:
    select = ["partition-pruning"]
    no_partitions = check(
        {"db/schema/t.sql": "CREATE TABLE events (id INT);\n", "db/q.sql": QUERY},
        {"sql": {"schema": ["db/schema/*.sql"]}},
        select=select,
    )
    assert _notes(no_partitions) == {
        "partition-pruning": "no partitioned table (PARTITION BY) in the DDL of sql.schema"
    }
    live = check({"db/q.sql": QUERY}, {"rules": {"partition-pruning": {"mode": "live"}}}, select=select)
    assert _notes(live) == {
        "partition-pruning": "mode live needs a database to EXPLAIN against (database.dsn is not set)"
    }
    checked = check(
        {"db/schema/t.sql": PARTITIONED, "db/q.sql": QUERY}, {"sql": {"schema": ["db/schema/*.sql"]}}, select=select
    )
    assert [f.rule for f in checked.findings] == ["partition-pruning"] and checked.notes == []


def test_each_input_says_why_its_rules_had_nothing_to_check() -> None:
    rules = {
        "ddl-review": "error",
        "cron-jitter": "error",
        "incident-review": "error",
        "explain-plan": "warning",
        "direct-clock": "error",
    }
    result = check({"README.md": "# nothing to check here\n"}, {"extends": "none", "rules": rules})
    assert _notes(result) == {
        "ddl-review": "no migration to review (sql.migrations is not set)",
        "cron-jitter": "no scheduled job in the files checked (schedules.sources)",
        "incident-review": "no incident review in the files checked (incident_review.paths)",
        "explain-plan": "no SQL statement in the files checked (sql.sources)",
    }  # direct-clock: finding no clock read is a clean result, not a missing input
    specs = check(
        {"api.yaml": "not: a spec\n"},
        {"extends": "none", "openapi": {"specs": ["api.yaml"]}, "rules": {"openapi-additional-properties": "error"}},
    )
    assert [f.rule for f in specs.findings] == ["parse-error"] and specs.notes == []  # the finding says why


def test_pull_request_rules_with_a_description_but_no_checklist() -> None:
    result = check({"db/q.sql": QUERY}, {"extends": "none", "rules": {"pr-checklist": "error"}}, pr_body="Adds q.\n")
    assert _notes(result) == {"pr-checklist": "no required item (pull_request.checklist is not set)"}
    listed = check(
        {"db/q.sql": QUERY},
        {"extends": "none", "pull_request": {"checklist": ["tested"]}, "rules": {"pr-checklist": "error"}},
        pr_body="- [x] tested\n",
    )
    assert listed.findings == [] and listed.notes == []


def test_the_note_is_said_once_per_rule_when_files_are_split_between_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GUARDRAILS_JOBS", "2")
    files = {f"db/q{i}.sql": QUERY for i in range(6)}
    result = check(files, select=["partition-pruning"])
    assert result.notes == [Note("partition-pruning", NO_SCHEMA)]


# -- unreadable_input: warning turns "could not read the input" into a reported warning ------------
def test_unreadable_input_warning_reports_the_unread_spec_and_the_run_goes_on(repo: Repo, tmp_path: Path) -> None:
    repo.write(".guardrails.yml", "version: 1\nunreadable_input: warning\nopenapi:\n  specs: ['api/*.yaml']\n")
    repo.write("api/openapi.yaml", b"openapi: 3.0.3\n\xff\xfe not text\n")
    repo.write("db/q.sql", "SELECT 1;\n")
    repo.commit("spec")
    run = guardrails(repo.root, "run", "--pr-body", str(tmp_path / "missing.md"), "--format", "json")
    assert run.code == 0, run.stderr
    unread = [(f["path"], f["line"], f["severity"], f["message"]) for f in run.json()["findings"]]
    body = tmp_path / "missing.md"
    assert unread == [
        ("", 0, "warning", f"--pr-body {body}: cannot read the description: No such file or directory"),
        ("api/openapi.yaml", 2, "warning", "not valid UTF-8 (byte 0xff): not checked"),  # at the line it fails,
    ]
    assert guardrails(repo.root, "run", "--fail-on", "warning").code == 1  # a warning like any other


def test_unreadable_input_accepts_only_error_or_warning(repo: Repo) -> None:
    repo.write(".guardrails.yml", "version: 1\nunreadable_input: warn\n")
    repo.commit("config")
    run = guardrails(repo.root, "run")
    assert run.code == 2
    assert ".guardrails.yml:2: unreadable_input: warn is not one of error, warning (did you mean 'warning'?)" in (
        run.stderr
    )


def test_a_detected_spec_that_cannot_be_read_is_reported_not_skipped() -> None:
    # found by its text (no openapi.specs): it may not be a spec, so a warning, never silence
    result = check({"api/openapi.yaml": b"openapi: 3.0.3\ninfo: \xff\xfe\n"}, select=["openapi-additional-properties"])
    assert [(f.rule, f.path, f.line, f.message) for f in result.findings] == [
        (
            "parse-error",
            "api/openapi.yaml",
            2,
            "looks like an OpenAPI spec but not valid UTF-8 (byte 0xff): not checked",
        )
    ]
    assert result.notes == []  # the warning says why; "no spec found" would not be true


def test_a_rule_turned_on_only_where_there_is_no_input_says_so() -> None:
    config = {"extends": "none", "overrides": [{"paths": ["legacy/**"], "rules": {"insert-ignore": "error"}}]}
    result = check({"db/q.sql": SQL}, config)
    assert result.findings == []  # db/q.sql has an IGNORE, but the rule is on only under legacy/
    assert _notes(result) == {"insert-ignore": "it is on only through overrides, and their files had nothing for it"}
