"""A markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

from collections.abc import Mapping

from guardrails.engine import RunResult
from guardrails.findings import Severity
from guardrails.report import summary_line, where
from guardrails.rules import Rule

_ICON = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟠 warning", Severity.NOTICE: "🔵 notice"}
_MARKDOWN_SPECIAL = "\\`*_[]~|#!"


def escape_inline(text: str) -> str:
    """Text from files or the pull request, made inert in markdown: no HTML, no @mentions,
    no formatting, no table breaks, no way out of the surrounding cell."""
    out = []
    for ch in " ".join(text.split()):
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "@":
            out.append("&#64;")
        elif ch in _MARKDOWN_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def findings_table(result: RunResult, limit: int = 200) -> str:
    shown = [f for f in result.findings if not f.suppressed]
    if not shown:
        return ""
    rows = ["| Severity | Rule | Where | Message |", "|---|---|---|---|"]
    for f in shown[:limit]:
        loc = f.location
        rows.append(
            f"| {_ICON[f.severity]} | {escape_inline(f.rule)} | {escape_inline(where(loc.path, loc.line, loc.column))} "
            f"| {escape_inline(f.message)} |"
        )
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
