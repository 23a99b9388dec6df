"""pr-explain: every query a pull request adds comes with its EXPLAIN output in the description.

The exact semantics are in DETAILS, which `guardrails rules ID` renders.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from guardrails.findings import Finding, Location, Severity, Value
from guardrails.github.pull_request import PullRequest
from guardrails.rules import Rule, RuleContext

if TYPE_CHECKING:
    from guardrails.github.new_queries import NewQuery

MAX_SQL_IN_MESSAGE = 600  # the whole statement is in the finding's extra["explain"]

DETAILS = """\
A new query (present in the head, absent from the base, by normalised
fingerprint) must be covered by one EXPLAIN pasted in the description whose
tables include all of the query's tables (a plan shows aliases, so an alias
counts for its table). ``guardrails:no-explain TABLE-or-FINGERPRINT reason``
in the description waives a table or one query. The finding sits on the
query's line and gives the EXPLAIN statement to run.
"""


def check(unit: PullRequest, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.github.explain_text import read_description

    if unit.base is None:
        yield ctx.finding(
            Location(""),
            "no base to compare with: run with --base REF to find the queries this pull request adds",
        )
        return
    description = read_description(unit.body)
    for waiver in description.unreasoned:
        yield ctx.finding(
            Location(""),
            f"`guardrails:no-explain {waiver.target}` (description line {waiver.line}) has no reason: waives nothing",
        )
    waived = {w.target.rsplit(".", 1)[-1] for w in description.waivers}
    waived |= {w.target for w in description.waivers}
    plans = [e.tables for e in description.explains]
    for query in unit.new_queries:
        tables = query.tables
        if tables is None or query.fingerprint in waived:
            continue
        required = {name: names for name, names in tables.items() if name not in waived}
        missing = _missing(required, plans)
        if not missing:
            continue
        yield _finding(ctx, query, sorted(tables), missing, bool(plans), unit.origin)


def _missing(required: dict[str, frozenset[str]], plans: list[frozenset[str]]) -> list[str]:
    """The required tables the best-matching single EXPLAIN does not show."""
    best: list[str] = sorted(required)
    for shown in plans:
        missing = sorted(name for name, names in required.items() if not names & shown)
        if len(missing) < len(best):
            best = missing
    return best


def _finding(
    ctx: RuleContext,
    query: NewQuery,
    tables: list[str],
    missing: list[str],
    any_plan: bool,
    origin: str,
) -> Finding:
    from guardrails.sql.fingerprint import has_placeholders

    statement = query.statement
    explain = f"EXPLAIN {query.one_line}"
    shown = explain if len(explain) <= MAX_SQL_IN_MESSAGE else explain[:MAX_SQL_IN_MESSAGE] + " …"
    why = f"no EXPLAIN there shows {', '.join(missing)}" if any_plan else "no EXPLAIN output"
    message = f"new query on {', '.join(tables)}, {why} in {origin}"
    location = statement.location()
    properties: dict[str, Value] = {
        "explain": shown,
        "query_fingerprint": query.fingerprint,
        "missing_tables": missing,
        "placeholders": has_placeholders(statement.text),
    }
    return ctx.finding(
        location,
        message,
        properties=properties,
        explain=explain,
        query_fingerprint=query.fingerprint,
        missing_tables=",".join(missing),
        statement_line=str(location.line),
    )


RULE: Rule[PullRequest] = Rule(
    id="pr-explain",
    summary="a pull request adds queries whose EXPLAIN output is not in its description",
    severity=Severity.ERROR,
    incident=(
        "A new query reached production without anyone looking at its plan, and a full table scan "
        "took the database down at peak. The team's pull-request template now asks for the EXPLAIN "
        "of every new query; this rule checks that each query the pull request adds (in .sql files "
        "or in application code) has its plan pasted in the description, in any form the mysql or "
        "mariadb client prints, and gives the EXPLAIN to run when it is missing."
    ),
    bad=(
        "-- db/queries/report.sql, added by the pull request\n"
        "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id\n"
        "WHERE o.status = 'paid';\n"
        '-- description: "Adds the paid-orders report." (no plan)'
    ),
    good=(
        "-- description:\n"
        "-- +----+-------------+-------+------+---------------+----------+...\n"
        "-- | id | select_type | table | type | possible_keys | key      |...\n"
        "-- |  1 | SIMPLE      | o     | ref  | status_idx    | status_idx |...\n"
        "-- |  1 | SIMPLE      | u     | eq_ref | PRIMARY     | PRIMARY  |...\n"
        "-- or, for a query whose plan is not worth reading:\n"
        "-- guardrails:no-explain audit_log append-only table, never read by this service"
    ),
    input="pull_request",
    check=check,
    help=(
        "A query reviewed without its plan can reach production doing full scans or filesorts. "
        "Run the statement in the finding's `explain` property against a copy of the data "
        "(`guardrails explain --base REF` prints them all; put realistic values in place of "
        "placeholders) and paste the output into the description, or waive it there with "
        "`guardrails:no-explain TABLE-or-FINGERPRINT reason`, e.g. `guardrails:no-explain audit_log "
        "append-only, read by primary key`."
    ),
    details=DETAILS,
    properties={
        "explain": "the EXPLAIN statement to run",
        "query_fingerprint": "the normalised query's fingerprint, for a waiver",
        "missing_tables": "the tables no pasted EXPLAIN shows",
        "placeholders": "whether the query has placeholders to fill with realistic values",
    },
)
