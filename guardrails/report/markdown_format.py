"""A markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

from collections.abc import Mapping

from guardrails.engine import RunResult
from guardrails.findings import Severity
from guardrails.github.escape import code_span
from guardrails.github.escape import text as escape_text
from guardrails.report import summary_line, where
from guardrails.rules import Rule

_ICON = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟠 warning", Severity.NOTICE: "🔵 notice"}


def findings_table(result: RunResult, limit: int = 200) -> str:
    shown = [f for f in result.findings if not f.suppressed]
    if not shown:
        return ""
    rows = ["| Severity | Rule | Where | Message |", "|---|---|---|---|"]
    for f in shown[:limit]:
        loc = f.location
        rule = code_span(f.rule, in_table=True)
        place = code_span(where(loc.path, loc.line, loc.column), in_table=True)
        rows.append(f"| {_ICON[f.severity]} | {rule} | {place} | {escape_text(f.message)} |")
    if len(shown) > limit:
        rows.append(f"\n… and {len(shown) - limit} more findings not shown.")
    return "\n".join(rows)


def render(result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    parts = ["### guardrails", "", summary_line(result)]
    table = findings_table(result)
    if table:
        parts += ["", table]
    if result.suppressed:
        parts += ["", f"{result.suppressed} suppressed finding(s) are counted above and not listed."]
    return "\n".join(parts) + "\n"
