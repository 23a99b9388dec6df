"""The ``pull_request`` input: the pull request's description (``--pr-body FILE``, or the
GitHub Actions event) and, on demand, the queries it adds. It owns ``pull_request``."""

from __future__ import annotations

from typing import Any

from guardrails.github.pull_request import PullRequest
from guardrails.inputs import Input, lazy

PULL_REQUEST_SECTION: dict[str, Any] = {
    "type": "object",
    "description": "Pull-request rules",
    "properties": {
        "checklist": {
            "type": "array",
            "items": {"type": "string"},
            "description": "items the description must have ticked (pr-checklist)",
        }
    },
    "additionalProperties": False,
}


PULL_REQUEST: Input[PullRequest] = Input(
    name="pull_request",
    summary="the pull request's description and the queries it adds",
    units=(PullRequest,),
    load=lazy("guardrails.github.source:load_pull_request"),
    config={"pull_request": PULL_REQUEST_SECTION},
    empty="no pull-request description (--pr-body FILE, or a pull_request event in GitHub Actions)",
)
