"""The ``sql`` and ``migration`` inputs: statements from .sql files and from application code.

Large trees are read by a pool of processes (extraction is CPU-bound: parsing every
source file), in chunks whose results come back in path order, so the output is
the same whatever the number of processes. ``GUARDRAILS_JOBS`` sets the number
(1: in-process); by default small trees stay in-process, where a pool costs more
than it saves.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
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
PARALLEL_MIN_FILES = 400  # below this a process pool's start-up costs more than it saves
_CHUNK_FILES = 64


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


def _statements_in(
    workspace: Workspace, path: str, config: Any, include_generated: bool = False
) -> Iterator[Any]:
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
    if not include_generated:
        from guardrails.sql.code.generated import is_generated, is_vendored

        if is_vendored(path) or is_generated(text):
            return
    module_name, _, attr = target.partition(":")
    extract = getattr(importlib.import_module(module_name), attr)
    try:
        units = list(extract(path, text, config))
    except (Exception, RecursionError) as exc:  # one file the extractor chokes on stops nothing
        yield parse_error(path, f"could not read the code for SQL ({type(exc).__name__}: {exc})")
        return
    yield from units


def include_generated(config: Any) -> bool:
    return bool(config.section("sql").get("include_generated", False))


def load_statements(workspace: Workspace, config: Any) -> Iterator[Any]:
    paths = workspace.select(config.sql_sources)
    generated = include_generated(config)
    # Splitting .sql files is cheap next to sending their statements between processes;
    # only extraction from application code (parsers for every literal) pays for a pool.
    code = [p for p in paths if not p.endswith(".sql")]
    jobs = _jobs(len(code))
    for path in paths if jobs <= 1 else [p for p in paths if p.endswith(".sql")]:
        yield from _statements_in(workspace, path, config, generated)
    if jobs > 1:
        yield from _in_processes(workspace, code, generated, jobs)


def load_migrations(workspace: Workspace, config: Any) -> Iterator[Any]:
    for path in sorted(workspace.select(config.sql_migrations)):
        yield from _statements_in(workspace, path, config)


# -- many cores ---------------------------------------------------------------------------------
def _jobs(files: int) -> int:
    """How many processes to read ``files`` files with."""
    wanted = os.environ.get("GUARDRAILS_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), max(1, -(-files // _CHUNK_FILES)))
    if files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files // _CHUNK_FILES))


def _in_processes(
    workspace: Workspace, paths: list[str], generated: bool, jobs: int
) -> Iterator[Any]:
    from concurrent.futures import ProcessPoolExecutor

    chunks = [paths[i : i + _CHUNK_FILES] for i in range(0, len(paths), _CHUNK_FILES)]
    root = str(workspace.root)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # map keeps the order of the chunks, so the output does not depend on scheduling
        for chunk, units in zip(
            chunks, pool.map(_extract_chunk, [(root, c, generated) for c in chunks]), strict=True
        ):
            workspace.read_paths.update(chunk)
            yield from units


def _extract_chunk(job: tuple[str, list[str], bool]) -> list[Any]:
    """In a worker process: the units of some files, without their parse caches (sqlglot
    trees are large to send back, and the main process re-parses only what rules read)."""
    root, paths, generated = job
    workspace = Workspace(Path(root), [], list(paths))
    units: list[Any] = []
    for path in paths:
        for unit in _statements_in(workspace, path, None, generated):
            if isinstance(unit, SqlStatement):
                unit._parsed = None
            units.append(unit)
    return units
