"""A markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: the same
summary the pull-request comment shows (guardrails.github.comment), so there is one table.

It is not held to a comment's 65,535 characters: where the comment or the check run has to
leave a section out, it points here for the whole of it."""

from __future__ import annotations

from collections.abc import Mapping

from guardrails.engine import RunResult
from guardrails.rules import Rule


def render(result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    from guardrails.github.comment import MARKDOWN_LIMIT, summary

    return summary(result, limit=MARKDOWN_LIMIT) + "\n"
