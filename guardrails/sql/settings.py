"""The ``sql`` and ``database`` config sections, typed: what the SQL input and the live checks read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guardrails.inputs import GLOBS
from guardrails.languages import default_sql_sources

if TYPE_CHECKING:
    from guardrails.config import Config

DEFAULT_TIME_BUDGET_S = 120.0

SQL_SECTION: dict[str, Any] = {
    "type": "object",
    "description": "Where SQL is read from",
    "properties": {
        "sources": {**GLOBS, "description": "files whose SQL is checked (.sql files and application code)"},
        "schema": {
            **GLOBS,
            "x-guardrails-must-match": True,
            "description": "DDL replayed in name order to model the tables",
        },
        "migrations": {
            **GLOBS,
            "x-guardrails-must-match": True,
            "description": "migration files, replayed after the schema",
        },
        "include_generated": {"type": "boolean", "description": "also read generated and vendored code"},
        "server": {"type": "string", "description": "the server the SQL runs on, e.g. mysql-8.0, mariadb-10.11"},
    },
    "additionalProperties": False,
}
DATABASE_SECTION: dict[str, Any] = {
    "type": "object",
    "description": "A database for the live checks (EXPLAIN only)",
    "properties": {
        # x-guardrails-env: the one value where ${VAR} is expanded (guardrails.config)
        "dsn": {"type": "string", "description": "mysql://user:pass@host:port/db", "x-guardrails-env": True},
        "time_budget_s": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "seconds all live checks of a run may take together (default 120)",
        },
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class SqlSettings:
    sources: list[str]
    schema: list[str]
    migrations: list[str]
    include_generated: bool
    server: str
    dsn: str | None  # database.dsn: live checks run only with one
    time_budget_s: float = DEFAULT_TIME_BUDGET_S  # database.time_budget_s: for all live checks of a run

    @classmethod
    def of(cls, config: Config) -> SqlSettings:
        sql = config.section("sql")
        database = config.section("database")
        dsn = database.get("dsn")
        return cls(
            sources=list(sql.get("sources", default_sql_sources())),
            schema=list(sql.get("schema", [])),
            migrations=list(sql.get("migrations", [])),
            include_generated=bool(sql.get("include_generated", False)),
            server=str(sql.get("server", "mysql-8.0")),
            dsn=str(dsn) if dsn else None,
            time_budget_s=float(database.get("time_budget_s", DEFAULT_TIME_BUDGET_S)),
        )
