"""The ``pull_request`` input: the pull request's description (``--pr-body FILE``, or the
GitHub Actions event) and, on demand, the queries it adds. It owns ``pull_request``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guardrails.findings import Finding
from guardrails.github.pull_request import PullRequest
from guardrails.inputs import Input, LoadContext, Unread

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


def _load(ctx: LoadContext) -> Iterator[PullRequest | Finding | Unread]:
    from guardrails.github.source import load_pull_request

    return load_pull_request(ctx)


PULL_REQUEST: Input[PullRequest] = Input(
    name="pull_request",
    summary="the pull request's description and the queries it adds",
    units=(PullRequest,),
    load=_load,
    config={"pull_request": PULL_REQUEST_SECTION},
)
