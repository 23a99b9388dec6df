"""The JSON document fixed in DESIGN.md; suppressed findings are included and marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from json.encoder import encode_basestring_ascii
from typing import Any

from guardrails import __version__
from guardrails.engine import RunResult
from guardrails.findings import Finding, Severity
from guardrails.report.indent import Prerendered, indented
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


# finding_object's text at the findings' depth, as indented() writes it: thousands of findings
# are written three times faster from this than value by value.
_FINDING = (
    '{{{0}  "rule": {1},{0}  "severity": {2},{0}  "path": {3},{0}  "line": {4},{0}  "column": {5},'
    '{0}  "end_line": {6},{0}  "end_column": {7},{0}  "message": {8},{0}  "fingerprint": {9},'
    '{0}  "suppressed": {10}{0}}}'
)


def _finding_text(f: Finding, newline: str) -> str:
    at = f.location
    numbers = (at.line, at.column, at.end_line, at.end_column)
    if f.properties or any(type(n) is not int for n in numbers):
        return indented(finding_object(f), newline)  # the general way (properties: any JSON)
    text = encode_basestring_ascii
    return _FINDING.format(
        newline,
        text(f.rule),
        text(str(f.severity)),
        text(at.path),
        *map(int.__repr__, numbers),
        text(f.message),
        text(f.fingerprint),
        "true" if f.suppressed else "false",
    )


def _findings_text(findings: Sequence[Finding], newline: str) -> str:
    if not findings:
        return "[]"
    inner = newline + "  "
    return "[" + ",".join([inner + _finding_text(f, inner) for f in findings]) + newline + "]"


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
        "findings": Prerendered(partial(_findings_text, result.findings)),  # finding_object() each
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
