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

from dataclasses import dataclass, field

from sqlglot import exp

from guardrails.sql.schema import (
    HASH,
    KEY,
    LINEAR_HASH,
    LINEAR_KEY,
    LIST_COLUMNS,
    RANGE_COLUMNS,
    Schema,
    Table,
)

MONOTONIC = frozenset({"YEAR", "TO_DAYS", "TO_SECONDS", "UNIX_TIMESTAMP"})
HASHED = (HASH, LINEAR_HASH, KEY, LINEAR_KEY)
_VOLATILE = frozenset({"RAND", "UUID", "UUID_SHORT", "SLEEP", "LAST_INSERT_ID", "FOUND_ROWS"})
_RANGE_OPS = (exp.GT, exp.GTE, exp.LT, exp.LTE)
_EQ_OPS = (exp.EQ, exp.NullSafeEQ)


@dataclass
class PruningVerdict:
    table: Table
    reference: exp.Table  # the table as the statement names it (for the finding's position)
    prunable: bool
    reason: str  # why it can or cannot prune, in words for the message
    advice: str = ""  # what to add, when it cannot


@dataclass
class _Binding:
    """One base table in one query block, and how the block's conditions name it."""

    table: Table
    alias: str  # lower-case name the block uses for it
    own: list[str] = field(default_factory=list)  # lower-case partition columns
    others: set[str] = field(default_factory=set)  # the other sources' names in the block


def analyse(expression: exp.Expr, schema: Schema) -> list[PruningVerdict]:
    """Verdicts for every partitioned table a SELECT, UPDATE, DELETE or INSERT ... SELECT reads."""
    verdicts: list[PruningVerdict] = []
    ctes = {cte.alias_or_name.lower(): cte for cte in expression.find_all(exp.CTE)}
    walker = _Walker(schema, ctes, verdicts)
    if isinstance(expression, exp.Insert):
        query = expression.expression
        if isinstance(query, exp.Query):
            walker.query(query, [])
    elif isinstance(expression, (exp.Query, exp.Update, exp.Delete)):
        walker.query(expression, [])
    return verdicts


class _Walker:
    def __init__(self, schema: Schema, ctes: dict[str, exp.CTE], out: list[PruningVerdict]) -> None:
        self.schema = schema
        self.ctes = ctes
        self.out = out
        self.depth = 0

    def query(self, node: exp.Expr, pushed: list[exp.Expr]) -> None:
        self.depth += 1
        try:
            if self.depth > 50:  # a CTE that names itself (recursive CTEs) or absurd nesting
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
        shared = [*pushed, *(_conjuncts(where.this) if where is not None else [])]
        for _, _, join in sources:
            if join is not None and not join.args.get("side") and join.args.get("on") is not None:
                shared.extend(_conjuncts(join.args["on"]))
        for name, source, join in sources:
            conditions = list(shared)
            if join is not None and join.args.get("side") and join.args.get("on") is not None:
                conditions.extend(_conjuncts(join.args["on"]))
            if isinstance(source, exp.Table) and not source.db and source.name.lower() in self.ctes:
                cte = self.ctes[source.name.lower()]
                self.query(cte.this, _push(conditions, name, cte.this))
            elif isinstance(source, exp.Table):
                self.table(source, name, names - {name}, conditions, where is not None)
            elif isinstance(source, exp.Subquery):
                self.query(source.this, _push(conditions, name, source.this))
        for nested in _nested_queries(node, sources):
            self.query(nested, [])

    def table(
        self,
        ref: exp.Table,
        name: str,
        others: set[str],
        conditions: list[exp.Expr],
        has_where: bool,
    ) -> None:
        table = self.schema.lookup(ref.name, ref.db)
        if table is None or not table.partitioned or table.partitioning is None:
            return
        partitioning = table.partitioning
        selection = ref.args.get("partition")
        if selection is not None:
            picked = ", ".join(e.name for e in selection.expressions)
            self.out.append(
                PruningVerdict(table, ref, True, f"it selects PARTITION ({picked}) explicitly")
            )
            return
        binding = _Binding(table, name, list(partitioning.columns), others)
        prunable, reason = _evaluate(conditions, binding) if conditions else (False, "")
        if not reason:
            reason = (
                "the query reading it has no WHERE clause"
                if not has_where and not conditions
                else (f"no condition restricts {_columns(binding)}")
            )
        self.out.append(
            PruningVerdict(table, ref, prunable, reason, "" if prunable else _advice(table))
        )


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
        (item.alias_or_name.lower(), item, join)
        for item, join in items
        if isinstance(item, (exp.Table, exp.Subquery))
    ]


def _nested_queries(
    node: exp.Expr, sources: list[tuple[str, exp.Expr, exp.Join | None]]
) -> list[exp.Expr]:
    """Subqueries in the block's conditions, select list and join conditions (not its sources)."""
    skip = {"from_", "from", "with", "with_", "joins", "using", "tables"}
    if isinstance(node, (exp.Update, exp.Delete)):
        skip.add("this")
    roots: list[exp.Expr] = []
    for key, value in node.args.items():
        if key not in skip and value is not None:
            roots.extend(
                c
                for c in (value if isinstance(value, list) else [value])
                if isinstance(c, exp.Expr)
            )
    roots.extend(
        j.args["on"] for _, _, j in sources if j is not None and j.args.get("on") is not None
    )
    return [
        q for root in roots for q in root.find_all(exp.Select, exp.SetOperation) if _top(q, root)
    ]


