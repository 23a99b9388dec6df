"""The ``sql`` input: every statement in .sql files and in application code, and builder calls.

Its units are ``SqlStatement`` (text that MySQL would execute, with the way back to the
file) and ``QueryBuilderCall`` (an ORM or query-builder call that sets a modifier such as
IGNORE without the word in any literal). It owns the ``sql`` and ``database`` sections.
"""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding
from guardrails.inputs import Input, LoadContext, SourceFile
from guardrails.sql.code.builders import QueryBuilderCall
from guardrails.sql.settings import DATABASE_SECTION, SQL_SECTION
from guardrails.sql.statement import SqlStatement


def _load(ctx: LoadContext) -> Iterator[SqlStatement | QueryBuilderCall | Finding | SourceFile]:
    from guardrails.sql.source import load_statements

    return load_statements(ctx)


def _files(ctx: LoadContext) -> list[str]:
    from guardrails.sql.source import sql_files

    return sql_files(ctx)


SQL: Input[SqlStatement | QueryBuilderCall] = Input(
    name="sql",
    summary="SQL statements in .sql files and application code, and query-builder calls",
    units=(SqlStatement, QueryBuilderCall),
    load=_load,
    files=_files,
    config={"sql": SQL_SECTION, "database": DATABASE_SECTION},
)
