"""The ``incident_review`` config section: its schema, and the review files it selects."""

from __future__ import annotations

from typing import Any

from guardrails.incident.review import SECTION_KEYS
from guardrails.inputs import GLOBS, LoadContext

# An index page beside the reviews is not a review.
DEFAULT_PATHS = [
    "**/incidents/**/*.md",
    "**/incident-reviews/**/*.md",
    "**/postmortems/**/*.md",
    "!**/README.md",
    "!**/index.md",
]

INCIDENT_REVIEW_SECTION: dict[str, Any] = {
    "type": "object",
    "description": "Incident reviews kept as Markdown (incident-review, guardrails measures)",
    "properties": {
        "paths": {**GLOBS, "description": f"the review files, gitignore-style (default: {', '.join(DEFAULT_PATHS)})"},
        "sections": {
            "type": "object",
            "description": "more heading names per section, besides the built-in English and Japanese ones",
            "properties": {key: GLOBS for key in SECTION_KEYS},
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}


def review_files(ctx: LoadContext) -> list[str]:
    return ctx.workspace.select(list(ctx.section("incident_review").get("paths", DEFAULT_PATHS)))
