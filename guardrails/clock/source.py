"""The ``clock_reads`` loader: application code by language, and the SQL the ``sql`` input finds.

Code files are chosen by the languages table (guardrails.languages): Go, Python and PHP have
a reader here. SQL comes from the files of ``sql.sources``, through the same extraction the
``sql`` input uses (guardrails.sql.source.units_in_file), so a query in a Go string is read
once and positioned the same way for every rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from guardrails.clock.unit import ClockRead
from guardrails.findings import Finding, parse_error
from guardrails.inputs import LoadContext, SourceFile, source_file
from guardrails.languages import language_of
from guardrails.workspace import UnreadableFile, Workspace

# language name (as in guardrails.languages) -> the module whose reads(path, text) finds clock reads
READERS = {"Go": "guardrails.clock.go", "Python": "guardrails.clock.python", "PHP": "guardrails.clock.php"}


def _reader_module(path: str) -> str | None:
    language = language_of(path)
    return READERS.get(language.name) if language else None


def has_reader(path: str) -> bool:
    """Whether direct-clock reads code of this file's language (without importing its reader)."""
    return _reader_module(path) is not None


def reader_for(path: str) -> Callable[[str, str], Iterable[ClockRead | Finding]] | None:
    module = _reader_module(path)
    if module is None:
        return None
    reads: Callable[[str, str], Iterable[ClockRead | Finding]] = importlib.import_module(module).reads
    return reads


def clock_files(ctx: LoadContext) -> list[str]:
    """Code with a clock reader, and the files SQL is read from: split between processes by the engine."""
    return _files(ctx)[0]


def _files(ctx: LoadContext) -> tuple[list[str], set[str]]:
    """clock_files, and which of them SQL is read from: one pass of the sql input's globs for both."""
    from guardrails.sql.source import sql_files

    sql = set(sql_files(ctx))
    return [p for p in ctx.workspace.files if p in sql or has_reader(p)], sql


def load_reads(ctx: LoadContext) -> Iterator[ClockRead | Finding | SourceFile]:
    from guardrails.sql.settings import SqlSettings

    settings = SqlSettings.of(ctx.config)
    files, sql = _files(ctx)
    for path in files:
        reads = reader_for(path)
        if path in sql and reads is not None:
            from guardrails.sql.code.one_parse import one_parse

            with one_parse():  # the SQL extraction and the clock reader read one syntax tree of the file
                found = [
                    *_sql_reads(ctx, path, settings.include_generated),
                    *_code_reads(ctx.workspace, path, reads, settings.include_generated, record=False),
                ]
            yield from found
        elif path in sql:
            yield from _sql_reads(ctx, path, settings.include_generated)
        elif reads is not None:
            yield from _code_reads(ctx.workspace, path, reads, settings.include_generated, record=True)


def _sql_reads(ctx: LoadContext, path: str, include_generated: bool) -> Iterator[ClockRead | Finding | SourceFile]:
    from guardrails.clock.sql import reads
    from guardrails.sql.source import shared_units_in_file
    from guardrails.sql.statement import SqlParseError, SqlStatement, StatementTooLarge

    # extracted once with the sql input when both are on (insert-ignore and direct-clock)
    for unit in shared_units_in_file(ctx, path, include_generated, "clock_reads", ["sql"]):
        if isinstance(unit, (Finding, SourceFile)):
            yield unit
        elif isinstance(unit, SqlStatement):
            try:
                yield from reads(unit)
                unit.release()  # kept for the sql input maybe: its tree must not stay alive meanwhile
            except SqlParseError as exc:
                if unit.origin == "sql" or isinstance(exc, StatementTooLarge):
                    # SQL in code counts only when it parses, as for every SQL rule; but a huge
                    # literal is skipped for its size, and that is said
                    location = unit.location(exc.offset, exc.offset + 1)
                    reason = (
                        str(exc)
                        if isinstance(exc, StatementTooLarge)
                        else f"cannot parse this statement as MySQL ({exc})"
                    )
                    yield parse_error(
                        path, f"{reason}; no clock read in it could be checked", location.line, location.column
                    )


def _code_reads(
    workspace: Workspace, path: str, reads: Callable[[str, str], Iterable[Any]], include_generated: bool, record: bool
) -> Iterator[ClockRead | Finding | SourceFile]:
    """The clock reads of one code file; ``record``: yield its SourceFile (the SQL side did not)."""
    from guardrails.sql.code.generated import is_generated, is_vendored

    try:
        text = workspace.read_text(path)
    except UnreadableFile as exc:
        if record:
            yield parse_error(path, str(exc), exc.line, exc.column)
        return  # else the SQL side reported it already
    if record:
        yield source_file(path, text)
    if not include_generated and (is_vendored(path) or is_generated(text)):
        return
    try:
        found = list(reads(path, text))
    except (Exception, RecursionError) as exc:  # one file the reader chokes on stops nothing
        yield parse_error(path, f"could not read the code for clock reads ({type(exc).__name__}: {exc})")
        return
    if not record:  # the SQL extraction reported this file's syntax errors already
        found = [f for f in found if not isinstance(f, Finding)]
    yield from found
