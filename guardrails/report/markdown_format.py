"""A markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: the same
summary the pull-request comment shows (guardrails.github.comment), so there is one table."""

from __future__ import annotations

from collections.abc import Mapping

from guardrails.engine import RunResult
from guardrails.rules import Rule


def render(result: RunResult, rules: Mapping[str, Rule], *, color: bool = False) -> str:
    from guardrails.github.comment import summary

    return summary(result) + "\n"
