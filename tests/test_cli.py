"""The CLI as a user meets it: rules, rules ID, init, --fail-on, --select, exit codes, pre-commit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from guardrails.registry import load_registry, load_rules
from guardrails.ruledocs import README_END, README_START, rules_table
from tests.helpers import Repo, guardrails

ROOT = Path(__file__).parent.parent


def test_rules_lists_every_rule_with_severity_and_summary(repo: Repo) -> None:
    run = guardrails(repo.root, "rules")
    assert run.code == 0
    for rule in load_rules().values():
        assert re.search(
            rf"^{re.escape(rule.id)}\s+\*?\s*{rule.severity}\s+{re.escape(rule.summary)}$", run.stdout, re.M
        )


def test_rules_id_prints_incident_examples_and_options(repo: Repo) -> None:
    run = guardrails(repo.root, "rules", "insert-ignore")
    assert run.code == 0
    for part in (
        "Why",
        "silently dropped rows",
        "Bad",
        "INSERT IGNORE INTO user_emails",
        "Good",
        "ON DUPLICATE KEY UPDATE",
    ):
        assert part in run.stdout
    options = guardrails(repo.root, "rules", "explain-plan").stdout  # option values as YAML writes them
    assert "filesort: (default: true)" in options and "max_rows: (default: null)" in options
    assert "True" not in options and "None" not in options
    typo = guardrails(repo.root, "rules", "insert-ignor")
    assert typo.code == 2 and "did you mean 'insert-ignore'" in typo.stderr


def test_rules_id_renders_the_exact_semantics_and_fix() -> None:
    from guardrails.ruledocs import rule_text

    registry = load_registry()
    text = rule_text(registry.rules["pr-explain"])
    assert "Details" in text and "guardrails:no-explain" in text and "``" not in text
    plugin = registry.rules.get("alert-runbook")  # the example plugin, installed by scripts/test
    if plugin is not None:
        assert "How to fix" in rule_text(plugin) and "runbook_url" in rule_text(plugin)


def test_readme_rule_table_is_generated_from_the_metadata() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(README_START) + len(README_START)
    assert readme[start : readme.index(README_END)].strip() == rules_table(load_registry().builtin_rules()), (
        "regenerate with: guardrails rules --format markdown"
    )


def test_init_writes_a_config_suited_to_the_repository_and_never_overwrites(repo: Repo) -> None:
    repo.write("db/migrations/001_init.sql", "CREATE TABLE t (a INT);\n")
    repo.write("db/queries.sql", "SELECT 1;\n")
    repo.write("cmd/main.go", "package main\n")
    repo.write("api/openapi.yaml", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n")
    run = guardrails(repo.root, "init")
    assert run.code == 0
    text = (repo.root / ".guardrails.yml").read_text()
    config = yaml.safe_load(text)
    assert "Found 2 .sql file(s) and Go code today" in text and "api/openapi.yaml" in text  # told, in comments
    assert "sources" not in config["sql"] and "openapi" not in config  # the defaults cover what comes later
    assert config["sql"]["migrations"] == ["db/migrations/**/*.sql"]
    assert guardrails(repo.root, "run").code == 0  # the written config is valid
    # Code, a spec and a migration added after init are checked all the same.
    repo.write("app/jobs.py", 'db.execute("INSERT IGNORE INTO t (a) VALUES (1)")\n')
    repo.write(
        "api/v2/openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: x, version: '2'}\npaths: {}\n"
        "components: {schemas: {Thing: {type: object, properties: {a: {type: string}}}}}\n",
    )
    later = guardrails(repo.root, "run", "--format", "json")
    assert {(f["rule"], f["path"]) for f in later.json()["findings"]} >= {
        ("insert-ignore", "app/jobs.py"),
        ("openapi-additional-properties", "api/v2/openapi.yaml"),
    }
    (repo.root / ".guardrails.yml").write_text("version: 1\n# mine\n")
    again = guardrails(repo.root, "init")
    assert again.code == 2 and "not overwritten" in again.stderr
    assert (repo.root / ".guardrails.yml").read_text() == "version: 1\n# mine\n"


def test_fail_on_controls_the_exit_code(repo: Repo) -> None:
    repo.write(".guardrails.yml", "version: 1\nrules:\n  insert-ignore: warning\n")
    repo.write("q.sql", "INSERT IGNORE INTO t VALUES (1);\n")
    assert guardrails(repo.root, "run").code == 0
    assert guardrails(repo.root, "run", "--fail-on", "warning").code == 1
    assert guardrails(repo.root, "run", "--fail-on", "never").code == 0


def test_usage_errors_exit_2(repo: Repo) -> None:
    bad_select = guardrails(repo.root, "run", "--select", "insert-ignor")
    assert bad_select.code == 2 and "did you mean 'insert-ignore'" in bad_select.stderr
    both = guardrails(repo.root, "run", "--select", "insert-ignore,parse-eror")  # a list as ruff takes it
    assert both.code == 2 and "unknown rule 'parse-eror' (did you mean 'parse-error'?)" in both.stderr
    assert guardrails(repo.root, "run", "--format", "xml").code == 2
    assert guardrails(repo.root, "run", "--config", "missing.yml").code == 2


def test_pre_commit_hook_runs_guardrails_on_the_files_being_committed(repo: Repo) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "guardrails" and hook["pass_filenames"] is True
    repo.write("staged.sql", "INSERT IGNORE INTO t VALUES (1);\n")
    repo.write("other.sql", "UPDATE IGNORE t SET a = 1;\n")
    entry = hook["entry"].split()
    assert entry[0] == "guardrails"
    # pre-commit appends the staged file names to the entry
    run = subprocess.run(
        [sys.executable, "-m", "guardrails", *entry[1:], "staged.sql"], cwd=repo.root, capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "staged.sql:1:8" in run.stdout and "other.sql" not in run.stdout


def test_init_pr_template_writes_the_template_and_the_matching_checklist(repo: Repo) -> None:
    from guardrails.github.templates import CHECKLIST, PR_TEMPLATE

    run = guardrails(repo.root, "init", "--pr-template")
    assert run.code == 0, run.stderr
    assert (repo.root / ".github" / "pull_request_template.md").read_text() == PR_TEMPLATE
    config = yaml.safe_load((repo.root / ".guardrails.yml").read_text())
    assert config["pull_request"]["checklist"] == CHECKLIST
    again = guardrails(repo.root, "init", "--pr-template")
    assert again.code == 2 and "not overwritten" in again.stderr


def test_a_reader_that_went_away_ends_the_run_quietly(repo: Repo) -> None:
    # `guardrails rules | head -1`: the reader has closed the pipe before the report is written
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "guardrails", "rules"], cwd=repo.root, stdout=write_end, stderr=subprocess.PIPE
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141  # as a shell reports a tool stopped by SIGPIPE, not 2 (internal error)
    assert proc.stderr.decode() == ""


def test_the_command_ends_without_teardown_but_with_its_output_and_exit_handlers(repo: Repo) -> None:
    # console_main skips the interpreter's teardown: what was written must still arrive whole,
    # the exit code must be the run's, and what registered to run at exit (a database
    # connection's close) must still run
    for i in range(300):
        repo.write(f"migrations/{i:03}.sql", "INSERT IGNORE INTO t VALUES (1);\n")
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
        "sys.argv = ['guardrails', 'run', '--select', 'insert-ignore', '--format', 'json']\n"
        "from guardrails.cli import console_main\n"
        "console_main()\n"
        "print('not reached', file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=repo.root, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert len(json.loads(proc.stdout)["findings"]) == 300
    assert proc.stderr.splitlines() == ["exit handler ran"]
