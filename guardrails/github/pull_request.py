"""The ``pull_request`` input's unit: the pull request's description and the queries it adds."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guardrails.config import Config
    from guardrails.github.new_queries import NewQuery
    from guardrails.pull_request.rendered import Rendered
    from guardrails.state import RunState
    from guardrails.workspace import Workspace


@dataclass(eq=False)
class PullRequest:
    body: str
    origin: str  # where the description came from, for messages
    workspace: Workspace = field(repr=False)
    config: Config = field(repr=False)
    base: str | None  # commit the head is compared with; None: new queries cannot be told
    path: str = ""  # the pull request itself
    state: RunState | None = field(default=None, repr=False)  # the run's, for the sql input's statements

    @cached_property
    def rendered(self) -> Rendered:
        """The description as GitHub shows it, read once for every rule that reads it."""
        from guardrails.pull_request.rendered import render

        return render(self.body)

    @cached_property
    def new_queries(self) -> list[NewQuery]:
        """Computed on first use, so pr-checklist alone never parses SQL."""
        from guardrails.github.new_queries import find_new_queries

        return find_new_queries(self.workspace, self.config, self.base, self.state)
