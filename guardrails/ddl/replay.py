"""Walk the migrations in name order, judging each DDL statement before applying it to the model."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlglot.errors import ParseError, TokenError

from guardrails.ddl.review import read_statement, review
from guardrails.ddl.servers import Server, UnknownServer, parse_server
from guardrails.ddl.unit import DdlStatement, table_copy
from guardrails.ddl.usage import QueryIndex, build
from guardrails.ddl.verdict import Session
from guardrails.findings import Finding, parse_error
from guardrails.inputs import LoadContext, SourceFile, source_file
from guardrails.sql.dialect import DIALECT
from guardrails.sql.parse_errors import explain
from guardrails.sql.partition_ddl import PartitionSyntaxError, word
from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.schema import Schema, Table
from guardrails.sql.schema_replay import apply_or_problem, replay_files
from guardrails.sql.settings import SqlSettings
from guardrails.sql.split import split_statements
from guardrails.sql.statement import SqlStatement
from guardrails.workspace import UnreadableFile

# The first words of the statements this input reads: DDL, and SET for the session it sets.
_READ = {"ALTER", "CREATE", "DROP", "RENAME", "TRUNCATE", "SET"}
_INSTANT_COLUMN_KINDS = ("add-column", "add-column-positioned", "drop-column")


def migrations(ctx: LoadContext) -> Iterator[DdlStatement | Finding | SourceFile]:
    settings = SqlSettings.of(ctx.config)
    try:
        server = parse_server(settings.server)
    except UnknownServer as exc:
        yield parse_error(".guardrails.yml", str(exc))
        return
    files = sorted(ctx.workspace.select_all(settings.migrations))
    base = [p for p in sorted(ctx.workspace.select_all(settings.schema)) if p not in set(files)]
    schema = replay_files(ctx.workspace, base)
    yield from schema.problems
    for table in schema.tables.values():  # in production before the migrations: its history is unseen
        table.row_versions_known = False
    queries: list[QueryIndex] = []  # built on first need: reading every source costs

    def index() -> QueryIndex:
        if not queries:
            skip = set(files) | set(base)
            queries.append(build(ctx, settings.sources, skip, schema, settings.include_generated))
        return queries[0]

    for path in files:
        try:
            text = ctx.workspace.read_text(path)
        except UnreadableFile as exc:
            yield parse_error(path, str(exc), exc.line, exc.column)
            continue
        yield source_file(path, text)
        yield from _file(schema, server, path, text, index)


def _file(
    schema: Schema, server: Server, path: str, text: str, index: Callable[[], QueryIndex] | None = None
) -> Iterator[DdlStatement | Finding]:
    starts = line_starts(text)
    session = Session()
    lock_wait = False
    first_done = False
    for chunk in split_statements(text):
        statement = SqlStatement(path, chunk.text, FileOffsets(starts, chunk.start))
        if chunk.unterminated:
            line, column = statement.positions(0)
            yield parse_error(
                path, f"unterminated {chunk.unterminated} starting here runs to the end of the file", line, column
            )
            continue
        words = chunk.text[:40].split(None, 1)
        if not words or words[0].upper() not in _READ:
            continue  # DML, most of a migration's bytes: neither a table change nor a session setting
        try:
            tokens = DIALECT.tokenize(chunk.text)
        except TokenError as exc:
            message, offset = explain(chunk.text, exc)
            yield parse_error(path, f"ddl-review: {message}", *statement.positions(offset))
            continue
        if tokens and word(tokens[0]) == "SET":
            names = {t.text.lower() for t in tokens}
            lock_wait = lock_wait or "lock_wait_timeout" in names
            if "foreign_key_checks" in names:
                session.foreign_key_checks = not any(t.text in ("0", "OFF", "off", "FALSE", "false") for t in tokens)
            continue
        try:
            ddl = read_statement(chunk.text, tokens)
            reviewed = review(ddl, chunk.text, schema, server, session) if ddl is not None else None
        except (IndexError, ValueError, ParseError, TokenError, PartitionSyntaxError) as exc:  # an unexpected form
            message, offset = explain(chunk.text, exc)
            yield parse_error(
                path, f"ddl-review could not read this statement: {message}", *statement.positions(offset)
            )
            ddl = reviewed = None
        if ddl is None or reviewed is None:
            problem = apply_or_problem(schema, statement, tokens)
            if problem is not None:
                yield problem
            continue
        existed = reviewed.table is not None or any(schema.lookup(n, d) is not None for d, n in ddl.tables)
        reviewed.table = table_copy(reviewed.table)
        unit = DdlStatement(
            path,
            statement,
            reviewed,
            server,
            existed,
            lock_wait or ddl.wait,
            existed and not first_done and ddl.kind != "CREATE TABLE",
        )
        first_done = first_done or unit.first_on_existing
        if index is not None:
            unit.uses = _uses(unit, index)
        problem = apply_or_problem(schema, statement, tokens)
        _after(schema, unit)
        yield unit
        if problem is not None:
            yield problem


def _after(schema: Schema, unit: DdlStatement) -> None:
    """What the schema replay cannot apply from sqlglot's tree: table options, and the row versions."""
    ddl = unit.reviewed.ddl
    table: Table | None = schema.lookup(ddl.table, ddl.database) if ddl.table else None
    unit.table_after = table
    if table is None:
        return
    for op in unit.reviewed.ops:
        words = op.clause.words
        if op.kind == "row-format" and words[0] == "ROW_FORMAT":
            table.row_format = op.clause.tokens[-1].text.upper()
        elif op.kind in ("default-charset", "convert-charset", "convert-charset-no-strings", "convert-charset-same"):
            names = [t.text.lower() for t in op.clause.tokens if word(t) not in ("DEFAULT", "CONVERT", "TO", "=")]
            charset = next((n for n in names if n not in ("character", "set", "charset", "collate")), "")
            table.charset = charset or table.charset
            if op.kind.startswith("convert"):
                for column in table.columns:
                    column.charset = ""
    verdict = unit.reviewed.verdict
    if verdict.rebuild:
        table.row_versions, table.row_versions_known = 0, True
    elif verdict.algorithm == "INSTANT" and not unit.server.mariadb:
        table.row_versions += sum(1 for op in unit.reviewed.ops if op.kind in _INSTANT_COLUMN_KINDS)


