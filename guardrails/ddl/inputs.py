"""The ``migrations`` input: every DDL statement of ``sql.migrations``, with the schema just before it.

The schema files that are not migrations are replayed first; then each migration file, in
name order, statement by statement: a statement is judged (guardrails.ddl.review) against
the model as it stands, then applied to it. Migrations outside the pull request's diff are
replayed too (later ones depend on them); the engine keeps only findings in scope.
"""

from __future__ import annotations

from guardrails.ddl.unit import DdlStatement
from guardrails.inputs import Input, LoadContext, lazy


def _no_migration(ctx: LoadContext) -> str:
    if not ctx.section("sql").get("migrations"):
        return "no migration to review (sql.migrations is not set)"
    return "no DDL statement in sql.migrations among the files checked"


MIGRATIONS: Input[DdlStatement] = Input(
    name="migrations",
    summary="DDL statements of sql.migrations, each with the schema as it stands just before it",
    units=(DdlStatement,),
    load=lazy("guardrails.ddl.replay:migrations"),
    config={},  # reads the sql section (sql.schema, sql.migrations, sql.server), which the sql input owns
    empty=_no_migration,
)
