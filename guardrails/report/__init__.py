"""Reporters: each turns a RunResult into text in one format."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Protocol

from guardrails.engine import RunResult
from guardrails.findings import Finding
from guardrails.rules import Rule

# text: full on a terminal, concise anywhere else (CI logs, pipes, --output)
FORMATS = ("text", "full", "concise", "json", "sarif", "github", "markdown")


class Reporter(Protocol):
    def __call__(self, result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str: ...


def render(fmt: str, result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    module = importlib.import_module(f"guardrails.report.{fmt}_format")
    reporter: Reporter = module.render
    return reporter(result, rules, color=color)


def first_of_each_rule(findings: Iterable[Finding]) -> set[int]:
    """Indexes of the first reported finding of each rule: the help is said there, once per run."""
    seen: dict[str, int] = {}
    for i, f in enumerate(findings):
        if not f.suppressed:
            seen.setdefault(f.rule, i)
    return set(seen.values())


def printable(text: str) -> str:
    """Text with its control characters escaped (a newline as \\n): a file name or a message
    from the repository never starts a line of its own in a report."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


def where(path: str, line: int, column: int) -> str:
    """``path:line:col`` as a person reads it; the pull request itself when there is no path."""
    if not path:
        return "pull request"
    path = printable(path)
    if not line:
        return path
    return f"{path}:{line}:{column}" if column else f"{path}:{line}"


def idle_lines(result: RunResult) -> list[str]:
    """The run's notes as sentences, the rules that share a reason named together:
    "partition-pruning had nothing to check: no schema to judge queries against (...)"."""
    by_reason: dict[str, list[str]] = {}
    for note in result.notes:
        by_reason.setdefault(note.message, []).append(note.rule)
    out = []
    for reason, names in by_reason.items():
        named = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        out.append(f"{named} had nothing to check: {printable(reason)}")
    return out


def counted(result: RunResult) -> str:
    """The unsuppressed findings by severity, "1 error, 2 warnings"; "" when there are none."""
    from guardrails.findings import Severity

    counts = [(result.count(s), str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.NOTICE)]
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts if n)


def idle_count(result: RunResult) -> str:
    """ "2 rules had nothing to check" (the notes are one per rule); "" when every rule had input."""
    rules = len({note.rule for note in result.notes})
    if not rules:
        return ""
    return f"{rules} rule{'' if rules == 1 else 's'} had nothing to check"


def summary_line(result: RunResult) -> str:
    """The last line of a report. "All clear" only when every enabled rule had something to
    check: a rule that read nothing found nothing, which is not a pass, so then the line says
    "No findings" and how many rules the notes (which follow it) name."""
    found = counted(result)
    idle = idle_count(result)
    head = f"Found {found}" if found else ("No findings" if idle else "All clear")
    files = f"{result.files} file{'' if result.files == 1 else 's'}"
    suppressed = f", {result.suppressed} suppressed" if result.suppressed else ""
    tail = f"; {idle} (see below)" if idle and not found else ""
    return f"{head}: {files} checked in {result.duration_s:.2f}s{suppressed}{tail}."
