"""Can MySQL prune partitions for this statement? A static verdict per partitioned table read.

The rules follow the MySQL reference manual, "Partition Pruning": the optimizer
prunes when the conditions on a table reduce its partitioning column(s) to
constants or ranges of constants *before* the query runs.

- Equality, ``IN`` lists and ``IS NULL`` on the column prune every kind; for
  HASH and KEY over several columns, every column needs one.
- ``<``, ``<=``, ``>``, ``>=`` and ``BETWEEN`` prune RANGE and LIST (on the bare
  column or through YEAR(), TO_DAYS(), TO_SECONDS() or UNIX_TIMESTAMP(), which
  the optimizer knows to be monotonic) and RANGE/LIST COLUMNS on the first column.
- Constants are literals, placeholders and expressions of them (``NOW() -
  INTERVAL 1 DAY``); another table's column is not, so a join condition alone
  cannot prune.
- ``AND`` prunes if one conjunct does; ``OR`` only if every branch does.
- The column must be bare: ``DATE(created_at) = ?`` or ``created_at + INTERVAL
  1 DAY > ?`` hide it from the optimizer.
- An explicit ``PARTITION (p0, ...)`` selection is pruning by hand.

Statements are followed through aliases, joins, derived tables, CTEs, UNION
branches and subqueries; conditions on a derived table or CTE are carried
into its body as the optimizer's derived-condition pushdown does. Tables the
schema does not know are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from guardrails.findings import Location
from guardrails.sql.pruning_conditions import (
    Binding,
    advice,
    columns_text,
    conjuncts,
    evaluate,
    fetched_by_primary_key,
)
from guardrails.sql.schema import Schema, Table
from guardrails.sql.statement import SqlStatement


@dataclass
class PruningVerdict:
    table: Table
    reference: exp.Table  # the table as the statement names it (for the finding's position)
    prunable: bool
    reason: str  # why it can or cannot prune, in words for the message
    advice: str = ""  # what to add, when it cannot


def analyse(expression: exp.Expr, schema: Schema, const_tables: bool = True) -> list[PruningVerdict]:
    """Verdicts for every partitioned table a SELECT, UPDATE, DELETE or INSERT ... SELECT reads.
    ``const_tables``: a table joined by its whole primary key counts as constants (MySQL; not
    MariaDB, whose EXPLAIN PARTITIONS still reads every partition then)."""
    verdicts: list[PruningVerdict] = []
    ctes = {cte.alias_or_name.lower(): cte for cte in expression.find_all(exp.CTE)}
    walker = _Walker(schema, ctes, verdicts, const_tables)
    if isinstance(expression, exp.Insert):
        query = expression.expression
        if isinstance(query, exp.Query):
            walker.query(query, [])
    elif isinstance(expression, (exp.Query, exp.Update, exp.Delete)):
        walker.query(expression, [])
    return verdicts


class _Walker:
    def __init__(
        self, schema: Schema, ctes: dict[str, exp.CTE], out: list[PruningVerdict], const_tables: bool = True
    ) -> None:
        self.const_tables = const_tables
        self.schema = schema
        self.ctes = ctes
        self.out = out
        self.depth = 0
        self.expanding: set[int] = set()

    def query(self, node: exp.Expr, pushed: list[exp.Expr]) -> None:
        self.depth += 1
        try:
            if self.depth > 100:  # absurd nesting: give up quietly rather than recurse away
                return
            if isinstance(node, exp.Subquery):
                self.query(node.this, pushed)
            elif isinstance(node, exp.SetOperation):
                self.query(node.this, pushed)
                self.query(node.expression, pushed)
            elif isinstance(node, (exp.Select, exp.Update, exp.Delete)):
                self.block(node, pushed)
        finally:
            self.depth -= 1

    def block(self, node: exp.Expr, pushed: list[exp.Expr]) -> None:
        sources = _sources(node)
        names = {name for name, _, _ in sources}
        where = node.args.get("where")
        shared = [*pushed, *(conjuncts(where.this) if where is not None else [])]
        for _, _, join in sources:
            if join is not None and not join.args.get("side") and join.args.get("on") is not None:
                shared.extend(conjuncts(join.args["on"]))
        constants = self._const_tables(sources, names, shared)
        for name, source, join in sources:
            conditions = list(shared)
            if join is not None and join.args.get("side") and join.args.get("on") is not None:
                conditions.extend(conjuncts(join.args["on"]))
            if isinstance(source, exp.Table) and not source.db and source.name.lower() in self.ctes:
                cte = self.ctes[source.name.lower()]
                if id(cte) not in self.expanding:  # a recursive CTE's reference to itself
                    self.expanding.add(id(cte))
                    self.query(cte.this, _push(conditions, name, cte.this))
                    self.expanding.discard(id(cte))
            elif isinstance(source, exp.Table):
                self.table(source, name, names - {name}, conditions, where is not None, constants - {name})
            elif isinstance(source, exp.Subquery):
                self.query(source.this, _push(conditions, name, source.this))
        for nested in _nested_queries(node, sources):
            self.query(nested, [])

    def _const_tables(
        self, sources: list[tuple[str, exp.Expr, exp.Join | None]], names: set[str], shared: list[exp.Expr]
    ) -> set[str]:
        """The sources of an inner join fetched by their whole primary key (the optimizer's
        const tables): on MySQL a join to one prunes like a constant."""
        found: set[str] = set()
        if not self.const_tables:
            return found
        for name, source, join in sources:
            if not isinstance(source, exp.Table) or (join is not None and join.args.get("side")):
                continue
            table = self.schema.lookup(source.name, source.db)
            if table is not None and table.primary_key:
                binding = Binding(table, name, list(table.primary_key), names - {name})
                if fetched_by_primary_key(shared, binding):
                    found.add(name)
        return found

    def table(
        self,
        ref: exp.Table,
        name: str,
        others: set[str],
        conditions: list[exp.Expr],
        has_where: bool,
        constants: set[str],
    ) -> None:
        table = self.schema.lookup(ref.name, ref.db)
        if table is None or not table.partitioned or table.partitioning is None:
            return
        partitioning = table.partitioning
        selection = ref.args.get("partition")
        if selection is not None:
            picked = ", ".join(e.name for e in selection.expressions)
            self.out.append(PruningVerdict(table, ref, True, f"it selects PARTITION ({picked}) explicitly"))
            return
        binding = Binding(table, name, list(partitioning.columns), others - constants, constants)
        prunable, reason = evaluate(conditions, binding) if conditions else (False, "")
        if not reason:
            reason = (
                "the query reading it has no WHERE clause"
                if not has_where and not conditions
                else (f"no condition restricts {columns_text(binding)}")
            )
        self.out.append(PruningVerdict(table, ref, prunable, reason, "" if prunable else advice(table)))


def reference_location(statement: SqlStatement, reference: exp.Table) -> Location:
    """Where the statement names the table (``db.name`` included); the statement's start if
    the parser kept no position."""
    parts = [p for p in (reference.args.get("db"), reference.this) if isinstance(p, exp.Expr)]
    starts = [p.meta["start"] for p in parts if "start" in p.meta]
    ends = [p.meta["end"] for p in parts if "end" in p.meta]
    if starts and ends:
        return statement.location(min(starts), max(ends) + 1)
    return statement.location(0, 0)


def _sources(node: exp.Expr) -> list[tuple[str, exp.Expr, exp.Join | None]]:
    """(lower-case name, table or subquery, its join) for each FROM/JOIN source of a block."""
    items: list[tuple[exp.Expr, exp.Join | None]] = []
    if isinstance(node, (exp.Update, exp.Delete)):
        # sqlglot hangs UPDATE and DELETE joins on the first table; DELETE ... USING lists them
        using = node.args.get("using")
        for first in using if isinstance(using, list) else [node.this]:
            if isinstance(first, exp.Expr):
                items.append((first, None))
                items.extend((j.this, j) for j in first.args.get("joins") or [])
    else:
        first = node.args.get("from_") or node.args.get("from")
        if isinstance(first, exp.From):
            items.append((first.this, None))
            items.extend((e, None) for e in first.expressions)
        items.extend((j.this, j) for j in node.args.get("joins") or [])
    return [
        (item.alias_or_name.lower(), item, join) for item, join in items if isinstance(item, (exp.Table, exp.Subquery))
    ]


def _nested_queries(node: exp.Expr, sources: list[tuple[str, exp.Expr, exp.Join | None]]) -> list[exp.Expr]:
    """Subqueries in the block's conditions, select list and join conditions (not its sources)."""
    skip = {"from_", "from", "with", "with_", "joins", "using", "tables"}
    if isinstance(node, (exp.Update, exp.Delete)):
        skip.add("this")
    roots: list[exp.Expr] = []
    for key, value in node.args.items():
        if key not in skip and value is not None:
            roots.extend(c for c in (value if isinstance(value, list) else [value]) if isinstance(c, exp.Expr))
    roots.extend(j.args["on"] for _, _, j in sources if j is not None and j.args.get("on") is not None)
    return [q for root in roots for q in root.find_all(exp.Select, exp.SetOperation) if _top(q, root)]


