"""explain-plan: with a database, flag plans that scan, sort or materialise more than they should.

The exact semantics are in DETAILS, which `guardrails rules ID` renders.
"""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Severity
from guardrails.rules import Rule, RuleContext
from guardrails.sql.settings import SqlSettings
from guardrails.sql.statement import SqlStatement

DETAILS = """\
Runs only with ``database.dsn`` set: each SELECT, UPDATE, DELETE and INSERT ...
SELECT is sent as EXPLAIN (never executed) through the safe runner
(guardrails/mysql/runner.py), placeholders filled with values typed from the
schema. Flags access type ALL on a table estimated over ``min_rows`` rows
(saying whether an index was possible at all), ``Using filesort``, ``Using
temporary`` and an estimate over ``max_rows``. Thresholds can be set per table
under ``tables``. Row estimates come from the database's statistics: against an
empty scratch database (``guardrails db apply-schema``) only filesort and
temporary tables show; point the DSN at a copy with realistic data for the rest.
Without a DSN the run says once, as a note, that the rule had nothing to check.
"""


def check(unit: SqlStatement, ctx: RuleContext) -> Iterator[Finding]:
    if not SqlSettings.of(ctx.config).dsn:
        ctx.nothing_to_check("no database to EXPLAIN against (database.dsn is not set)")
        return
    from guardrails.mysql.live import explain_plan_findings

    yield from explain_plan_findings(unit, ctx)


_LIMITS = {
    "min_rows": {
        "type": "integer",
        "minimum": 0,
        "default": 1000,
        "description": "flag a full scan (type ALL) of a table estimated over this many rows",
    },
    "max_rows": {
        "type": ["integer", "null"],
        "minimum": 0,
        "default": None,
        "description": "flag a table read whose row estimate is over this (null: no limit)",
    },
    "filesort": {"type": "boolean", "default": True, "description": "flag Using filesort"},
    "temporary": {"type": "boolean", "default": True, "description": "flag Using temporary"},
}

RULE: Rule[SqlStatement] = Rule(
    id="explain-plan",
    summary="With a database: full scans, filesort, temporary tables, row estimates over a limit",
    severity=Severity.WARNING,
    incident=(
        "Queries that read whole tables, sort every matching row or build temporary tables pass "
        "review and are fast on a developer's data; in production the table grows and the same "
        "query saturates the database. Incident reviews kept finding the EXPLAIN nobody ran. This "
        "rule runs it on every pull request, on the repository's own schema, and flags the plan "
        "shapes that become incidents."
    ),
    bad="SELECT * FROM orders WHERE customer_email = ? ORDER BY created_at;  -- no index on either",
    good=(
        "CREATE INDEX orders_email_created ON orders (customer_email, created_at);\n"
        "SELECT * FROM orders WHERE customer_email = ? ORDER BY created_at;"
    ),
    input="sql",
    units=(SqlStatement,),
    check=check,
    help=(
        "A plan that scans, sorts or materialises every row passes review on small data and "
        "becomes the slow query later. Each finding's `advice` property says what to change "
        "(an index, a selective condition on the bare column, pagination); limits are the rule's "
        "options, per table under `tables`."
    ),
    details=DETAILS,
    properties={
        "table": "the table of the plan row",
        "rows": "the optimizer's row estimate for it",
        "advice": "what to change",
    },
    recommended=False,  # needs database.dsn; turn it on where CI has a database
    options={
        **_LIMITS,
        "tables": {
            "type": "object",
            "default": {},
            "description": "per-table thresholds, e.g. {audit_log: {min_rows: 100000}}",
            "additionalProperties": {
                "type": "object",
                "properties": _LIMITS,
                "additionalProperties": False,
            },
        },
    },
)
