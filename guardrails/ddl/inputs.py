"""The ``migrations`` input: every DDL statement of ``sql.migrations``, with the schema just before it.

The schema files that are not migrations are replayed first; then each migration file, in
name order, statement by statement: a statement is judged (guardrails.ddl.review) against
the model as it stands, then applied to it. Migrations outside the pull request's diff are
replayed too (later ones depend on them); the engine keeps only findings in scope.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guardrails.findings import Finding
from guardrails.inputs import Input, LoadContext, SourceFile

if TYPE_CHECKING:
    from guardrails.ddl.review import Reviewed
    from guardrails.ddl.servers import Server
    from guardrails.sql.schema import Table
    from guardrails.sql.statement import SqlStatement


@dataclass(eq=False)
class DdlStatement:
    """One DDL statement of a migration, judged for ``server``."""

    path: str
    statement: SqlStatement
    reviewed: Reviewed
    server: Server
    existed: bool  # the table existed before the statement (DDL on it takes a metadata lock)
    lock_wait_set: bool  # SET lock_wait_timeout earlier in the file, or MariaDB's WAIT n on it
    first_on_existing: bool  # the file's first DDL on an existing table (where the lock_wait finding goes)
    table_after: Table | None = field(default=None, repr=False)  # the model once applied

    @property
    def table(self) -> Table | None:
        return self.reviewed.table


def _load(ctx: LoadContext) -> Iterator[DdlStatement | Finding | SourceFile]:
    from guardrails.ddl.replay import migrations

    return migrations(ctx)


MIGRATIONS: Input[DdlStatement] = Input(
    name="migrations",
    summary="DDL statements of sql.migrations, each with the schema as it stands just before it",
    units=(DdlStatement,),
    load=_load,
    config={},  # reads the sql section (sql.schema, sql.migrations, sql.server), which the sql input owns
)


def table_copy(table: Table | None) -> Table | None:
    return copy.deepcopy(table) if table is not None else None
