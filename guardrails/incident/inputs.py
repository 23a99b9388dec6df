"""The ``incident_reviews`` input: one ``Review`` per Markdown file under ``incident_review.paths``.
It owns the ``incident_review`` section (``paths``, and more heading names through ``sections``)."""

from __future__ import annotations

from guardrails.incident.review import Review
from guardrails.incident.settings import INCIDENT_REVIEW_SECTION, review_files
from guardrails.inputs import Input, lazy

INCIDENT_REVIEWS: Input[Review] = Input(
    name="incident_reviews",
    summary="incident reviews (Markdown) under incident_review.paths",
    units=(Review,),
    load=lazy("guardrails.incident.source:load_reviews"),
    files=review_files,
    config={"incident_review": INCIDENT_REVIEW_SECTION},
    empty="no incident review in the files checked (incident_review.paths)",
)
