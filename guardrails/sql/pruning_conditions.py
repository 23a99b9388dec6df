"""Whether the conditions on one table let MySQL prune its partitions, and why not.

The MySQL reference manual's pruning rules, applied to the conjuncts that
apply to one base table in one query block (guardrails/sql/pruning.py finds
those): equality, IN and IS NULL on the bare partitioning column(s) prune
every kind; ranges prune RANGE and LIST (through a monotonic function, or on
the first of RANGE/LIST COLUMNS); HASH and KEY need equality on every column.
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
    Table,
)

MONOTONIC = frozenset({"YEAR", "TO_DAYS", "TO_SECONDS", "UNIX_TIMESTAMP"})
HASHED = (HASH, LINEAR_HASH, KEY, LINEAR_KEY)
_VOLATILE = frozenset({"RAND", "UUID", "UUID_SHORT", "SLEEP", "LAST_INSERT_ID", "FOUND_ROWS"})
_RANGE_OPS = (exp.GT, exp.GTE, exp.LT, exp.LTE)
_EQ_OPS = (exp.EQ, exp.NullSafeEQ)


@dataclass
class Binding:
    """One base table in one query block, and how the block's conditions name it."""

    table: Table
    alias: str  # lower-case name the block uses for it
    own: list[str] = field(default_factory=list)  # lower-case partition columns
    others: set[str] = field(default_factory=set)  # the other sources' names in the block
    # sources fetched by their whole primary key (const tables): MySQL and MariaDB read them
    # before choosing partitions, so their columns are constants here
    constants: set[str] = field(default_factory=set)


def conjuncts(condition: exp.Expr) -> list[exp.Expr]:
    condition = condition.unnest()
    if isinstance(condition, exp.And):
        return [*conjuncts(condition.this), *conjuncts(condition.expression)]
    return [condition]


def evaluate(conditions: list[exp.Expr], b: Binding) -> tuple[bool, str]:
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


def _evaluate_or(condition: exp.Expr, b: Binding) -> tuple[bool, str]:
    branches: list[exp.Expr] = []
    stack = [condition]
    while stack:
        node = stack.pop().unnest()
        if isinstance(node, exp.Or):
            stack.extend([node.expression, node.this])
        else:
            branches.append(node)
    for branch in branches:
        ok, why = evaluate(conjuncts(branch), b)
        if not ok:
            detail = f": {why}" if why else ""
            return (
                False,
                f"the OR branch `{_short(branch)}` does not restrict {columns_text(b)}{detail}",
            )
    return True, "every branch of the OR restricts " + columns_text(b)


def _satisfies(strengths: dict[str, str], b: Binding) -> tuple[bool, str]:
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
            (False, f"{partitioning.describe()} needs = or IN on every column it reads") if strengths else (False, "")
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


def _atom(node: exp.Expr, b: Binding) -> tuple[str, str] | str:
    """(column, "eq" | "range") if ``node`` restricts a partition column to constants;
    otherwise why it does not ("" when it does not mention one)."""
    if isinstance(node, exp.Not):
        return _mentions(node, b) and f"`{_short(node)}` negates the condition, which matches most partitions"
    if isinstance(node, exp.Is):
        column = _own(node.this, b)
        if column and isinstance(node.expression, exp.Null):
            return column, "eq"
    elif isinstance(node, exp.In):
        column = _own(node.this, b)
        if column and node.args.get("query") is not None:
            return f"`{_short(node)}` compares {column} with a subquery, which is not a constant list"
        if column and node.expressions and all(_constant(e, b) for e in node.expressions):
            return column, "eq"
        if column:
            return f"`{_short(node)}` compares {column} with values that are not constants"
        return _wrapped(node.this, node, b)
    elif isinstance(node, exp.Between):
        column = _own(node.this, b)
        if column and _constant(node.args["low"], b) and _constant(node.args["high"], b):
            return column, "range"
        return _why_not(column, node, node.this, b)
    elif isinstance(node, (*_EQ_OPS, *_RANGE_OPS)):
        strength = "eq" if isinstance(node, _EQ_OPS) else "range"
        for side, other in ((node.this, node.expression), (node.expression, node.this)):
            column = _own(side, b)
            if column and _constant(other, b):
                return column, strength
        for side, other in ((node.this, node.expression), (node.expression, node.this)):
            if _own(side, b):
                return _why_not(_own(side, b), node, other, b, compared=True)
        return _wrapped(node.this, node, b) or _wrapped(node.expression, node, b)
    return _mentions(node, b) and f"`{_short(node)}` is not a comparison the optimizer can prune with"


