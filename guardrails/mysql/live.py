"""Live checks: EXPLAIN each statement on the configured database and judge the plan.

``live_partition_findings`` (partition-pruning, ``mode: live|both``) flags a
statement whose plan reads every partition of a table that has more than one;
``explain_plan_findings`` (explain-plan) flags full scans of big tables,
filesort, temporary tables and row estimates over a limit. Both share one
runner and one EXPLAIN per statement text for the whole run (kept in the
run's state). A database that cannot be reached is reported once, as the
rule's internal error with the password masked, and the live checks stop; so is
a run whose live checks outlast ``database.time_budget_s`` (each statement has
its own server-side limit besides).
"""

from __future__ import annotations

import atexit
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from guardrails.findings import Finding
from guardrails.rules import RuleContext
from guardrails.sql.settings import SqlSettings
from guardrails.state import StateKey


@dataclass
class _Live:
    """This run's connection (None until made, or after it failed) and plans by statement text."""

    runner: Any = None
    failed: bool = False
    plans: dict[str, Explained | None] = field(default_factory=dict)
    deadline: float = 0.0  # time.monotonic() after which no further EXPLAIN is sent


_LIVE: StateKey[_Live] = StateKey("mysql.live")
# Statements worth explaining; INSERT ... VALUES reads nothing.
_READING = ("Select", "Union", "Intersect", "Except", "Update", "Delete", "Insert")


@dataclass(frozen=True)
class Explained:
    plan: Any  # guardrails.mysql.runner.Plan
    tree: Any  # the statement's sqlglot expression (for aliases and positions)


def live_partition_findings(unit: Any, ctx: RuleContext) -> Iterator[Finding]:
    """partition-pruning's live half: EXPLAIN shows every partition of a table read."""
    from guardrails.sql.pruning import reference_location
    from guardrails.sql.schema_source import load_schema

    explained = explain_statement(unit, ctx)
    if explained is None:
        return
    schema = load_schema(ctx.workspace, ctx.config, ctx.state)
    line = str(unit.positions(0)[0])
    for row in explained.plan.rows:
        if not row.partitions or row.table is None:
            continue
        reference = _reference(explained.tree, row.table)
        if reference is None:
            continue  # <derived2>, <union1,2>: the underlying table has its own row
        table = schema.lookup(reference.name, reference.db)
        if table is None or table.partitioning is None:
            continue
        total = len(table.partitioning.partitions)
        if total <= 1 or len(partitions_read(table.partitioning, row.partitions)) < total:
            continue
        yield ctx.finding(
            reference_location(unit, reference),
            f"EXPLAIN: reads all {total} partitions of {table.qualified_name}; no condition prunes them",
            properties={
                "table": table.qualified_name,
                "partitioning": table.partitioning.describe(),
                "advice": f"Constrain {_columns(table.partitioning)} with a constant equality, IN list or "
                "(for RANGE/LIST) a range on the bare column.",
            },
            statement_line=line,
            table=table.qualified_name,
            partitions=",".join(row.partitions),
        )


def explain_statement(unit: Any, ctx: RuleContext) -> Explained | None:
    """EXPLAIN of the statement with placeholders filled, shared between rules; None if not
    possible."""
    from guardrails.mysql.placeholders import fill_placeholders
    from guardrails.mysql.runner import DatabaseError, Refused
    from guardrails.sql.schema_source import load_schema
    from guardrails.sql.statement import SqlParseError, SqlStatement

    if not isinstance(unit, SqlStatement):
        return None
    try:
        tree = unit.parse().expression
    except SqlParseError:
        return None
    kind = type(tree).__name__
    if kind not in _READING or (kind == "Insert" and not _inserts_a_select(tree)):
        return None
    runner = _runner(ctx)
    if runner is None:
        return None
    live = ctx.state.get(_LIVE, _Live)
    plans = live.plans
    if unit.text in plans:
        return plans[unit.text]
    if time.monotonic() > live.deadline:
        # Said once (exit 2): the statements after this one were not checked live.
        live.failed = True
        budget = SqlSettings.of(ctx.config).time_budget_s
        raise LiveDatabaseError(
            f"live checks stopped at {unit.path}:{unit.positions(0)[0]}: the run's budget of {budget:g} s"
            " (database.time_budget_s) is spent; the statements after it were not explained"
        )
    explained: Explained | None = None
    try:
        sql = fill_placeholders(unit.text, load_schema(ctx.workspace, ctx.config, ctx.state))
        explained = Explained(runner.explain(sql), tree)
    except (Refused, DatabaseError):
        # Refused: not a statement the runner sends (reported nowhere: the static
        # rules still judge it). DatabaseError: e.g. a table this database lacks.
        explained = None
    plans[unit.text] = explained
    return explained