def _top(query: exp.Expr, root: exp.Expr) -> bool:
    """True if no other query lies between ``root`` and ``query``."""
    parent = query.parent
    while parent is not None and parent is not root:
        if isinstance(parent, (exp.Select, exp.SetOperation)):
            return False
        parent = parent.parent
    return True


def _conjuncts(condition: exp.Expr) -> list[exp.Expr]:
    condition = condition.unnest()
    if isinstance(condition, exp.And):
        return [*_conjuncts(condition.this), *_conjuncts(condition.expression)]
    return [condition]


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
        if isinstance(projection, exp.Star) or (
            isinstance(projection, exp.Column) and projection.is_star
        ):
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


# -- deciding one table's verdict -------------------------------------------------------------


def _evaluate(conditions: list[exp.Expr], b: _Binding) -> tuple[bool, str]:
    """Whether the AND of ``conditions`` prunes ``b``; with the reason."""
    strengths: dict[str, str] = {}
    problems: list[str] = []
    ors: list[exp.Expr] = []
    for condition in conditions:
        condition = condition.unnest()
        if isinstance(condition, exp.Or):
            ors.append(condition)
            continue
        found = _atom(condition, b)
        if isinstance(found, tuple):
            column, strength = found
            if strengths.get(column) != "eq":
                strengths[column] = strength
        elif found:
            problems.append(found)
    ok, why = _satisfies(strengths, b)
    if ok:
        return True, why
    for condition in ors:
        branch_ok, branch_why = _evaluate_or(condition, b)
        if branch_ok:
            return True, branch_why
        problems.append(branch_why)
    if why:
        problems.insert(0, why)
    return False, problems[0] if problems else ""


def _evaluate_or(condition: exp.Expr, b: _Binding) -> tuple[bool, str]:
    branches: list[exp.Expr] = []
    stack = [condition]
    while stack:
        node = stack.pop().unnest()
        if isinstance(node, exp.Or):
            stack.extend([node.expression, node.this])
        else:
            branches.append(node)
    for branch in branches:
        ok, why = _evaluate(_conjuncts(branch), b)
        if not ok:
            detail = f": {why}" if why else ""
            return (
                False,
                f"the OR branch `{_short(branch)}` does not restrict {_columns(b)}{detail}",
            )
    return True, "every branch of the OR restricts " + _columns(b)


def _satisfies(strengths: dict[str, str], b: _Binding) -> tuple[bool, str]:
    partitioning = b.table.partitioning
    assert partitioning is not None
    columns = b.own
    kind = partitioning.kind
    if kind in HASHED:
        missing = [c for c in columns if strengths.get(c) != "eq"]
        if not missing:
            return True, "equality on " + ", ".join(columns)
        ranged = [c for c in missing if strengths.get(c) == "range"]
        if ranged:
            return False, (
                f"a range on {ranged[0]} cannot prune {kind} partitions (hashing scatters "
                "neighbouring values over every partition); only = or IN can"
            )
        if strengths and len(columns) > 1:
            return False, f"{kind} over ({', '.join(columns)}) needs = or IN on every one of them"
        return False, ""
    if kind in (RANGE_COLUMNS, LIST_COLUMNS):
        strength = strengths.get(columns[0])
        if strength:
            return True, f"{'equality' if strength == 'eq' else 'a range'} on {columns[0]}"
        if strengths:
            return False, (
                f"{kind} partitions are found from the first column, {columns[0]}; "
                f"a condition on {', '.join(strengths)} alone cannot prune"
            )
        return False, ""
    if len(columns) > 1:  # RANGE/LIST over an expression of several columns
        if all(strengths.get(c) == "eq" for c in columns):
            return True, "equality on " + ", ".join(columns)
        return (
            (False, f"{partitioning.describe()} needs = or IN on every column it reads")
            if strengths
            else (False, "")
        )
    strength = strengths.get(columns[0])
    if strength == "eq":
        return True, f"equality on {columns[0]}"
    if strength == "range":
        function = partitioning.function
        if not function or function in MONOTONIC:
            return True, f"a range on {columns[0]}"
        return False, (
            f"a range on {columns[0]} cannot prune through {partitioning.expression}, "
            "which MySQL does not know to be monotonic; only = or IN can"
        )
    return False, ""


