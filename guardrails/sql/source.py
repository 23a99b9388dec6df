"""The ``sql`` and ``migration`` inputs: statements from .sql files and from application code."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from guardrails.findings import Finding, Location, Severity
from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.split import split_statements
from guardrails.sql.statement import SqlStatement
from guardrails.workspace import UnreadableFile, Workspace

# File extension -> "module:function" turning (path, text) into statements found in code.
CODE_EXTRACTORS: dict[str, str] = {}


def parse_error(path: str, message: str, line: int = 0, column: int = 0) -> Finding:
    """A parse-error finding; the engine gives it its configured severity."""
    return Finding("parse-error", Severity.WARNING, Location(path, line, column), message)


def statements_in_sql(path: str, text: str) -> Iterator[SqlStatement | Finding]:
    starts = line_starts(text)
    for chunk in split_statements(text):
        if chunk.unterminated:
            line, column = FileOffsets(starts, 0)(chunk.start)
            yield parse_error(path, f"unterminated {chunk.unterminated} starting here runs to the end of the file", line, column)
            continue
        yield SqlStatement(path, chunk.text, FileOffsets(starts, chunk.start))


def _statements_in(workspace: Workspace, path: str, config: Any) -> Iterator[SqlStatement | Finding]:
    try:
        text = workspace.read_text(path)
    except UnreadableFile as exc:
        yield parse_error(path, str(exc), exc.line, exc.column)
        return
    if path.endswith(".sql"):
        yield from statements_in_sql(path, text)
        return
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    target = CODE_EXTRACTORS.get(extension)
    if target is None:
        return
    module_name, _, attr = target.partition(":")
    extract = getattr(importlib.import_module(module_name), attr)
    yield from extract(path, text, config)


def load_statements(workspace: Workspace, config: Any) -> Iterator[SqlStatement | Finding]:
    for path in workspace.select(config.sql_sources):
        yield from _statements_in(workspace, path, config)


def load_migrations(workspace: Workspace, config: Any) -> Iterator[SqlStatement | Finding]:
    for path in sorted(workspace.select(config.sql_migrations)):
        yield from _statements_in(workspace, path, config)
