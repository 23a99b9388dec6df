"""Fill query placeholders with sample values typed from the column they are compared with.

EXPLAIN cannot run ``WHERE created_at >= ?``. Each placeholder (``?``,
``:name``, ``$1``, ``%s``, ``%(name)s``) is replaced by a literal of the type
of the column on its other side (``col = ?``, ``col IN (?, ?)``, ``col
BETWEEN ? AND ?``, ``SET col = ?``, ``INSERT ... (col) VALUES (?)``), taken from
the schema model, so the optimizer sees the same kind of constant the
application sends and prunes partitions the same way. A placeholder with no
column to go by becomes ``1``.

Placeholders are found among sqlglot's tokens; to learn each one's context the
statement is parsed once with the k-th placeholder spelled ``@__gr_k``.
"""

from __future__ import annotations

from typing import Any

from guardrails.sql.schema import Column, Schema

_MARK = "__gr_"
INTEGER_TYPES = {
    "tinyint",
    "smallint",
    "mediumint",
    "int",
    "integer",
    "bigint",
    "bit",
    "bool",
    "boolean",
}
DECIMAL_TYPES = {"decimal", "numeric", "float", "double", "real", "fixed"}
SAMPLES = {
    "date": "'2024-06-15'",
    "datetime": "'2024-06-15 12:00:00'",
    "timestamp": "'2024-06-15 12:00:00'",
    "time": "'12:00:00'",
    "year": "2024",
    "json": "'{}'",
    "uuid": "'00000000-0000-0000-0000-000000000001'",
}

UPPER_SAMPLES = {
    "date": "'2024-06-16'",
    "datetime": "'2024-06-16 12:00:00'",
    "timestamp": "'2024-06-16 12:00:00'",
    "time": "'13:00:00'",
    "year": "2025",
}


def sample_value(column: Column | None, upper: bool = False) -> str:
    """A SQL literal MySQL accepts for the column (``1`` when the column is unknown).

    ``upper`` gives a slightly larger value, for the upper bound of a range, so
    that ``col >= ? AND col < ?`` is not an empty range the optimizer discards.
    """
    if column is None:
        return "2" if upper else "1"
    words = (column.data_type or column.column_type).replace("(", " ").split()
    data_type = words[0].lower() if words else ""
    if data_type in INTEGER_TYPES:
        return "2" if upper else "1"
    if data_type in DECIMAL_TYPES:
        return "2.5" if upper else "1.5"
    if data_type in SAMPLES:
        return (UPPER_SAMPLES if upper else SAMPLES).get(data_type, SAMPLES[data_type])
    if data_type in ("enum", "set"):
        return _first_member(column.column_type)
    return "'a'"


def _first_member(column_type: str) -> str:
    from sqlglot.tokens import TokenType

    from guardrails.sql.dialect import DIALECT

    for token in DIALECT.tokenize(column_type):
        if token.token_type == TokenType.STRING:
            return "'" + token.text.replace("\\", "\\\\").replace("'", "''") + "'"
    return "''"


def placeholder_spans(sql: str) -> list[tuple[int, int]]:
    """(start, end) text offsets, end exclusive, of each placeholder in order."""
    from sqlglot.tokens import TokenType

    from guardrails.sql.dialect import DIALECT

    tokens = DIALECT.tokenize(sql)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        adjacent = nxt is not None and nxt.start == t.end + 1
        if t.token_type == TokenType.PLACEHOLDER:
            spans.append((t.start, t.end + 1))
        elif t.token_type == TokenType.VAR and t.text.startswith("$") and t.text[1:].isdigit():
            spans.append((t.start, t.end + 1))
        elif t.token_type == TokenType.COLON and adjacent and nxt is not None:
            if nxt.token_type in (TokenType.VAR, TokenType.NUMBER):
                spans.append((t.start, nxt.end + 1))
                i += 1
        elif t.token_type == TokenType.MOD and adjacent and nxt is not None:
            if nxt.token_type == TokenType.VAR and nxt.text == "s":
                spans.append((t.start, nxt.end + 1))
                i += 1
            elif nxt.token_type == TokenType.L_PAREN and _named_pyformat(tokens, i):
                spans.append((t.start, tokens[i + 4].end + 1))
                i += 4
        i += 1
    return spans


def _named_pyformat(tokens: list[Any], i: int) -> bool:
    """``%(name)s`` written without spaces."""
    part = tokens[i : i + 5]
    if len(part) < 5 or part[4].text != "s":
        return False
    return all(part[k + 1].start == part[k].end + 1 for k in range(4))