def explain_plan_findings(unit: Any, ctx: RuleContext) -> Iterator[Finding]:
    """explain-plan: full scans of big tables, filesort, temporary tables, too many rows."""
    from guardrails.sql.pruning import reference_location

    explained = explain_statement(unit, ctx)
    if explained is None:
        return
    line = str(unit.positions(0)[0])
    options = ctx.options
    per_table: Mapping[str, Any] = options.get("tables") or {}
    for row in explained.plan.rows:
        reference = _reference(explained.tree, row.table) if row.table else None
        name = reference.name if reference is not None else (row.table or "")
        limits = {**options, **(per_table.get(name) or per_table.get(name.lower()) or {})}
        location = reference_location(unit, reference) if reference is not None else unit.location(0, 0)
        rows = row.rows or 0
        for problem, advice in _problems(row, rows, limits, name):
            properties = {"table": name, "rows": rows, "advice": advice}
            yield ctx.finding(location, problem, properties=properties, statement_line=line, table=name)


def _problems(row: Any, rows: int, limits: Mapping[str, Any], name: str) -> Iterator[tuple[str, str]]:
    """(message, advice) for each problem of one plan row."""
    min_rows = int(limits.get("min_rows", 1000))
    max_rows = limits.get("max_rows")
    if row.access_type == "ALL" and rows > min_rows:
        if not row.possible_keys:
            yield (
                f"full table scan of {name} (about {rows} rows): no usable index",
                "EXPLAIN's access type is ALL and possible_keys is empty. Add an index on the columns "
                "the WHERE or JOIN condition filters on, or filter on an indexed column.",
            )
        else:
            yield (
                f"full table scan of {name} (about {rows} rows) although {', '.join(row.possible_keys)} could serve",
                "The condition is not selective enough or wraps the indexed column. Make it "
                "selective on the bare column.",
            )
    extras = row.extras
    if limits.get("filesort", True) and "Using filesort" in extras:
        yield (
            f"filesort on {name} (Using filesort): the ORDER BY or GROUP BY follows no index",
            "Every matching row is sorted per query. Add an index whose columns match the ORDER BY "
            "after the equality columns.",
        )
    if limits.get("temporary", True) and "Using temporary" in extras:
        yield (
            f"temporary table for {name} (Using temporary)",
            "GROUP BY, DISTINCT or UNION on columns without a suitable index materialises the rows "
            "per query. Group on indexed columns or pre-aggregate.",
        )
    if max_rows is not None and rows > int(max_rows):
        yield (
            f"about {rows} rows read from {name}, over the max_rows limit of {int(max_rows)}",
            "The limit is the rule's max_rows option. Narrow the condition or paginate.",
        )


# -- helpers ------------------------------------------------------------------------------------
def _runner(ctx: RuleContext) -> Any:
    from guardrails.mysql.runner import DatabaseError, ExplainRunner

    live = ctx.state.get(_LIVE, _Live)
    if live.failed:
        return None
    if live.runner is not None:
        return live.runner
    dsn = SqlSettings.of(ctx.config).dsn
    if not dsn:
        return None
    try:
        runner = ExplainRunner(dsn)
        _ = runner.server  # connects now, so a bad DSN fails once, here
    except (DatabaseError, ValueError) as exc:
        live.failed = True
        # The engine reports it once, as this rule's error (exit 2); the message is redacted.
        raise LiveDatabaseError(f"live checks are off for this run: {exc}") from None
    atexit.register(runner.close)
    live.runner = runner
    live.deadline = time.monotonic() + SqlSettings.of(ctx.config).time_budget_s
    return runner


class LiveDatabaseError(RuntimeError):
    """The configured database cannot be used (message already redacted)."""


def _inserts_a_select(tree: Any) -> bool:
    from sqlglot import exp

    return isinstance(tree.expression, exp.Query)


def _reference(tree: Any, name: str) -> Any:
    """The table reference EXPLAIN's ``table`` column names (an alias or a table name)."""
    from sqlglot import exp

    wanted = name.lower()
    for table in tree.find_all(exp.Table):
        if (table.alias_or_name or "").lower() == wanted and table.name:
            return table
    return None


def partitions_read(partitioning: Any, listed: list[str]) -> set[str]:
    """The top-level partitions an EXPLAIN ``partitions`` list touches.

    Subpartitions are listed as ``p0_p0sp1``; reading one subpartition of every
    partition still reads every partition (HASH subpartition pruning only
    divides the work), so pruning is judged at the partition level.
    """
    owner = {f"{p.name}_{sub}".lower(): p.name for p in partitioning.partitions for sub in p.subpartitions}
    owner.update({p.name.lower(): p.name for p in partitioning.partitions})
    return {owner.get(name.lower(), name) for name in listed}


def _columns(partitioning: Any) -> str:
    columns = ", ".join(partitioning.columns)
    return columns if len(partitioning.columns) == 1 else f"({columns})"