def _why_not(column: str, node: exp.Expr, other: exp.Expr, b: Binding, compared: bool = False) -> str:
    if not column:
        return _wrapped(other, node, b)
    if any(not _own(c, b) and c.table.lower() not in ("", b.alias) for c in other.find_all(exp.Column)):
        return (
            f"`{_short(node)}` compares {column} only with another table's column, which is not "
            "known when partitions are chosen"
        )
    if other.find(exp.Select):
        return f"`{_short(node)}` compares {column} with a subquery, not a constant"
    return f"`{_short(node)}` compares {column} with a value that is not a constant"


def _wrapped(side: exp.Expr, node: exp.Expr, b: Binding) -> str:
    """The reason when a partition column sits inside a function or arithmetic."""
    for column in side.find_all(exp.Column):
        name = _own(column, b)
        if name and column is not side:
            wrapper = side.unnest()  # outermost: sqlglot reads YEAR(d) as YEAR(DATE(d))
            what = f"{_func_name(wrapper)}()" if isinstance(wrapper, exp.Func) else "arithmetic"
            return f"`{_short(node)}` wraps {name} in {what}, which hides the column from partition pruning"
    return ""


def _func_name(node: exp.Expr | None) -> str:
    """The function's name as MySQL spells it (sqlglot renames some, e.g. DATE)."""
    if not isinstance(node, exp.Func):
        return "a function"
    return node.sql(dialect="mysql").split("(", 1)[0].strip().upper() or "a function"


def _own(node: exp.Expr, b: Binding) -> str:
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


def _mentions(node: exp.Expr, b: Binding) -> str:
    return next((_own(c, b) for c in node.find_all(exp.Column) if _own(c, b)), "")


def _constant(node: exp.Expr, b: Binding | None = None) -> bool:
    """Known before the query reads rows: literals, placeholders, functions of them, and
    columns of const tables."""
    for part in node.walk():
        if isinstance(part, exp.Column) and b is not None and part.table.lower() in b.constants:
            continue
        if isinstance(part, (exp.Column, exp.Query, exp.Subquery)):
            return False
        if isinstance(part, exp.Func) and _func_name(part) in _VOLATILE:
            return False
    return True


def fetched_by_primary_key(conditions: list[exp.Expr], b: Binding) -> bool:
    """Whether the conditions fix every primary-key column of ``b``'s table to a constant
    (``b.own`` holds the key's columns): a const table, read once before the query runs."""
    if not b.own:
        return False
    fixed = set()
    for condition in conditions:
        found = _atom(condition.unnest(), b)
        if isinstance(found, tuple) and found[1] == "eq":
            fixed.add(found[0])
    return fixed >= set(b.own)


def columns_text(b: Binding) -> str:
    return ", ".join(b.own) if len(b.own) == 1 else "(" + ", ".join(b.own) + ")"


def _short(node: exp.Expr) -> str:
    text = node.sql(dialect="mysql")
    return text if len(text) <= 80 else text[:77] + "..."


def advice(table: Table) -> str:
    partitioning = table.partitioning
    assert partitioning is not None
    columns = partitioning.columns
    if partitioning.kind in HASHED:
        return f"add {' AND '.join(f'{c} = ?' for c in columns)} (or IN lists) on the bare column(s)"
    first = columns[0]
    if partitioning.kind in (RANGE_COLUMNS, LIST_COLUMNS):
        return f"add a condition on the bare column {first}, e.g. {first} >= ? AND {first} < ?"
    if len(columns) > 1:
        return f"add {' AND '.join(f'{c} = ?' for c in columns)} on the bare columns"
    if partitioning.function and partitioning.function not in MONOTONIC:
        return f"add {first} = ? or {first} IN (...) on the bare column"
    return f"add a condition on the bare column {first}, e.g. {first} >= ? AND {first} < ?"
