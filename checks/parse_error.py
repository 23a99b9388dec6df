"""parse-error: input that could not be parsed is reported, never a crash."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Severity
from guardrails.rules import Rule, RuleContext
from guardrails.sql.statement import SqlParseError, SqlStatement


def check(unit: SqlStatement, ctx: RuleContext) -> Iterator[Finding]:
    """Statements of .sql files that do not parse. (Loaders report unreadable files and
    other inputs themselves; SQL found in application code counts only when it parses.)"""
    if unit.origin != "sql":
        return
    try:
        unit.parse()
    except SqlParseError as exc:
        first_line, _ = unit.positions(0)
        yield ctx.finding(
            unit.location(exc.offset, exc.offset + 1),
            f"cannot parse this statement as MySQL ({exc}); no SQL rule could check it. "
            "Fix the syntax, or suppress with a reason if MySQL accepts it.",
            statement_line=str(first_line),
        )


RULE: Rule[SqlStatement] = Rule(
    id="parse-error",
    summary="Input that could not be parsed (reported, never a crash)",
    severity=Severity.WARNING,
    incident=(
        "A check that silently skips a file it cannot read gives a false all-clear: the one "
        "statement it could not parse may be the one that causes the outage. Every file guardrails "
        "could not read or parse is reported at the place it failed, and the other files are still "
        "checked. The default severity is warning so that a parser gap in guardrails never blocks "
        "a merge on its own; raise it to error to insist on parseable input."
    ),
    bad="INSERT INTO t VALUES (1;",
    good="INSERT INTO t VALUES (1);",
    input="sql",
    units=(SqlStatement,),
    check=check,
)
