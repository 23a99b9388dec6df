"""SARIF 2.1.0 as GitHub code scanning accepts it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guardrails import __version__
from guardrails.engine import RunResult
from guardrails.findings import Finding, Severity
from guardrails.report.indent import indented
from guardrails.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "note"}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    fix = f"{rule.help_line}\n\n" if rule.help else ""
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.incident},
        # help: the why and the fix first (what a reviewer reads in code scanning), then the incident
        "help": {
            "text": f"{fix}{rule.incident}\n\nBad:\n{rule.bad}\n\nGood:\n{rule.good}",
            "markdown": f"{fix}{rule.incident}\n\n**Bad**\n```{rule.language}\n{rule.bad}\n```\n\n"
            f"**Good**\n```{rule.language}\n{rule.good}\n```",
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    }


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    loc = f.location
    region: dict[str, int] = {"startLine": max(1, loc.line)}
    if loc.line:
        if loc.column:
            region["startColumn"] = loc.column
        region["endLine"] = max(loc.end_line, loc.line)
        if loc.end_column:
            region["endColumn"] = loc.end_column
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"}, "region": region}}
        ],
        "partialFingerprints": {"guardrails/v1": f.fingerprint},
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    if f.properties:
        result["properties"] = dict(f.properties)
    if f.suppressed:
        kind = "external" if f.suppression == "baseline" else "inSource"
        result["suppressions"] = [{"kind": kind, "justification": f.suppression}]
    return result


def document(result: RunResult, rules: Mapping[str, Rule]) -> dict[str, Any]:
    # Only the rules that have results: the log stays small and stable as rules are added.
    reported = {f.rule for f in result.findings}
    ordered = [rule for rule in rules.values() if rule.id in reported]
    index = {rule.id: i for i, rule in enumerate(ordered)}
    # Code scanning drops results without a file; pull-request-level findings go to the PR comment instead.
    results = [_result(f, index) for f in result.findings if f.location.path]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "guardrails",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/guardrails-ci/guardrails",
                        "rules": [_rule_descriptor(r) for r in ordered],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": not result.internal_errors,
                        "toolExecutionNotifications": [
                            *({"level": "error", "message": {"text": e}} for e in result.internal_errors),
                            *(
                                {
                                    "level": "note",
                                    "message": {"text": f"{n.rule} had nothing to check: {n.message}"},
                                    "associatedRule": {"id": n.rule},
                                }
                                for n in result.notes
                            ),
                        ],
                    }
                ],
            }
        ],
    }


def render(result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    return indented(document(result, rules)) + "\n"
