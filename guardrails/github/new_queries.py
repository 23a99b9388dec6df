"""The queries a pull request adds: statements in the head whose fingerprint the base lacks.

A new query is a statement present in the head and absent from the base, compared by
fingerprint (guardrails.sql.fingerprint), so reformatting a query or changing a literal does
not make it new.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guardrails.sql.settings import SqlSettings
from guardrails.sql.source import READ_STATEMENTS, code_extractor, statements_in_sql
from guardrails.sql.statement import SqlParseError, SqlStatement
from guardrails.workspace import UnreadableFile, Workspace, git_output

if TYPE_CHECKING:
    from guardrails.state import RunState


@dataclass(eq=False)
class NewQuery:
    statement: SqlStatement
    fingerprint: str

    @cached_property
    def tables(self) -> dict[str, frozenset[str]] | None:
        """Table -> the names its plan may show (the table and its aliases); None if not a query."""
        return query_tables(self.statement)

    @property
    def one_line(self) -> str:
        return one_line(self.statement.text)


def find_new_queries(
    workspace: Workspace, config: Any, base: str | None, state: RunState | None = None
) -> list[NewQuery]:
    """``state``: the run's; the head statements of a file the sql input already read this run
    are taken from it instead of being extracted again."""
    if base is None:
        return []
    from guardrails.globs import select
    from guardrails.sql.fingerprint import fingerprint

    old: set[str] = set()
    listed = base == workspace.base  # the workspace's diff and listing are of this base: not asked again
    changed = None if listed else git_output(workspace.root, "diff", "--name-only", "-z", "--no-renames", base, "--")
    changed_paths = list(workspace.changed) if listed else [p for p in (changed or "").split("\0") if p]
    for path, text in base_texts(workspace.root, base, select(changed_paths, SqlSettings.of(config).sources)).items():
        old.update(fingerprint(s.text) for s in statements_in(path, text, config))
    # A file the pull request leaves alone holds no new query, even when it is in scope (no --base,
    # --scope all); untracked files are all new.
    if listed:
        untracked = list(workspace.untracked)
    else:
        untracked = (git_output(workspace.root, "ls-files", "-z", "--others", "--exclude-standard") or "").split("\0")
    touched = {*changed_paths, *untracked}
    read = (state.peek(READ_STATEMENTS) if state else None) or {}
    new: list[NewQuery] = []
    for path in workspace.select(SqlSettings.of(config).sources):
        if path not in touched:
            continue
        for statement in read[path] if path in read else _head_statements(workspace, path, config):
            print_ = fingerprint(statement.text)
            if print_ not in old:
                new.append(NewQuery(statement, print_))
    return new


def _head_statements(workspace: Workspace, path: str, config: Any) -> Iterator[SqlStatement]:
    try:
        text = workspace.read_text(path)
    except UnreadableFile:
        return  # the sql input reports it
    yield from statements_in(path, text, config)


def statements_in(path: str, text: str, config: Any) -> Iterator[SqlStatement]:
    """The statements of one version of a file; what cannot be read is the sql input's to report."""
    if path.endswith(".sql"):
        found: Iterator[Any] = statements_in_sql(path, text)
    else:
        extract = code_extractor(path, text, SqlSettings.of(config).include_generated)
        if extract is None:
            return
        try:
            found = iter(list(extract(path, text)))
        except (Exception, RecursionError):  # the sql input reports what its extractor chokes on
            return
    for item in found:
        if isinstance(item, SqlStatement):
            yield item


def query_tables(statement: SqlStatement) -> dict[str, frozenset[str]] | None:
    """The tables a query reads, each with its aliases; None for what EXPLAIN has no plan worth
    reading for (DDL, SET, INSERT ... VALUES, a SELECT without tables, unparsable text)."""
    from sqlglot import exp

    from guardrails.sql.dialect import DIALECT

    try:
        expression = statement.parse().expression
    except SqlParseError:
        return None
    if isinstance(expression, exp.Command) and expression.name.upper() == "REPLACE":
        # sqlglot has no REPLACE ... SELECT; read it as the INSERT it is shaped like
        try:
            expression = DIALECT.parse_statement("INSERT " + statement.text.lstrip()[7:]).expression
        except Exception:  # sqlglot raises several error types here; any means "not a query"
            return None
    if isinstance(expression, exp.Insert):
        source = expression.args.get("expression")
        if not isinstance(source, exp.Query):
            return None
        expression = source
    elif not isinstance(expression, exp.Query | exp.Update | exp.Delete):
        return None
    ctes = {cte.alias.lower() for cte in expression.find_all(exp.CTE)}
    tables: dict[str, set[str]] = {}
    for table in expression.find_all(exp.Table):
        name = table.name.lower()
        if not name or name in ctes:
            continue
        tables.setdefault(name, {name}).update({table.alias.lower()} if table.alias else set())
    return {name: frozenset(names) for name, names in tables.items()} or None


def one_line(sql: str) -> str:
    """The statement on one line, comments dropped, every token as written."""
    from sqlglot.errors import TokenError

    from guardrails.sql.dialect import DIALECT

    try:
        tokens = DIALECT.tokenize(sql)
    except TokenError:
        return " ".join(sql.split())
    parts: list[str] = []
    for i, tok in enumerate(tokens):
        if i and tok.start > tokens[i - 1].end + 1:
            parts.append(" ")
        parts.append(sql[tok.start : tok.end + 1])
    return "".join(parts).rstrip(";").rstrip()


def base_texts(root: Path, base: str, paths: list[str]) -> dict[str, str]:
    """The text at ``base`` of each path that existed there, from one ``git cat-file --batch``
    (a ``git show`` per file started 100 processes for a 100-file pull request)."""
    asked = [p for p in paths if "\n" not in p]  # the batch protocol is line-based
    if not asked:
        return {}
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    request = "".join(f"{base}:{p}\n" for p in asked).encode("utf-8", "surrogateescape")
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"], input=request, capture_output=True, env=env
        )
    except FileNotFoundError:
        return {}
    if result.returncode != 0:
        return {}
    out: dict[str, str] = {}
    data, at = result.stdout, 0
    for path in asked:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":  # "<name> missing": not in the base
            continue
        size = int(header[2])
        out[path] = data[at : at + size].decode("utf-8", "surrogateescape")
        at += size + 1  # the content ends with a newline of the protocol's
    return out


def merge_base(root: Path, commit: str) -> str | None:
    found = git_output(root, "merge-base", commit, "HEAD")
    return found.strip() or None if found else None