def _top(query: exp.Expr, root: exp.Expr) -> bool:
    """True if no other query lies between ``root`` and ``query``."""
    parent = query.parent
    while parent is not None and parent is not root:
        if isinstance(parent, (exp.Select, exp.SetOperation)):
            return False
        parent = parent.parent
    return True


def _push(conditions: list[exp.Expr], name: str, body: exp.Expr) -> list[exp.Expr]:
    """Outer conditions on derived table/CTE ``name``, rewritten in terms of its body.

    Like MySQL's derived-condition pushdown: a conjunct that reads only the
    derived table's columns moves inside, each column replaced by the
    expression the body selects for it. Bodies with LIMIT or window functions
    keep their conditions outside (pushing would change the result).
    """
    selects = [body] if isinstance(body, exp.Select) else list(body.find_all(exp.Select))
    if not selects or any(s.args.get("limit") or s.find(exp.Window) for s in selects):
        return []
    first = selects[0]
    mapping: dict[str, exp.Expr] = {}
    star = False
    for projection in first.expressions:
        if isinstance(projection, exp.Star) or (isinstance(projection, exp.Column) and projection.is_star):
            star = True
        elif projection.alias_or_name:
            mapping[projection.alias_or_name.lower()] = projection.unalias()
    pushed = []
    for condition in conditions:
        columns = list(condition.find_all(exp.Column))
        if not columns or any(c.table.lower() not in ("", name) for c in columns):
            continue
        if any(c.name.lower() not in mapping and not star for c in columns):
            continue
        rewritten = condition.copy()
        for column in list(rewritten.find_all(exp.Column)):
            inner = mapping.get(column.name.lower())
            column.replace(inner.copy() if inner is not None else exp.column(column.name))
        if any(isinstance(e, exp.AggFunc) for e in rewritten.find_all(exp.AggFunc)):
            continue
        pushed.append(rewritten)
    return pushed
