"""Replay DDL files into a Schema: the tables as they stand after the last migration.

Statements are applied in file-name order, each file top to bottom, the way
the files would run against an empty database. Only statements that change
tables matter (CREATE/ALTER/RENAME/DROP TABLE); everything else is skipped
without parsing. A statement the model cannot read becomes a ``parse-error``
finding in ``Schema.problems`` and the replay goes on with the next one.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from guardrails.findings import Finding, parse_error
from guardrails.inputs import source_file
from guardrails.sql.dialect import DIALECT
from guardrails.sql.parse_errors import explain
from guardrails.sql.partition_ddl import (
    PartitionSyntaxError,
    Reader,
    parse_partition_by,
    partition_definitions,
    top_level,
    word,
)
from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.rewrites import rewrite
from guardrails.sql.schema import Column, ForeignKey, Index, PartitionDef, Schema, Table
from guardrails.sql.split import split_statements
from guardrails.sql.statement import SqlStatement
from guardrails.workspace import UnreadableFile

# ALTER TABLE partition operations that leave the set of partitions as it was.
_NEUTRAL = {
    "TRUNCATE",
    "DISCARD",
    "IMPORT",
    "EXCHANGE",
    "ANALYZE",
    "CHECK",
    "OPTIMIZE",
    "REBUILD",
    "REPAIR",
}


def replay_files(workspace: Any, paths: list[str]) -> Schema:
    from guardrails.sql.source import decode_sql

    schema = Schema()
    for path in paths:
        try:
            text, _ = decode_sql(workspace.read_bytes(path))  # the sql input reports undecodable bytes
        except UnreadableFile as exc:
            schema.problems.append(parse_error(path, str(exc), exc.line, exc.column))
            continue
        schema.sources.append(source_file(path, text))
        replay_text(schema, path, text)
    return schema


def replay_text(schema: Schema, path: str, text: str) -> None:
    starts = line_starts(text)
    for chunk in split_statements(text):
        statement = SqlStatement(path, chunk.text, FileOffsets(starts, chunk.start))
        if chunk.unterminated:
            line, column = statement.positions(0)
            schema.problems.append(
                parse_error(
                    path,
                    f"unterminated {chunk.unterminated} starting here runs to the end of the file",
                    line,
                    column,
                )
            )
            continue
        problem = apply_or_problem(schema, statement)
        if problem is not None:
            schema.problems.append(problem)


def apply_or_problem(schema: Schema, statement: SqlStatement, tokens: list[Token] | None = None) -> Finding | None:
    """Apply one statement (``tokens``: its tokens, where the caller has them already); what the
    model cannot read is a parse-error at the failing token."""
    try:
        apply_statement(schema, statement, tokens)
    except (PartitionSyntaxError, ParseError, TokenError) as exc:
        # at the place it failed and in the same words as the sql input's parse-error, so the
        # engine keeps one finding where both readers fail on one statement
        message, offset = explain(statement.text, exc)
        line, column = statement.positions(min(offset, max(0, len(statement.text) - 1)))
        return parse_error(statement.path, f"cannot parse this statement as MySQL: {message}", line, column)
    return None


def apply_statement(schema: Schema, statement: SqlStatement, tokens: list[Token] | None = None) -> None:
    """Apply one DDL statement to the schema (anything but table DDL is ignored)."""
    text = statement.text
    tokens = DIALECT.tokenize(text) if tokens is None else tokens
    words = [word(t) for t in tokens[:6]]
    if not words:
        return
    line = statement.positions(0)[0]
    if words[0] == "CREATE":
        i = 2 if words[1:2] == ["TEMPORARY"] else 1
        if words[i : i + 1] == ["TABLE"]:
            _create(schema, tokens, i + 1, text, statement.path, line)
    elif words[0] == "ALTER":
        i = 1
        while i < len(words) and words[i] in ("ONLINE", "OFFLINE", "IGNORE"):
            i += 1
        if words[i : i + 1] == ["TABLE"]:
            _alter(schema, tokens, i + 1, text, statement.path, line)
    elif words[0] == "RENAME":
        rest = tokens_after_rename(text, tokens)
        if rest and word(rest[0]) == "TABLE":
            _rename(schema, rest, 1)
    elif words[0] == "DROP":
        i = 2 if words[1:2] == ["TEMPORARY"] else 1
        if words[i : i + 1] == ["TABLE"]:
            _drop(schema, tokens, i + 1)


def tokens_after_rename(text: str, tokens: list[Token]) -> list[Token]:
    """The tokens after a statement's leading RENAME, at their offsets in ``text``: sqlglot's
    MySQL tokenizer swallows what follows RENAME as one string, so that part is tokenized again."""
    start = tokens[0].end + 1
    return DIALECT.tokenize(" " * start + text[start:])


def table_name_at(tokens: list[Token], i: int) -> tuple[str, str, int]:
    """(database, table, next index) for a possibly qualified name at ``i``."""
    if i >= len(tokens):
        raise PartitionSyntaxError("expected a table name", tokens[-1].end + 1 if tokens else 0)
    if i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.DOT:
        return tokens[i].text, tokens[i + 2].text, i + 3
    return "", tokens[i].text, i + 1


def skip_words(tokens: list[Token], i: int, *words: str) -> int:
    if [word(t) for t in tokens[i : i + len(words)]] == list(words):
        return i + len(words)
    return i


def _create(schema: Schema, tokens: list[Token], i: int, text: str, path: str, line: int) -> None:
    i = skip_words(tokens, i, "IF", "NOT", "EXISTS")
    database, name, after = table_name_at(tokens, i)
    if after < len(tokens) and word(tokens[after]) == "LIKE":
        source_db, source, _ = table_name_at(tokens, after + 1)
        original = schema.lookup(source, source_db)
        if original is not None:  # a copy: later ALTERs of either table leave the other alone
            schema.add(
                Table(
                    name,
                    database,
                    copy.deepcopy(original.columns),
                    original.primary_key,
                    copy.deepcopy(original.partitioning),
                    path,
                    line,
                )
            )
        return
    clause = next(
        (k for k in top_level(tokens, after) if tokens[k].token_type == TokenType.PARTITION_BY),
        None,
    )
    head = tokens if clause is None else tokens[:clause]
    table = Table(name, database, path=path, line=line)
    problem: Exception | None = None
    try:
        parsed = [e for e in DIALECT.parser().parse(rewrite(head), text) if e is not None]
        if len(parsed) == 1 and isinstance(parsed[0], exp.Create) and isinstance(parsed[0].this, exp.Schema):
            _fill_columns(table, parsed[0].this)
            _table_options(table, parsed[0].args.get("properties"))
    except (ParseError, TokenError) as exc:
        problem = exc  # keep the table (and its partitioning) known even if its columns are not
    if clause is not None:
        table.partitioning, _ = parse_partition_by(tokens, clause, text, table.primary_key)
    schema.add(table)
    if problem is not None:
        raise problem


def _fill_columns(table: Table, definition: exp.Schema) -> None:
    primary: list[str] = []
    for item in definition.expressions:
        if isinstance(item, exp.ColumnDef):
            column = column_of(item)
            constraints = [c.args.get("kind") for c in item.args.get("constraints") or []]
            if any(isinstance(c, exp.PrimaryKeyColumnConstraint) for c in constraints):
                primary.append(item.name.lower())
                column.nullable = False
            if any(isinstance(c, exp.UniqueColumnConstraint) for c in constraints):
                table.indexes.append(Index(item.name, "UNIQUE", (item.name.lower(),)))
            table.columns.append(column)
        elif isinstance(item, exp.PrimaryKey):
            primary.extend(_key_columns(item))
        else:
            _add_key(table, item)
    _set_primary_key(table, tuple(primary))


def column_of(item: exp.ColumnDef) -> Column:
    """The model of one column definition (CREATE TABLE, ADD COLUMN, MODIFY, CHANGE)."""
    kind = item.args.get("kind")
    column_type = kind.sql(dialect=DIALECT).lower() if kind is not None else ""
    column = Column(item.name, column_type.split("(")[0].split(" ")[0], column_type)
    if isinstance(kind, exp.DataType):
        params = kind.expressions
        if column.data_type in ("enum", "set"):
            column.values = tuple(p.name for p in params)
        elif params and column.data_type in ("char", "varchar", "binary", "varbinary"):
            size = params[0].this if isinstance(params[0], exp.DataTypeParam) else params[0]
            column.length = int(size.name) if size.name.isdigit() else 0
        elif column.data_type in ("char", "binary"):
            column.length = 1
    for constraint in item.args.get("constraints") or []:
        c = constraint.args.get("kind")
        if isinstance(c, exp.NotNullColumnConstraint):
            column.nullable = bool(c.args.get("allow_null"))
        elif isinstance(c, exp.CharacterSetColumnConstraint):
            column.charset = c.name.lower()
        elif isinstance(c, exp.CollateColumnConstraint):
            column.collation = (c.this.name if isinstance(c.this, exp.Expr) else c.name).lower()
        elif isinstance(c, exp.ComputedColumnConstraint):
            column.generated = "STORED" if c.args.get("persisted") else "VIRTUAL"
            column.expression = c.this.sql(dialect=DIALECT)
        elif isinstance(c, exp.AutoIncrementColumnConstraint):
            column.auto_increment = True
        elif isinstance(c, exp.PrimaryKeyColumnConstraint):
            column.nullable = False
    return column


def _add_key(table: Table, item: exp.Expr) -> None:
    """A key of CREATE TABLE or ALTER TABLE ... ADD: indexes and foreign keys the verdicts depend on."""
    if isinstance(item, exp.Constraint):
        for inner in item.expressions:
            if isinstance(inner, exp.ForeignKey):
                reference = inner.args.get("reference")
                parent = reference.find(exp.Table) if reference is not None else None
                columns = tuple(c.name.lower() for c in inner.expressions)
                table.foreign_keys.append(ForeignKey(item.name, columns, parent.name if parent is not None else ""))
            elif isinstance(inner, exp.PrimaryKey):
                _set_primary_key(table, tuple(_key_columns(inner)))
            else:
                _add_key(table, inner)
    elif isinstance(item, exp.ForeignKey):
        columns = tuple(c.name.lower() for c in item.expressions)
        table.foreign_keys.append(ForeignKey(f"{table.name}_ibfk_{len(table.foreign_keys) + 1}", columns))
    elif isinstance(item, exp.IndexColumnConstraint):
        kind = str(item.args.get("kind") or "").upper()
        table.indexes.append(Index(item.name or _key_name(table, item), kind, tuple(_key_columns(item))))
    elif isinstance(item, exp.UniqueColumnConstraint):
        schema = item.this
        columns = tuple(_key_columns(schema)) if isinstance(schema, exp.Schema) else ()
        name = schema.name if isinstance(schema, exp.Schema) and schema.this is not None else ""
        table.indexes.append(Index(name or (columns[0] if columns else "unique"), "UNIQUE", columns))


def _key_name(table: Table, key: exp.Expr) -> str:
    """The name MySQL gives an unnamed key: its first column, with _2, _3 when taken."""
    columns = _key_columns(key)
    base = columns[0] if columns else "key"
    name, n = base, 1
    while table.index(name) is not None:
        n += 1
        name = f"{base}_{n}"
    return name


def _table_options(table: Table, properties: exp.Expr | None) -> None:
    for prop in properties.expressions if properties is not None else []:
        if isinstance(prop, exp.CharacterSetProperty):
            table.charset = prop.name.lower()
        elif isinstance(prop, exp.RowFormatProperty):
            table.row_format = prop.name.upper()


def _key_columns(key: exp.Expr) -> list[str]:
    names = []
    for part in key.expressions:
        column = part if isinstance(part, (exp.Identifier, exp.Column)) else part.find(exp.Identifier)
        if column is not None:
            names.append(column.name.lower())
    return names


def _set_primary_key(table: Table, columns: tuple[str, ...]) -> None:
    table.primary_key = columns
    for column in table.columns:
        if column.name.lower() in columns:
            column.nullable = False


def _alter(schema: Schema, tokens: list[Token], i: int, text: str, path: str, line: int) -> None:
    database, name, after = table_name_at(tokens, i)
    table = schema.lookup(name, database)
    if table is None:
        table = Table(name, database, path=path, line=line)
        schema.add(table)
    operation = _partition_operation(tokens, after)
    end = len(tokens) if operation is None else operation
    head_end = end - 1 if end > after and tokens[end - 1].token_type == TokenType.COMMA else end
    if head_end > after:
        parsed = [e for e in DIALECT.parser().parse(rewrite(tokens[:head_end]), text) if e is not None]
        if len(parsed) == 1 and isinstance(parsed[0], exp.Alter):
            _apply_actions(schema, table, parsed[0])
    if operation is not None:
        _partition_change(table, tokens, operation, text)


def _partition_operation(tokens: list[Token], start: int) -> int | None:
    for k in top_level(tokens, start):
        token = tokens[k]
        if token.token_type == TokenType.PARTITION_BY:
            return k
        nxt = word(tokens[k + 1]) if k + 1 < len(tokens) else ""
        w = word(token)
        if nxt == "PARTITION" and (w in ("ADD", "DROP", "COALESCE", "REORGANIZE") or w in _NEUTRAL):
            return k
        if w == "REMOVE" and nxt == "PARTITIONING":
            return k
    return None


def _partition_change(table: Table, tokens: list[Token], k: int, text: str) -> None:
    if tokens[k].token_type == TokenType.PARTITION_BY:
        table.partitioning, _ = parse_partition_by(tokens, k, text, table.primary_key)
        return
    w = word(tokens[k])
    if w == "REMOVE":
        table.partitioning = None
        return
    if w in _NEUTRAL:
        return
    partitioning = table.partitioning
    if partitioning is None:
        raise PartitionSyntaxError(
            f"{w} PARTITION on {table.name}, which the schema does not partition", tokens[k].start
        )
    reader = Reader(tokens, k + 2, text)
    parts = partitioning.partitions
    if w == "ADD":
        if reader.take("PARTITIONS"):
            first = len(parts)
            parts.extend(PartitionDef(f"p{n}") for n in range(first, first + reader.number()))
        else:
            parts.extend(partition_definitions(reader))
    elif w == "DROP":
        names = _names_until(reader, "")
        partitioning.partitions = [p for p in parts if p.name.lower() not in names]
    elif w == "COALESCE":
        count = reader.number()
        if count >= len(parts):
            raise PartitionSyntaxError(f"COALESCE PARTITION {count} would remove every partition", tokens[k].start)
        del parts[len(parts) - count :]
    elif w == "REORGANIZE":
        names = _names_until(reader, "INTO")
        if not names:
            return  # REORGANIZE PARTITION alone rebuilds HASH/KEY partitions in place
        reader.expect("INTO")
        new = partition_definitions(reader)
        first = next((n for n, p in enumerate(parts) if p.name.lower() in names), len(parts))
        kept = [p for p in parts if p.name.lower() not in names]
        partitioning.partitions = kept[:first] + new + kept[first:]


def _names_until(reader: Reader, stop: str) -> set[str]:
    names: set[str] = set()
    while reader.peek() is not None and (not stop or not reader.at(stop)):
        token = reader.peek()
        assert token is not None
        if token.token_type != TokenType.COMMA:
            names.add(token.text.lower())
        reader.i += 1
    return names


def _apply_actions(schema: Schema, table: Table, alter: exp.Alter) -> None:
    for action in alter.args.get("actions") or []:
        if isinstance(action, exp.ColumnDef):
            scratch = Table(table.name)
            _fill_columns(scratch, exp.Schema(expressions=[action]))
            table.columns.extend(scratch.columns)
        elif isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "COLUMN":
            dropped = {c.name.lower() for c in action.args.get("tables") or []}
            table.columns = [c for c in table.columns if c.name.lower() not in dropped]
            for index in table.indexes:  # MySQL takes a dropped column out of its keys
                index.columns = tuple(c for c in index.columns if c not in dropped)
            table.indexes = [i for i in table.indexes if i.columns]
        elif isinstance(action, exp.DropPrimaryKey):
            table.primary_key = ()
        elif isinstance(action, exp.ModifyColumn):
            definition = action.this
            old = action.args.get("rename_from")
            old_name = (old.name if old is not None else definition.name).lower()
            scratch = Table(table.name)
            _fill_columns(scratch, exp.Schema(expressions=[definition]))
            table.columns = [scratch.columns[0] if c.name.lower() == old_name else c for c in table.columns]
        elif isinstance(action, exp.RenameColumn):
            old_column = table.column(action.this.name)
            if old_column is not None:
                old_column.name = action.args["to"].name
        elif isinstance(action, exp.AlterRename):
            schema.remove(table.name, table.database)
            table.database, table.name = action.this.db, action.this.name
            schema.add(table)
        elif isinstance(action, exp.AddConstraint):
            for key in action.expressions:
                if isinstance(key, exp.PrimaryKey):
                    _set_primary_key(table, tuple(_key_columns(key)))
                else:
                    _add_key(table, key)
        elif isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() in ("INDEX", "KEY"):
            dropped = {i.name.lower() for i in action.args.get("tables") or [action.this] if i is not None}
            table.indexes = [i for i in table.indexes if i.name.lower() not in dropped]
        elif isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "FOREIGN KEY":
            dropped = {i.name.lower() for i in action.args.get("tables") or [action.this] if i is not None}
            table.foreign_keys = [k for k in table.foreign_keys if k.name.lower() not in dropped]
        elif isinstance(action, exp.RenameIndex):
            renamed = table.index(action.this.name)
            if renamed is not None:
                renamed.name = action.args["to"].name


def _rename(schema: Schema, tokens: list[Token], i: int) -> None:
    while i < len(tokens):
        old_db, old, i = table_name_at(tokens, i)
        if i >= len(tokens) or word(tokens[i]) != "TO":
            raise PartitionSyntaxError("expected TO in RENAME TABLE", tokens[min(i, len(tokens) - 1)].start)
        new_db, new, i = table_name_at(tokens, i + 1)
        table = schema.remove(old, old_db)
        if table is not None:
            table.database, table.name = new_db, new
            schema.add(table)
        if i < len(tokens) and tokens[i].token_type == TokenType.COMMA:
            i += 1


def _drop(schema: Schema, tokens: list[Token], i: int) -> None:
    i = skip_words(tokens, i, "IF", "EXISTS")
    while i < len(tokens) and word(tokens[i]) not in ("RESTRICT", "CASCADE"):
        database, name, i = table_name_at(tokens, i)
        schema.remove(name, database)
        if i < len(tokens) and tokens[i].token_type == TokenType.COMMA:
            i += 1
