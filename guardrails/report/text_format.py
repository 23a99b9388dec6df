"""``path:line:col: severity [rule] message``, one line per finding, then one summary line."""

from __future__ import annotations

from collections.abc import Mapping

from guardrails.engine import RunResult
from guardrails.findings import Severity
from guardrails.report import summary_line, where
from guardrails.rules import Rule

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTICE: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def render(result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    lines = []
    for f in result.findings:
        if f.suppressed:
            continue
        loc = f.location
        severity = str(f.severity)
        place = where(loc.path, loc.line, loc.column)
        if color:
            severity = f"{_COLORS[f.severity]}{severity}{_RESET}"
            place = f"{_BOLD}{place}{_RESET}"
        lines.append(f"{place}: {severity} [{f.rule}] {f.message}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