_COLUMN_GONE = ("drop-column", "drop-virtual-column", "drop-stored-column", "rename-column")


def _uses(unit: DdlStatement, index: Callable[[], QueryIndex]) -> list[tuple[str, list[str]]]:
    """The queries a dropped or renamed column or table, or a dropped index, leaves behind."""
    ddl, table = unit.reviewed.ddl, unit.reviewed.table
    out: list[tuple[str, list[str]]] = []
    if ddl.kind in ("DROP TABLE", "RENAME TABLE"):
        for _, name in ddl.tables:
            readers = [w for (t, _), ws in index().reads.items() if t == name.lower() for w in ws]
            if readers:
                out.append((f"table `{name}` is still read by", sorted(set(readers))))
        return out
    for op in unit.reviewed.ops:
        if op.kind in _COLUMN_GONE and op.column:
            readers = index().read_by(ddl.table, op.column)
            if readers:
                out.append((f"column `{op.column}` is still read by", readers))
        elif op.kind == "drop-index" and table is not None and table.index(op.column) is not None:
            dropped = table.index(op.column)
            assert dropped is not None
            first = dropped.columns[0] if dropped.columns else ""
            others = [i for i in table.indexes if i is not dropped and i.columns[:1] == (first,)]
            if first and not others and (first,) != table.primary_key[:1]:
                needing = index().needing(ddl.table, first)
                if needing:
                    out.append((f"index `{dropped.name}` is the one these queries need:", needing))
    return out
