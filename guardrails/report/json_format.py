"""The JSON document fixed in DESIGN.md; suppressed findings are included and marked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guardrails import __version__
from guardrails.engine import RunResult
from guardrails.findings import Finding, Severity
from guardrails.report.indent import indented
from guardrails.rules import Rule


def finding_object(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": str(f.severity),
        "path": f.location.path,
        "line": f.location.line,
        "column": f.location.column,
        "end_line": f.location.end_line,
        "end_column": f.location.end_column,
        "message": f.message,
        "fingerprint": f.fingerprint,
        "suppressed": f.suppressed,
    }
    if f.properties:
        out["properties"] = dict(f.properties)
    return out


def document(result: RunResult, rules: Mapping[str, Rule[Any]] | None = None) -> dict[str, Any]:
    # The help of each rule that reported, once: findings keep their short messages.
    reported = {f.rule for f in result.findings}
    described = {
        rule.id: {"summary": rule.summary, "help": rule.help_line}
        for rule in (rules or {}).values()
        if rule.id in reported
    }
    return {
        "version": 1,
        "tool": {"name": "guardrails", "version": __version__},
        "findings": [finding_object(f) for f in result.findings],
        "rules": described,
        "summary": {
            "files": result.files,
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "notices": result.count(Severity.NOTICE),
            "suppressed": result.suppressed,
            "duration_s": round(result.duration_s, 3),
        },
        # enabled rules that had nothing to check (no schema, no spec, no description), and why
        "notes": [{"rule": n.rule, "message": n.message} for n in result.notes],
    }


def render(result: RunResult, rules: Mapping[str, Rule[Any]], *, color: bool = False) -> str:
    return indented(document(result, rules)) + "\n"
