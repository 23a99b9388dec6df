"""Where this run's schema model comes from: information_schema with ``database.dsn``, else
the ``sql.schema`` DDL replayed. A module of its own so that the model (guardrails.sql.schema)
imports neither of the two builders, both of which import the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guardrails.sql.schema import SCHEMA, Schema
from guardrails.sql.settings import SqlSettings
from guardrails.state import RunState

if TYPE_CHECKING:
    from guardrails.config import Config
    from guardrails.workspace import Workspace


def load_schema(workspace: Workspace, config: Config, state: RunState) -> Schema:
    """The schema model for this run, built once: from information_schema with
    ``database.dsn``, else by replaying ``sql.schema``. What it could not read is in
    ``problems``; the sql input reports those once (see guardrails.sql.source)."""

    def build() -> Schema:
        settings = SqlSettings.of(config)
        if settings.dsn:
            from guardrails.mysql.information_schema import load_schema_from_db

            return load_schema_from_db(settings.dsn)
        from guardrails.sql.schema_replay import replay_files

        return replay_files(workspace, sorted(workspace.select_all(settings.schema)))

    return state.get(SCHEMA, build)
