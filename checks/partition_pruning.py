"""partition-pruning: a query on a partitioned table that reads every partition.

The exact semantics are in DETAILS, which `guardrails rules ID` renders.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from guardrails.findings import Finding, Severity
from guardrails.rules import Rule, RuleContext
from guardrails.sql.settings import SqlSettings
from guardrails.sql.statement import Completion, SqlStatement

if TYPE_CHECKING:
    from guardrails.sql.schema import Schema

_VERB = {
    "Select": "query",
    "Union": "query",
    "Update": "UPDATE",
    "Delete": "DELETE",
    "Insert": "INSERT ... SELECT",
}

DETAILS = """\
Static mode (the default) decides from the schema model (``sql.schema`` DDL, or
information_schema with ``database.dsn``) and the statement's conditions, by
the MySQL manual's pruning rules (see guardrails/sql/pruning.py). Live mode
asks the database: EXPLAIN of the statement, flagged when the plan reads every
partition of a table that has more than one. ``both`` runs the two, one finding per place.

A query in Go, Python or PHP code is judged as the code finishes it: the variable that
holds the literal is followed through its function, and through the callers in the same
file when the function returns it (three levels up); in Python, a module-level constant
(a name the module assigns once) is followed into every function of the file that reads
it. Text appended in the same block
(``sql += " AND ..."``, ``sql = sql + ...``, ``sql = f"{sql} ..."``, ``$sql .= ...``,
``q = q + ...``) is part of the query judged; each way to a call that runs it (a name such
as query, exec, execute, prepare, fetch..., select, get) is judged on its own. Where the
text leaves what the file shows (returned to code outside the file, passed to another
call, stored in a field, appended to under a condition or with a value not written there),
what is known is only a ``notice`` that says where (property ``open_at``). Other languages:
a literal appended to later in its function is such a notice.

Options: ``mode`` is ``static`` (default: needs no database), ``live`` (only
with ``database.dsn``; nothing without one) or ``both`` (the database's verdict
where it explains the statement, the static one where it cannot).

With no partitioned table in the schema (no ``sql.schema``, say) or, in live mode,
no database, there is nothing to judge: the run says so once, as a note.
"""


def check(unit: SqlStatement, ctx: RuleContext) -> Iterator[Finding]:
    mode = ctx.options.get("mode", "static")
    if mode in ("live", "both") and SqlSettings.of(ctx.config).dsn:
        from guardrails.mysql.live import explain_statement, live_partition_findings

        if explain_statement(unit, ctx) is not None:
            # the database answered for this statement: its verdict wins, one finding per place
            yield from live_partition_findings(unit, ctx)
            return
    elif mode == "live":
        ctx.nothing_to_check("mode live needs a database to EXPLAIN against (database.dsn is not set)")
    if mode in ("static", "both"):
        yield from _static(unit, ctx)


def _static(unit: SqlStatement, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.sql.schema_source import load_schema

    schema = load_schema(ctx.workspace, ctx.config, ctx.state)
    if not any(True for _ in schema.partitioned_tables()):
        ctx.nothing_to_check(_no_partitioned_table(ctx))
        return
    # MariaDB (10.11, measured) does not prune through a const table; MySQL does
    const_tables = not SqlSettings.of(ctx.config).server.lower().startswith("mariadb")
    # each way the code finishes the query (its appends here or in a caller) is judged; one
    # finding per place, the query run as assembled before one still open
    ways = sorted(unit.completions or [Completion(unit)], key=lambda c: bool(c.open_at))
    seen: set[tuple[int, int]] = set()
    for way in ways:
        yield from _judge(unit, way, schema, const_tables, seen, ctx)


def _judge(
    unit: SqlStatement,
    way: Completion,
    schema: Schema,
    const_tables: bool,
    seen: set[tuple[int, int]],
    ctx: RuleContext,
) -> Iterator[Finding]:
    from guardrails.sql.pruning import analyse, reference_location
    from guardrails.sql.statement import SqlParseError

    statement = way.statement
    try:
        parsed = statement.parse()
    except SqlParseError:
        return  # reported as parse-error by the engine; nothing to claim here
    verb = _VERB.get(type(parsed.expression).__name__, "statement")
    statement_line = str(unit.positions(0)[0])
    for verdict in analyse(parsed.expression, schema, const_tables):
        location = reference_location(statement, verdict.reference)
        if verdict.prunable or (location.line, location.column) in seen:
            continue
        seen.add((location.line, location.column))
        table = verdict.table
        partitioning = table.partitioning
        assert partitioning is not None
        count = f"{partitioning.count} partitions" if partitioning.count > 1 else "partitions"
        message = f"{verb} reads all {count} of {table.qualified_name}: {verdict.reason}"
        extra = {}
        properties = {
            "table": table.qualified_name,
            "partitioning": partitioning.describe(),
            "advice": f"To prune, {verdict.advice}.",
        }
        if way.open_at:
            # the condition that prunes may be added where this file no longer shows the text
            message = f"{verb} reads all {count} of {table.qualified_name} so far; still open: {way.open_at}"
            extra["at_most"] = "notice"
            properties["open_at"] = way.open_at
        yield ctx.finding(
            location,
            message,
            properties=properties,
            statement_line=statement_line,
            table=table.qualified_name,
            **extra,
        )


def _no_partitioned_table(ctx: RuleContext) -> str:
    settings = SqlSettings.of(ctx.config)
    if settings.dsn:
        return "the database's schema (database.dsn) has no partitioned table"
    if not settings.schema:
        return "no schema to judge queries against (set sql.schema to your tables' DDL, or database.dsn)"
    return "no partitioned table (PARTITION BY) in the DDL of sql.schema"


HELP = (
    "A statement that cannot prune reads every partition: fine on small data, it becomes the slow "
    "query that takes the database down as the table grows. Constrain the partitioning column "
    "itself, not wrapped in a function: a constant equality, an IN list or, for RANGE and LIST "
    "partitions, a range. The finding's `advice` property says how for that statement."
)
PROPERTIES = {
    "table": "the partitioned table, as schema.table",
    "partitioning": "how it is partitioned (e.g. RANGE (TO_DAYS(created_at)))",
    "advice": "how to make this statement prune",
    "open_at": "for a query in code that is still open: where it leaves what the file shows",
}

RULE: Rule[SqlStatement] = Rule(
    id="partition-pruning",
    summary="A SELECT/UPDATE/DELETE on a partitioned table whose WHERE cannot prune partitions",
    severity=Severity.ERROR,
    incident=(
        "A query on a partitioned table whose WHERE clause does not constrain the partitioning "
        "column, or wraps it in a function, reads every partition. It passes review, works on "
        "small data, and years later becomes the slow query that takes the database down. The "
        "team's measure: find and fix every query where partition pruning does not work, in .sql "
        "files and in application code, from the schema statically and, with a database, from "
        "EXPLAIN."
    ),
    bad=("-- orders: PARTITION BY RANGE (TO_DAYS(created_at))\nSELECT * FROM orders WHERE DATE(created_at) = ?;"),
    good=(
        "-- orders: PARTITION BY RANGE (TO_DAYS(created_at))\n"
        "SELECT * FROM orders WHERE created_at >= ? AND created_at < ? + INTERVAL 1 DAY;"
    ),
    input="sql",
    units=(SqlStatement,),
    check=check,
    help=HELP,
    details=DETAILS,
    properties=PROPERTIES,
    options={
        "mode": {
            "enum": ["static", "live", "both"],
            "default": "static",
            "description": "static: from the schema model; live: EXPLAIN against database.dsn; "
            "both: the database's verdict where it explains the statement, else the static one",
        }
    },
)
