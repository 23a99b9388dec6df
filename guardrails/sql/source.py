"""The ``sql`` and ``migration`` inputs: statements from .sql files and from application code.

Every file is read on its own, so the engine can spread large trees over processes
(guardrails.parallel): this module stays single-process and in path order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from guardrails.findings import Finding, Location, Severity
from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.routines import expand_routine
from guardrails.sql.split import split_statements
from guardrails.sql.statement import SqlStatement
from guardrails.workspace import UnreadableFile, Workspace

# File extension -> "module:function" turning (path, text, config) into units found in code:
# SqlStatement for literals that are SQL, QueryBuilderCall for builder/ORM calls.
_CODE = "guardrails.sql.code."
CODE_EXTRACTORS: dict[str, str] = {
    "py": _CODE + "python:extract",
    "go": _CODE + "go:extract",
    "java": _CODE + "java:extract",
    "php": _CODE + "php:extract",
    "rb": _CODE + "ruby:extract",
    "ts": _CODE + "typescript:extract",
    "tsx": _CODE + "typescript:extract",
    "js": _CODE + "typescript:extract",
    "jsx": _CODE + "typescript:extract",
    "mjs": _CODE + "typescript:extract",
    "cjs": _CODE + "typescript:extract",
}


def parse_error(path: str, message: str, line: int = 0, column: int = 0) -> Finding:
    """A parse-error finding; the engine gives it its configured severity."""
    return Finding("parse-error", Severity.WARNING, Location(path, line, column), message)


def statements_in_sql(path: str, text: str) -> Iterator[SqlStatement | Finding]:
    starts = line_starts(text)
    for chunk in split_statements(text):
        if chunk.unterminated:
            line, column = FileOffsets(starts, 0)(chunk.start)
            yield parse_error(
                path,
                f"unterminated {chunk.unterminated} starting here runs to the end of the file",
                line,
                column,
            )
            continue
        statement = SqlStatement(path, chunk.text, FileOffsets(starts, chunk.start))
        yield statement
        yield from expand_routine(statement)  # the statements inside a trigger or procedure body


def code_extractor(path: str, text: str, include_generated: bool) -> Callable[..., Iterable[Any]] | None:
    """The ``extract(path, text, config)`` of CODE_EXTRACTORS that reads this code file, or
    None: no extractor for its extension, or generated or vendored code left out."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    target = CODE_EXTRACTORS.get(extension)
    if target is None:
        return None
    if not include_generated:
        from guardrails.sql.code.generated import is_generated, is_vendored

        if is_vendored(path) or is_generated(text):
            return None
    module_name, _, attr = target.partition(":")
    extract: Callable[..., Iterable[Any]] = getattr(importlib.import_module(module_name), attr)
    return extract


def _statements_in(workspace: Workspace, path: str, config: Any, include_generated: bool = False) -> Iterator[Any]:
    try:
        text = workspace.read_text(path)
    except UnreadableFile as exc:
        yield parse_error(path, str(exc), exc.line, exc.column)
        return
    if path.endswith(".sql"):
        yield from statements_in_sql(path, text)
        return
    extract = code_extractor(path, text, include_generated)
    if extract is None:
        return
    try:
        units = list(extract(path, text, config))
    except (Exception, RecursionError) as exc:  # one file the extractor chokes on stops nothing
        yield parse_error(path, f"could not read the code for SQL ({type(exc).__name__}: {exc})")
        return
    yield from units


def include_generated(config: Any) -> bool:
    return bool(config.section("sql").get("include_generated", False))


def sql_files(workspace: Workspace, config: Any) -> list[str]:
    """The files the ``sql`` input reads: the engine splits this list between processes."""
    return workspace.select(config.sql_sources)


def load_statements(workspace: Workspace, config: Any) -> Iterator[Any]:
    generated = include_generated(config)
    for path in sql_files(workspace, config):
        yield from _statements_in(workspace, path, config, generated)


def load_migrations(workspace: Workspace, config: Any) -> Iterator[Any]:
    for path in sorted(workspace.select(config.sql_migrations)):
        yield from _statements_in(workspace, path, config)
