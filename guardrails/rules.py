"""Rule metadata and the plugin registry (entry-point group ``guardrails.checks``).

A rule module exposes ``RULE = Rule(...)``. Importing the module must stay cheap:
heavy libraries are imported inside ``check``, so they load only when the rule
is enabled and has input.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guardrails.findings import Finding, Location, Severity

ENTRY_POINT_GROUP = "guardrails.checks"

# What a rule consumes. The engine builds each input once, only if an enabled
# rule asks for it (see guardrails.sources).
INPUTS = ("sql", "openapi", "migration", "pull_request", "engine")


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    severity: Severity
    incident: str
    bad: str
    good: str
    input: str
    check: Callable[[Any, RuleContext], Iterable[Finding]] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)  # JSON Schema "properties"
    recommended: bool = True
    language: str = "sql"  # of the bad/good examples, for rendering

    def default_options(self) -> dict[str, Any]:
        return {k: v["default"] for k, v in self.options.items() if "default" in v}


@dataclass
class RuleContext:
    """What a check sees besides its input: its settings and a way to report."""

    rule: Rule
    severity: Severity
    options: Mapping[str, Any]
    config: Any  # guardrails.config.Config; typed loosely to keep this module import-light
    workspace: Any = None  # guardrails.workspace.Workspace

    def finding(self, location: Location, message: str, **extra: str) -> Finding:
        return Finding(self.rule.id, self.severity, location, message, extra=dict(extra))


class RegistryError(Exception):
    pass


_cache: dict[str, Rule] | None = None


def load_rules() -> dict[str, Rule]:
    """Every installed rule, by id, in id order."""
    global _cache
    if _cache is None:
        found: dict[str, Rule] = {}
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                rule = ep.load()
            except Exception as exc:  # a broken plugin must not take the others down
                raise RegistryError(f"cannot load rule plugin {ep.name!r} ({ep.value}): {exc}") from exc
            if not isinstance(rule, Rule) or rule.id != ep.name:
                raise RegistryError(f"entry point {ep.name!r} ({ep.value}) must point at a Rule with id {ep.name!r}")
            if rule.input not in INPUTS:
                raise RegistryError(f"rule {rule.id!r} has unknown input {rule.input!r}")
            found[rule.id] = rule
        _cache = dict(sorted(found.items()))
    return _cache
