"""``path:line:col: severity [rule] message``, one line per finding, for CI logs and pipes.

The first finding of each rule is followed by that rule's help (the why and the fix), once per
run, as ruff does: the messages stay short and the explanation is not repeated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guardrails.engine import RunResult
from guardrails.findings import Severity
from guardrails.report import first_of_each_rule, idle_lines, printable, summary_line, where
from guardrails.rules import Rule

COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTICE: "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def render(result: RunResult, rules: Mapping[str, Rule[Any]], *, color: bool = False) -> str:
    lines = []
    helped = first_of_each_rule(result.findings)
    for i, f in enumerate(result.findings):
        if f.suppressed:
            continue
        loc = f.location
        severity = str(f.severity)
        place = where(loc.path, loc.line, loc.column)
        if color:
            severity = f"{COLORS[f.severity]}{severity}{RESET}"
            place = f"{BOLD}{place}{RESET}"
        lines.append(f"{place}: {severity} [{f.rule}] {printable(f.message)}")
        rule = rules.get(f.rule)
        if i in helped and rule is not None and rule.help:
            label = f"{DIM}help:{RESET}" if color else "help:"
            lines.append(f"  {label} {rule.help_line}")
    lines.append(summary_line(result))
    lines += [f"note: {line}" for line in idle_lines(result)]
    return "\n".join(lines) + "\n"
