"""The ``incident_reviews`` input: one ``Review`` per Markdown file under ``incident_review.paths``.
It owns the ``incident_review`` section (``paths``, and more heading names through ``sections``)."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding
from guardrails.incident.review import Review
from guardrails.incident.settings import INCIDENT_REVIEW_SECTION, review_files
from guardrails.inputs import Input, LoadContext, SourceFile


def _load(ctx: LoadContext) -> Iterator[Review | Finding | SourceFile]:
    from guardrails.incident.source import load_reviews

    return load_reviews(ctx)


INCIDENT_REVIEWS: Input[Review] = Input(
    name="incident_reviews",
    summary="incident reviews (Markdown) under incident_review.paths",
    units=(Review,),
    load=_load,
    files=review_files,
    config={"incident_review": INCIDENT_REVIEW_SECTION},
)
