"""The typed surface for rule and input authors: import from here, not from the engine's modules.

A rule::

    from guardrails.api import Finding, Rule, RuleContext, Severity, SqlStatement

    def check(unit: SqlStatement, ctx: RuleContext) -> Iterator[Finding]: ...

    RULE: Rule[SqlStatement] = Rule(id="my-rule", input="sql", units=(SqlStatement,), check=check, ...)

An input: ``Input(name=..., units=(MyUnit,), load=..., config={"my_section": {...}}, empty=...)``,
its loader yielding units, ``SourceFile`` records (``source_file(path, text)``),
``parse_error(...)`` findings and ``Unread`` for input a rule needed and could not read at all;
``empty`` says why its rules got no unit. A rule that lacks what it needs for the whole run says
so with ``ctx.nothing_to_check(why)``. Both register through entry points (``guardrails.checks``,
``guardrails.inputs``); ``guardrails.testing.run`` runs them in-process on a temporary repository.

The unit types of the built-in inputs are imported on first use, so that importing this
module stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from guardrails.config import Config
from guardrails.findings import Finding, Location, Severity, Value, parse_error
from guardrails.inputs import Input, LoadContext, SourceFile, Unread, source_file
from guardrails.records import Record
from guardrails.rules import Rule, RuleContext
from guardrails.state import RunState, StateKey
from guardrails.suppress import Ignore
from guardrails.workspace import UnreadableFile, Workspace

if TYPE_CHECKING:
    from guardrails.github.new_queries import NewQuery
    from guardrails.github.pull_request import PullRequest
    from guardrails.openapi.spec import Spec
    from guardrails.sql.code.builders import QueryBuilderCall
    from guardrails.sql.settings import SqlSettings
    from guardrails.sql.statement import SqlParseError, SqlStatement

_UNITS = {
    "SqlStatement": "guardrails.sql.statement",
    "SqlParseError": "guardrails.sql.statement",
    "QueryBuilderCall": "guardrails.sql.code.builders",
    "SqlSettings": "guardrails.sql.settings",
    "Spec": "guardrails.openapi.spec",
    "PullRequest": "guardrails.github.pull_request",
    "NewQuery": "guardrails.github.new_queries",
}

__all__ = [
    "Config",
    "Finding",
    "Ignore",
    "Input",
    "LoadContext",
    "Location",
    "NewQuery",
    "PullRequest",
    "QueryBuilderCall",
    "Record",
    "Rule",
    "RuleContext",
    "RunState",
    "Severity",
    "SourceFile",
    "Spec",
    "SqlParseError",
    "SqlSettings",
    "SqlStatement",
    "StateKey",
    "Unread",
    "UnreadableFile",
    "Value",
    "Workspace",
    "parse_error",
    "source_file",
]


def __getattr__(name: str) -> Any:
    if name in _UNITS:
        return getattr(importlib.import_module(_UNITS[name]), name)
    raise AttributeError(f"module 'guardrails.api' has no attribute {name!r}")
