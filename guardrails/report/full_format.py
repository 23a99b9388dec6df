"""The form for a person at a terminal, as ruff's and rustc's: the finding, where, the source line
with a caret under the span, and the rule's help after its first finding of the run.

::

    error[insert-ignore]: INSERT IGNORE: errors become warnings, rows silently lost or changed
     --> db/queries.sql:2:8
      |
    2 | INSERT IGNORE INTO orders (id) VALUES (?);
      |        ^^^^^^
      = help: IGNORE is usually meant for duplicate keys, ...
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from guardrails.engine import RunResult
from guardrails.findings import Finding
from guardrails.report import first_of_each_rule, idle_lines, printable, summary_line, where
from guardrails.report.concise_format import BOLD, COLORS, RESET
from guardrails.rules import Rule

WIDTH = 100  # help wraps here
SHOWN = 120  # a longer source line (minified JSON, generated SQL) is shown as a window around the span


def render(result: RunResult, rules: Mapping[str, Rule[Any]], *, color: bool = False) -> str:
    out: list[str] = []
    helped = first_of_each_rule(result.findings)
    for i, f in enumerate(result.findings):
        if f.suppressed:
            continue
        rule = rules.get(f.rule)
        out += _finding(f, result.source_lines.get(f.path, {}).get(f.line), color)
        if i in helped and rule is not None and rule.help:
            gutter = " " * (len(str(f.line)) if f.line else 1)
            body = textwrap.wrap(rule.help_line, WIDTH - len(gutter) - 9)
            out.append(f"{gutter} = help: {body[0]}")
            out += [f"{gutter}         {line}" for line in body[1:]]
        out.append("")
    out.append(summary_line(result))
    out += [f"note: {line}" for line in idle_lines(result)]
    return "\n".join(out) + "\n"


def _finding(f: Finding, source: str | None, color: bool) -> list[str]:
    loc = f.location
    head = f"{f.severity}[{f.rule}]"
    if color:
        head = f"{COLORS[f.severity]}{BOLD}{head}{RESET}{BOLD}"
        lines = [f"{head}: {printable(f.message)}{RESET}"]
    else:
        lines = [f"{head}: {printable(f.message)}"]
    gutter = " " * (len(str(loc.line)) if loc.line else 1)
    lines.append(f"{gutter}--> {where(loc.path, loc.line, loc.column)}")
    if source is None or not loc.line:
        return lines
    text = source.rstrip("\r\n")
    start = max(loc.column - 1, 0)
    end = loc.end_column - 1 if loc.end_line == loc.line and loc.end_column > loc.column else len(text)
    end = max(end, start + 1)
    text, start, end = _window(text, start, end)
    # the caret line copies the tabs of the source so that it lines up in any tab width
    pad = "".join(c if c == "\t" else " " for c in text[:start])
    carets = "^" * max(1, min(end, len(text) + 1) - start)
    if color:
        carets = f"{COLORS[f.severity]}{carets}{RESET}"
    lines += [f"{gutter} |", f"{loc.line} | {text}", f"{gutter} | {pad}{carets}"]
    return lines


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    if len(text) <= SHOWN:
        return text, start, end
    left = max(0, min(start - 20, len(text) - SHOWN))
    right = min(len(text), left + SHOWN)
    prefix = "..." if left else ""
    suffix = "..." if right < len(text) else ""
    shown = prefix + text[left:right] + suffix
    offset = len(prefix) - left
    return shown, start + offset, min(end, right) + offset