def _atom(node: exp.Expr, b: _Binding) -> tuple[str, str] | str:
    """(column, "eq" | "range") if ``node`` restricts a partition column to constants;
    otherwise why it does not ("" when it does not mention one)."""
    if isinstance(node, exp.Not):
        return (
            _mentions(node, b)
            and f"`{_short(node)}` negates the condition, which matches most partitions"
        )
    if isinstance(node, exp.Is):
        column = _own(node.this, b)
        if column and isinstance(node.expression, exp.Null):
            return column, "eq"
    elif isinstance(node, exp.In):
        column = _own(node.this, b)
        if column and node.args.get("query") is not None:
            return (
                f"`{_short(node)}` compares {column} with a subquery, which is not a constant list"
            )
        if column and node.expressions and all(_constant(e) for e in node.expressions):
            return column, "eq"
        if column:
            return f"`{_short(node)}` compares {column} with values that are not constants"
        return _wrapped(node.this, node, b)
    elif isinstance(node, exp.Between):
        column = _own(node.this, b)
        if column and _constant(node.args["low"]) and _constant(node.args["high"]):
            return column, "range"
        return _why_not(column, node, node.this, b)
    elif isinstance(node, (*_EQ_OPS, *_RANGE_OPS)):
        strength = "eq" if isinstance(node, _EQ_OPS) else "range"
        for side, other in ((node.this, node.expression), (node.expression, node.this)):
            column = _own(side, b)
            if column and _constant(other):
                return column, strength
        for side, other in ((node.this, node.expression), (node.expression, node.this)):
            if _own(side, b):
                return _why_not(_own(side, b), node, other, b, compared=True)
        return _wrapped(node.this, node, b) or _wrapped(node.expression, node, b)
    return (
        _mentions(node, b) and f"`{_short(node)}` is not a comparison the optimizer can prune with"
    )


def _why_not(
    column: str, node: exp.Expr, other: exp.Expr, b: _Binding, compared: bool = False
) -> str:
    if not column:
        return _wrapped(other, node, b)
    if any(
        not _own(c, b) and c.table.lower() not in ("", b.alias) for c in other.find_all(exp.Column)
    ):
        return (
            f"`{_short(node)}` compares {column} only with another table's column, which is not "
            "known when partitions are chosen"
        )
    if other.find(exp.Select):
        return f"`{_short(node)}` compares {column} with a subquery, not a constant"
    return f"`{_short(node)}` compares {column} with a value that is not a constant"


def _wrapped(side: exp.Expr, node: exp.Expr, b: _Binding) -> str:
    """The reason when a partition column sits inside a function or arithmetic."""
    for column in side.find_all(exp.Column):
        name = _own(column, b)
        if name and column is not side:
            wrapper = side.unnest()  # outermost: sqlglot reads YEAR(d) as YEAR(DATE(d))
            what = f"{_func_name(wrapper)}()" if isinstance(wrapper, exp.Func) else "arithmetic"
            return (
                f"`{_short(node)}` wraps {name} in {what}, which hides the column from "
                "partition pruning"
            )
    return ""


def _func_name(node: exp.Expr | None) -> str:
    """The function's name as MySQL spells it (sqlglot renames some, e.g. DATE)."""
    if not isinstance(node, exp.Func):
        return "a function"
    return node.sql(dialect="mysql").split("(", 1)[0].strip().upper() or "a function"


def _own(node: exp.Expr, b: _Binding) -> str:
    """The partition column ``node`` is (bare, of this table), or ""."""
    while isinstance(node, exp.Paren):
        node = node.this
    if not isinstance(node, exp.Column) or node.name.lower() not in b.own:
        return ""
    qualifier = node.table.lower()
    if qualifier:
        return node.name.lower() if qualifier == b.alias else ""
    table_columns = {c.name.lower() for c in b.table.columns}
    return node.name.lower() if not table_columns or node.name.lower() in table_columns else ""


def _mentions(node: exp.Expr, b: _Binding) -> str:
    return next((_own(c, b) for c in node.find_all(exp.Column) if _own(c, b)), "")


def _constant(node: exp.Expr) -> bool:
    """Known before the query reads rows: literals, placeholders, and functions of them."""
    for part in node.walk():
        if isinstance(part, (exp.Column, exp.Query, exp.Subquery)):
            return False
        if isinstance(part, exp.Func) and _func_name(part) in _VOLATILE:
            return False
    return True


def _columns(b: _Binding) -> str:
    return ", ".join(b.own) if len(b.own) == 1 else "(" + ", ".join(b.own) + ")"


def _short(node: exp.Expr) -> str:
    text = node.sql(dialect="mysql")
    return text if len(text) <= 80 else text[:77] + "..."


def _advice(table: Table) -> str:
    partitioning = table.partitioning
    assert partitioning is not None
    columns = partitioning.columns
    if partitioning.kind in HASHED:
        return (
            f"add {' AND '.join(f'{c} = ?' for c in columns)} (or IN lists) on the bare column(s)"
        )
    first = columns[0]
    if partitioning.kind in (RANGE_COLUMNS, LIST_COLUMNS):
        return f"add a condition on the bare column {first}, e.g. {first} >= ? AND {first} < ?"
    if len(columns) > 1:
        return f"add {' AND '.join(f'{c} = ?' for c in columns)} on the bare columns"
    if partitioning.function and partitioning.function not in MONOTONIC:
        return f"add {first} = ? or {first} IN (...) on the bare column"
    return f"add a condition on the bare column {first}, e.g. {first} >= ? AND {first} < ?"
