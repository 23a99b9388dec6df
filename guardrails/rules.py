"""What a rule is: metadata plus one function from a unit of its input to findings.

A rule module exposes ``RULE = Rule(...)``, registered under the entry-point group
``guardrails.checks`` (see guardrails.registry). Importing the module must stay cheap:
heavy libraries are imported inside ``check``, so they load only when the rule is
enabled and has input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from guardrails.findings import Finding, Location, Severity, Value
from guardrails.records import Record

if TYPE_CHECKING:
    from guardrails.config import Config
    from guardrails.state import RunState
    from guardrails.workspace import Workspace

U = TypeVar("U")

# The rules the engine itself reports; on under every preset and --select unless set to off.
ENGINE_RULES = ("parse-error", "bad-suppression")


@dataclass(frozen=True)
class Rule(Generic[U]):
    """A rule over units of type ``U`` from the input named ``input``.

    ``units`` lists the unit types of that input the rule wants; the engine hands ``check``
    only those (default: every unit type the input yields).

    Messages follow ruff's style: a finding's message is short (what and where, under about
    100 characters); ``help`` is the why and the fix, said once per rule per run by the
    reporters and in full by ``guardrails rules ID`` and SARIF. ``details`` is the exact
    semantics (what counts, what does not), rendered by ``guardrails rules ID``.
    """

    id: str
    summary: str
    severity: Severity
    incident: str
    bad: str
    good: str
    input: str
    check: Callable[[U, RuleContext], Iterable[Finding]] | None = None
    units: tuple[type[U], ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)  # JSON Schema "properties"
    recommended: bool = True
    language: str = "sql"  # of the bad/good examples, for rendering
    help: str = ""
    details: str = ""
    properties: Mapping[str, str] = field(default_factory=dict)  # finding property -> what it means

    @property
    def help_line(self) -> str:
        """``help`` on one line, as every report prints it: its source is wrapped as written."""
        return " ".join(self.help.split())

    def default_options(self) -> dict[str, Any]:
        return {k: v["default"] for k, v in self.options.items() if "default" in v}


@dataclass
class RuleContext:
    """What a check sees besides its unit: its settings, the run, and a way to report."""

    rule: Rule[Any]
    severity: Severity
    options: Mapping[str, Any]
    config: Config
    workspace: Workspace
    state: RunState
    # rule id -> reason, where nothing_to_check is recorded (the engine's, per run of an input)
    idle: dict[str, str] = field(default_factory=dict, repr=False)
    records: list[Record] = field(default_factory=list, repr=False)  # where record() adds (the engine's)

    def nothing_to_check(self, reason: str) -> None:
        """Say that this rule has nothing to check in this run, and why (no schema to judge
        queries against, no database): the run reports it once, as a note naming the rule, so
        that its silence is not read as "all clear". Call it only when the whole run lacks
        what the rule needs, not for one unit it skips; the first reason given is kept."""
        self.idle.setdefault(self.rule.id, reason)

    def record(self, location: Location, properties: Mapping[str, Value]) -> None:
        """Report data about a unit that is not a finding (ddl-review's verdict on a statement
        that needs no human), for the reports' tables (guardrails.records)."""
        self.records.append(Record(self.rule.id, location, dict(properties)))

    def finding(
        self, location: Location, message: str, *, properties: Mapping[str, Value] | None = None, **extra: str
    ) -> Finding:
        """A finding of this rule. ``extra`` holds engine hints (``statement_line``: the first
        line of the statement, where an ignore comment above it also counts; ``at_most``: a
        severity word this finding never exceeds, whatever the rule's configured severity)."""
        return Finding(
            self.rule.id, self.severity, location, message, extra=dict(extra), properties=dict(properties or {})
        )
