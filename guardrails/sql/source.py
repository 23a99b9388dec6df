"""The ``sql`` input's loader: statements from .sql files and from application code.

Every file is read on its own, so the engine can spread large trees over processes
(guardrails.parallel): this module stays single-process and in path order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from guardrails.findings import Finding, parse_error
from guardrails.inputs import LoadContext, SourceFile, source_file
from guardrails.languages import language_of
from guardrails.sql.code.builders import QueryBuilderCall
from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.routines import expand_routine
from guardrails.sql.settings import SqlSettings
from guardrails.sql.split import split_statements
from guardrails.sql.statement import SqlStatement
from guardrails.sql.templating import normalise_placeholders
from guardrails.state import StateKey
from guardrails.workspace import UnreadableFile, Workspace

# The statements of each file this input read, by path, kept on a pull request's diff only
# (so the memory is the pull request's, not the repository's) and only when the pull_request
# input is built after this one (pr-explain's new queries take them). A forked worker's copy of the
# run's state is its own: with the files split between processes, the readers extract again.
READ_STATEMENTS: StateKey[dict[str, list[SqlStatement]]] = StateKey("statements of the files the sql input read")


@dataclass
class _Kept:
    units: list[Any]
    readers: set[str]  # the inputs still to take them


# The units of each file an input that extracts the SQL of sql.sources read (sql, clock_reads,
# and the migrations input's dropped-column cross-check: insert-ignore, direct-clock and
# ddl-review), kept for those of the others built later, which take them: a Go or Python file
# is parsed for its SQL once per run. At most SHARED_FILES files are kept (the memory is that
# many files' statements); a forked worker's copy is its own, so a split run extracts again.
SHARED_UNITS: StateKey[dict[str, _Kept]] = StateKey("SQL units of files read for several inputs")
SHARED_FILES = 1000


def statements_in_sql(path: str, text: str) -> Iterator[SqlStatement | Finding]:
    starts = line_starts(text)
    for chunk in split_statements(text):
        if chunk.unterminated:
            line, column = FileOffsets(starts, 0)(chunk.unterminated_at)
            yield parse_error(
                path,
                f"unterminated {chunk.unterminated} starting here runs to the end of the file",
                line,
                column,
            )
            continue
        # a templated file ({$NAME}, {{ name }}, ${name}, %(name)s) reads as the SQL it renders
        text, _ = normalise_placeholders(chunk.text, "name", printf=False)
        statement = SqlStatement(path, text, FileOffsets(starts, chunk.start))
        yield statement
        yield from expand_routine(statement)  # the statements inside a trigger or procedure body


def code_extractor(path: str, text: str, include_generated: bool) -> Callable[..., Iterable[Any]] | None:
    """The ``extract(path, text)`` of the file's language (guardrails.languages), or
    None: no extractor for its extension, or generated or vendored code left out."""
    language = language_of(path)
    target = language.sql_extractor if language else None
    if target is None:
        return None
    if not include_generated:
        from guardrails.sql.code.generated import is_generated, is_vendored

        if is_vendored(path) or is_generated(text):
            return None
    module_name, _, attr = target.partition(":")
    extract: Callable[..., Iterable[Any]] = getattr(importlib.import_module(module_name), attr)
    return extract


def units_in_file(workspace: Workspace, path: str, include_generated: bool = False) -> Iterator[Any]:
    """The SourceFile record and every statement or builder call of one file."""
    if path.endswith(".sql"):
        # read as bytes: one binary BLOB in a mysqldump must not hide every statement of the file
        try:
            text, bad = decode_sql(workspace.read_bytes(path))
        except UnreadableFile as exc:
            yield parse_error(path, str(exc), exc.line, exc.column)
            return
        yield source_file(path, text)
        yield from _undecodable(path, text, bad)
        yield from statements_in_sql(path, text)
        return
    try:
        text = workspace.read_text(path)
    except UnreadableFile as exc:
        yield parse_error(path, str(exc), exc.line, exc.column)
        return
    yield source_file(path, text)
    extract = code_extractor(path, text, include_generated)
    if extract is None:
        return
    try:
        units = list(extract(path, text))
    except (Exception, RecursionError) as exc:  # one file the extractor chokes on stops nothing
        yield parse_error(path, f"could not read the code for SQL ({type(exc).__name__}: {exc})")
        return
    yield from units


def shared_units_in_file(
    ctx: LoadContext, path: str, include_generated: bool, reader: str, others: Iterable[str]
) -> list[Any]:
    """units_in_file for the input ``reader``: taken from what another input extracted of this
    file earlier in the run, or extracted and kept for those of ``others`` that read it later."""
    shared = ctx.state.get(SHARED_UNITS, dict)
    kept = shared.get(path)
    if kept is not None and reader in kept.readers:
        kept.readers.discard(reader)
        if not kept.readers:
            del shared[path]
        # the other input's findings are its own: a copy, not the same finding twice
        return [replace(u) if isinstance(u, Finding) else u for u in kept.units]
    units = list(units_in_file(ctx.workspace, path, include_generated))
    readers = {other for other in others if ctx.state.builds_later(reader, other)}
    if readers and len(shared) < SHARED_FILES:
        shared[path] = _Kept(units, readers)
    return units


def decode_sql(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    """The text of a .sql file, each byte that is not UTF-8 read as U+FFFD; and the
    (character offset, byte count) of every undecodable span."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    size = pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:  # decoding stops at the error: linear over the file
            good = data[pos : pos + exc.start].decode("utf-8")
            parts += [good, "\ufffd"]
            size += len(good)
            spans.append((size, exc.end - exc.start))
            size += 1
            pos += exc.end
    return "".join(parts), spans


