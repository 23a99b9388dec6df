"""Per-rule cases (tests/cases/RULE.yml), in the way sqlfluff's YAML rule cases work.

Each case writes one snippet to ``path`` (plus the file's shared ``files``), runs the rule
in-process through ``guardrails.testing`` with the file's and the case's ``config``, and
compares the ``line:column`` of every unsuppressed finding of the rule with ``expect``
(``good`` snippets expect none). ``select`` (default: the rule) picks the rules that run;
``pr_body`` runs the pull-request rules on that description.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from guardrails.testing import run

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            out.append(pytest.param(doc, case, id=f"{doc['rule']}:{case['name']}"))
    return out


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and key in merged else value
    return merged


@pytest.mark.parametrize(("doc", "case"), _cases())
def test_rule_case(doc: dict[str, Any], case: dict[str, Any]) -> None:
    rule = doc["rule"]
    text = case.get("bad", case.get("good", case.get("text")))
    assert text is not None, "a case needs bad, good or text"
    expected = case.get("expect", []) if "good" not in case else []
    config = _merge({"version": 1, "extends": "none", "rules": {rule: "error"}}, doc.get("config") or {})
    config = _merge(config, case.get("config") or {})
    files = {**(doc.get("files") or {}), case["path"]: text}
    findings = run(files, config, select=doc.get("select", [rule]), pr_body=case.get("pr_body"))
    found = sorted(f"{f.line}:{f.location.column}" for f in findings if f.rule == rule and not f.suppressed)
    assert found == sorted(expected), [f.message for f in findings if f.rule == rule]


def test_every_builtin_rule_with_input_has_cases() -> None:
    from guardrails.registry import load_registry

    registry = load_registry()
    covered = {yaml.safe_load(p.read_text(encoding="utf-8"))["rule"] for p in CASES_DIR.glob("*.yml")}
    # explain-plan and pr-explain need a database or a base commit: tests/test_explain_plan.py, test_pr_rules.py
    exempt = {"explain-plan", "pr-explain"}
    missing = sorted(set(registry.builtin_rules()) - covered - exempt)
    assert not missing, f"add tests/cases/<rule>.yml for {missing}"


def test_select_builds_only_the_inputs_the_selected_rules_read() -> None:
    from guardrails.testing import check

    files = {"db/q.sql": "INSERT IGNORE INTO t VALUES (1);\n", "db/broken.sql": "SELECT (;\n"}
    config = {
        "version": 1,
        "pull_request": {"checklist": ["tested"]},
        "rules": {"pr-checklist": "error", "pr-explain": "off"},
    }
    pr_only = check(files, config, select=["pr-checklist"], pr_body="- [x] tested\n")
    assert pr_only.files == 0 and pr_only.findings == []  # no SQL read, so no parse-error either
    everything = check(files, config, pr_body="- [x] tested\n")
    assert everything.files == 2
    assert {f.rule for f in everything.findings} == {"insert-ignore", "parse-error"}
