"""Which queries of the repository read a column, or need an index: the cross-check behind a DROP or rename.

The queries are the ones the ``sql`` input reads (``sql.sources``: .sql files and SQL in
application code), outside the schema and migration files. Built once per run, and only
when a migration drops or renames a column or drops an index; what it extracts of a file
the sql and clock_reads inputs read later is kept for them (sql.source.shared_units_in_file).
A column is attributed to a table through its qualifier (alias or name) or, unqualified, to
every table of the statement whose model has that column.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlglot import exp

from guardrails.inputs import LoadContext
from guardrails.sql.schema import Schema
from guardrails.sql.statement import SqlParseError, SqlStatement

_DDL = (exp.Create, exp.Alter, exp.Drop, exp.Command)


@dataclass
class QueryIndex:
    reads: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # (table, column)
    filters: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=lambda: defaultdict(list))

    def read_by(self, table: str, column: str) -> list[str]:
        return list(dict.fromkeys(self.reads.get((table.lower(), column.lower()), [])))

    def needing(self, table: str, first_column: str) -> list[str]:
        """The queries on ``table`` whose WHERE starts where an index on ``first_column`` starts."""
        return list(dict.fromkeys(w for w, columns in self.filters.get(table.lower(), []) if first_column in columns))


def build(ctx: LoadContext, sources: list[str], skip: set[str], schema: Schema, generated: bool) -> QueryIndex:
    from guardrails.sql.source import shared_units_in_file

    index = QueryIndex()
    read_later = set(ctx.workspace.select(sources))  # in scope: the sql and clock_reads inputs read them too
    for path in ctx.workspace.select_all(sources):
        if path in skip:
            continue
        others = ("clock_reads", "sql") if path in read_later else ()
        for unit in shared_units_in_file(ctx, path, generated, "migrations", others):
            if isinstance(unit, SqlStatement):
                _add(index, unit, schema)
                unit.release()  # kept for a later input maybe: its tree must not stay alive meanwhile
    return index


def _add(index: QueryIndex, statement: SqlStatement, schema: Schema) -> None:
    try:
        expression = statement.parse().expression
    except (SqlParseError, RecursionError):
        return
    if isinstance(expression, _DDL):
        return
    aliases: dict[str, str] = {}
    for node in expression.find_all(exp.Table):
        aliases[node.alias_or_name.lower()] = node.name.lower()
        aliases[node.name.lower()] = node.name.lower()
    tables = set(aliases.values())
    if not tables:
        return
    where = f"{statement.path}:{statement.positions(0)[0]}"
    for column in expression.find_all(exp.Column):
        for owner in _owners(column, aliases, tables, schema):
            index.reads[(owner, column.name.lower())].append(where)
    condition = expression.args.get("where")
    if condition is not None:
        filtered = tuple(c.name.lower() for c in condition.find_all(exp.Column))
        for name in tables:
            index.filters[name].append((where, filtered))


def _owners(column: exp.Column, aliases: dict[str, str], tables: set[str], schema: Schema) -> list[str]:
    if column.table:
        owner = aliases.get(column.table.lower())
        return [owner] if owner else []
    if len(tables) == 1:
        return list(tables)
    return [t for t in tables if (model := schema.lookup(t)) is not None and model.column(column.name) is not None]