def _undecodable(path: str, text: str, spans: list[tuple[int, int]]) -> Iterator[Finding]:
    """One parse-error per line holding bytes that are not UTF-8: the rest was checked."""
    at = FileOffsets(line_starts(text), 0)
    lines: dict[int, tuple[int, int]] = {}  # line -> (column of the first span, bytes)
    for offset, count in spans:
        line, column = at(offset)
        first, total = lines.get(line, (column, 0))
        lines[line] = (first, total + count)
    for line, (column, count) in lines.items():
        message = f"{count} byte(s) not UTF-8, read as U+FFFD; the statements were still checked"
        yield parse_error(path, message, line, column)


def sql_files(ctx: LoadContext) -> list[str]:
    """The files the ``sql`` input reads: the engine splits this list between processes."""
    return ctx.workspace.select(SqlSettings.of(ctx.config).sources)


def load_statements(ctx: LoadContext) -> Iterator[SqlStatement | QueryBuilderCall | Finding | SourceFile]:
    from guardrails.sql.schema import SCHEMA

    generated = SqlSettings.of(ctx.config).include_generated
    workspace = ctx.workspace
    # On a pull request's diff the files are the pull request's: keep their statements for the
    # pull-request rules' new queries, which would otherwise extract every changed file again,
    # when the pull_request input is still to come.
    diff = workspace.base is not None and workspace.scope != "all"
    keep = diff and ctx.state.builds_later("sql", "pull_request")
    kept = ctx.state.get(READ_STATEMENTS, dict) if keep else None
    for path in sql_files(ctx):
        statements: list[SqlStatement] = []
        read = False
        for unit in shared_units_in_file(ctx, path, generated, "sql", ["clock_reads"]):
            read = read or isinstance(unit, SourceFile)
            if isinstance(unit, SqlStatement) and kept is not None:
                statements.append(unit)
            yield unit
            if isinstance(unit, SqlStatement):
                unit.release()  # every rule has read it: its tree would stay alive with the file's list
        if kept is not None and read:
            kept[path] = statements
    # A rule that needed the schema model built it while checking: what the model could not
    # read (schema DDL, an unreachable database) is this input's to report, once.
    schema = ctx.state.peek(SCHEMA)
    if schema is not None:
        yield from schema.sources
        yield from schema.problems
