"""Report data: what a rule knows about a unit that is not a finding, for the reports' tables.

ddl-review's verdict on every DDL statement is one: by default only the statements that need a
human are findings (DESIGN.md), yet the pull request's summary lists every statement. A rule
adds a record with ``RuleContext.record``; the engine keeps the records in scope, as it keeps
findings, and reporters read ``RunResult.records``. A record is never counted, never changes
the exit code, and is not in the JSON or SARIF output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guardrails.findings import Location, Value


@dataclass(frozen=True)
class Record:
    rule: str
    location: Location
    properties: dict[str, Value] = field(default_factory=dict)
