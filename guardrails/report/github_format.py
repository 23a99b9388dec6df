"""GitHub Actions workflow commands: annotations on the pull request's diff."""

from __future__ import annotations

from collections.abc import Mapping

from guardrails.engine import RunResult
from guardrails.findings import Finding, Severity
from guardrails.github.escape import command_data, command_property
from guardrails.report import idle_lines, summary_line
from guardrails.rules import Rule

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}


def annotation(f: Finding) -> str:
    loc = f.location
    props = []
    if loc.path:
        props.append(f"file={command_property(loc.path)}")
    if loc.line:
        props.append(f"line={loc.line}")
        if loc.end_line and loc.end_line != loc.line:
            props.append(f"endLine={loc.end_line}")
        if loc.column:
            props.append(f"col={loc.column}")
            if loc.end_column and loc.end_line == loc.line:
                props.append(f"endColumn={loc.end_column}")
    props.append(f"title={command_property(f'guardrails [{f.rule}]')}")
    return f"::{_COMMAND[f.severity]} {','.join(props)}::{command_data(f.message)}"


def render(result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    lines = [annotation(f) for f in result.findings if not f.suppressed]
    lines.append(summary_line(result))  # before the notes, as in the other formats: it says "see below"
    # a notice on the run, not on a file: "no finding" from these rules is not a pass
    lines += [f"::notice title=guardrails::{command_data(line)}" for line in idle_lines(result)]
    return "\n".join(lines) + "\n"