def fill_placeholders(sql: str, schema: Schema | None) -> str:
    """sql with every placeholder replaced by a typed sample value."""
    spans = placeholder_spans(sql)
    if not spans:
        return sql
    marked = _splice(sql, spans, [f"@{_MARK}{k}" for k in range(len(spans))])
    values = ["1"] * len(spans)
    try:
        from guardrails.sql.dialect import DIALECT

        tree = DIALECT.parse_statement(marked).expression
    except Exception:  # unparsable: plain 1s still let the server say what it thinks
        return _splice(sql, spans, values)
    for k, (column, upper) in _columns_for_markers(tree, schema).items():
        if 0 <= k < len(values):
            values[k] = sample_value(column, upper)
    return _splice(sql, spans, values)


def _splice(sql: str, spans: list[tuple[int, int]], values: list[str]) -> str:
    out: list[str] = []
    at = 0
    for (start, end), value in zip(spans, values, strict=True):
        out.append(sql[at:start])
        out.append(value)
        at = end
    out.append(sql[at:])
    return "".join(out)


def _columns_for_markers(tree: Any, schema: Schema | None) -> dict[int, tuple[Column | None, bool]]:
    """Per placeholder: the column it stands for, and whether it is a range's upper bound."""
    from sqlglot import exp

    out: dict[int, tuple[Column | None, bool]] = {}
    for parameter in tree.find_all(exp.Parameter):
        name = parameter.name
        if not name.startswith(_MARK):
            continue
        k = int(name[len(_MARK) :])
        target = _compared_column(parameter)
        column = _resolve(target, tree, schema) if target is not None else None
        out[k] = (column, _upper_bound(parameter))
    return out


def _upper_bound(node: Any) -> bool:
    """``col < ?``, ``col <= ?``, ``? > col`` or the second value of ``BETWEEN``."""
    from sqlglot import exp

    parent = node.parent
    if isinstance(parent, exp.Between):
        return parent.args.get("high") is node
    if isinstance(parent, exp.LT | exp.LTE):
        return parent.right is node
    if isinstance(parent, exp.GT | exp.GTE):
        return parent.left is node
    return False


def _compared_column(node: Any) -> Any:
    """The column a placeholder is compared with, assigned to or inserted into, if any."""
    from sqlglot import exp

    child, parent = node, node.parent
    while isinstance(parent, exp.Paren | exp.Tuple) and not isinstance(parent.parent, exp.Values):
        child, parent = parent, parent.parent
    if isinstance(parent, exp.Binary) and not isinstance(parent, exp.Connector):
        other = parent.left if parent.right is child else parent.right
        while isinstance(other, exp.Paren):
            other = other.this
        return other if isinstance(other, exp.Column) else None
    if isinstance(parent, exp.In | exp.Between) and isinstance(parent.this, exp.Column):
        return parent.this
    if isinstance(parent, exp.Tuple) and isinstance(parent.parent, exp.Values):
        insert = parent.find_ancestor(exp.Insert)
        target = insert.this if insert is not None else None
        if isinstance(target, exp.Schema):
            names = target.expressions
            index = parent.expressions.index(child)
            if index < len(names):
                return exp.column(names[index].name, table=target.this.name)
        return _positional(insert, parent.expressions.index(child))
    return None


def _positional(insert: Any, index: int) -> Any:
    """INSERT INTO t VALUES (...) without a column list: the index-th column of t."""
    from sqlglot import exp

    if insert is None or not isinstance(insert.this, exp.Table):
        return None
    return exp.Column(this=exp.to_identifier(f"#{index}"), table=exp.to_identifier(insert.this.name))


def _resolve(column: Any, tree: Any, schema: Schema | None) -> Column | None:
    from sqlglot import exp

    if schema is None:
        return None
    tables: dict[str, tuple[str, str]] = {}
    for table in tree.find_all(exp.Table):
        tables[(table.alias_or_name or "").lower()] = (table.name, table.db)
        tables.setdefault(table.name.lower(), (table.name, table.db))
    qualifier = column.table.lower()
    candidates = [tables[qualifier]] if qualifier in tables else list(tables.values())
    for name, db in candidates:
        known = schema.lookup(name, db)
        if known is None:
            continue
        if column.name.startswith("#"):
            index = int(column.name[1:])
            return known.columns[index] if index < len(known.columns) else None
        found = known.column(column.name)
        if found is not None:
            return found
    return None
