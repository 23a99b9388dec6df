"""Plugins as pip lays them out (a module and its dist-info on the path), in a new process:
a broken one is skipped with a warning, two claiming one id are an error naming both."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

from tests.helpers import Repo, guardrails

RULE_MODULE = """
from guardrails.api import Rule, Severity

RULE = Rule(id={id!r}, summary="a plugin rule", severity=Severity.ERROR, incident="test",
            bad="x", good="y", input={input!r}, check=lambda unit, ctx: [])
"""


def _install(site: Path, dist: str, module: str, source: str, entry_points: str) -> None:
    site.mkdir(exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source))
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)


def _env(site: Path) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(site), *sys.path])}


def test_a_rule_reading_an_uninstalled_input_is_skipped_with_a_warning(repo: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install(
        site,
        "needs-input",
        "needs_input",
        RULE_MODULE.format(id="needs-input", input="no_such_input"),
        "[guardrails.checks]\nneeds-input = needs_input:RULE\n",
    )
    _install(site, "broken-plugin", "broken_plugin", "raise ImportError('missing dependency')\n",
             "[guardrails.checks]\nbroken = broken_plugin:RULE\n")  # fmt: skip
    rules = guardrails(repo.root, "rules", env=_env(site), process=True)
    assert rules.code == 0, rules.stderr
    assert "insert-ignore" in rules.stdout and "needs-input" not in rules.stdout
    assert "rule 'needs-input' from needs-input reads input 'no_such_input', which is not installed" in rules.stderr
    assert "'broken' from broken-plugin" in rules.stderr and "missing dependency" in rules.stderr
    repo.write("q.sql", "INSERT IGNORE INTO t VALUES (1);\n")
    run = guardrails(repo.root, "run", "--format", "json", env=_env(site), process=True)
    assert run.code == 1 and [f["rule"] for f in run.json()["findings"]] == ["insert-ignore"]


def test_two_distributions_claiming_one_rule_id_is_an_error_naming_both(repo: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install(
        site,
        "shadow-rules",
        "shadow_rules",
        RULE_MODULE.format(id="insert-ignore", input="sql"),
        "[guardrails.checks]\ninsert-ignore = shadow_rules:RULE\n",
    )
    run = guardrails(repo.root, "rules", env=_env(site), process=True)
    assert run.code == 2
    assert "'insert-ignore' is registered twice" in run.stderr
    assert "guardrails-ci" in run.stderr and "shadow-rules" in run.stderr


def test_guardrails_ai_installed_alongside_is_named_at_start(repo: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site"
    # guardrails-ai declares no guardrails entry points: it is found by its metadata directory
    _install(site, "guardrails-ai", "guardrails_ai_marker", "", "[console_scripts]\nguardrails = x:main\n")
    run = guardrails(repo.root, "rules", env=_env(site), process=True)
    assert run.code == 0 and "insert-ignore" in run.stdout
    assert "guardrails-ai 1.0 is installed in this environment" in run.stderr
    clean = guardrails(repo.root, "rules", process=True)
    assert "guardrails-ai" not in clean.stderr
