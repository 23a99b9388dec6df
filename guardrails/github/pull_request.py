"""The ``pull_request`` input's unit: the pull request's description and the queries it adds."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guardrails.config import Config
    from guardrails.sql.statement import SqlStatement
    from guardrails.workspace import Workspace


@dataclass(eq=False)
class NewQuery:
    statement: SqlStatement
    fingerprint: str

    @cached_property
    def tables(self) -> dict[str, frozenset[str]] | None:
        """Table -> the names its plan may show (the table and its aliases); None if not a query."""
        from guardrails.github.source import query_tables

        return query_tables(self.statement)

    @property
    def one_line(self) -> str:
        from guardrails.github.source import one_line

        return one_line(self.statement.text)


@dataclass(eq=False)
class PullRequest:
    body: str
    origin: str  # where the description came from, for messages
    workspace: Workspace = field(repr=False)
    config: Config = field(repr=False)
    base: str | None  # commit the head is compared with; None: new queries cannot be told
    path: str = ""  # the pull request itself

    @cached_property
    def new_queries(self) -> list[NewQuery]:
        """Computed on first use, so pr-checklist alone never parses SQL."""
        from guardrails.github.source import find_new_queries

        return find_new_queries(self.workspace, self.config, self.base)
