"""The ``sql`` input: every statement in .sql files and in application code, and builder calls.

Its units are ``SqlStatement`` (text that MySQL would execute, with the way back to the
file) and ``QueryBuilderCall`` (an ORM or query-builder call that sets a modifier such as
IGNORE without the word in any literal). It owns the ``sql`` and ``database`` sections.
"""

from __future__ import annotations

from guardrails.inputs import Input, lazy
from guardrails.sql.code.builders import QueryBuilderCall
from guardrails.sql.settings import DATABASE_SECTION, SQL_SECTION
from guardrails.sql.statement import SqlStatement

SQL: Input[SqlStatement | QueryBuilderCall] = Input(
    name="sql",
    summary="SQL statements in .sql files and application code, and query-builder calls",
    units=(SqlStatement, QueryBuilderCall),
    load=lazy("guardrails.sql.source:load_statements"),
    files=lazy("guardrails.sql.source:sql_files"),
    config={"sql": SQL_SECTION, "database": DATABASE_SECTION},
    empty="no SQL statement in the files checked (sql.sources)",
)
