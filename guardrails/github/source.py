"""The ``pull_request`` input: the pull request's description and the queries it adds.

The description comes from ``--pr-body FILE`` (the run's ``arguments["pr_body"]``)
or, in GitHub Actions, from the ``pull_request`` / ``pull_request_target``
event at ``GITHUB_EVENT_PATH``. Without either there is nothing for the
pull-request rules to check and the loader yields nothing.

A new query is a statement present in the head and absent from the base,
compared by fingerprint (guardrails.sql.fingerprint), so reformatting a query
or changing a literal does not make it new. The base is ``--base``'s merge
base, or else the event's base commit when it is in the clone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from guardrails.findings import Finding, parse_error
from guardrails.github.new_queries import merge_base
from guardrails.github.pull_request import PullRequest
from guardrails.inputs import LoadContext, Unread


def load_pull_request(ctx: LoadContext) -> Iterator[PullRequest | Finding | Unread]:
    workspace, config = ctx.workspace, ctx.config
    body_file = ctx.state.arguments.get("pr_body")
    base = workspace.base
    if body_file:
        try:
            body = Path(body_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            yield Unread(f"--pr-body {body_file}: cannot read the description: {why}")
            return
        origin = f"the description ({body_file})"
    else:
        from guardrails.github.event import (
            PULL_REQUEST_EVENTS,
            EventError,
            pull_request_from_payload,
            read_payload,
        )

        event_path = os.environ.get("GITHUB_EVENT_PATH")
        event_name = os.environ.get("GITHUB_EVENT_NAME", "")
        if not event_path or event_name not in PULL_REQUEST_EVENTS:
            return
        try:
            pr = pull_request_from_payload(read_payload(Path(event_path)), event_name)
        except EventError as exc:
            yield parse_error("", f"GITHUB_EVENT_PATH: {exc}")
            return
        if pr is None:
            return
        body = pr.body
        origin = f"the description of pull request #{pr.number}"
        if base is None and pr.base_sha:
            base = merge_base(workspace.root, pr.base_sha)
    unit = PullRequest(body.replace("\r\n", "\n"), origin, workspace, config, base, state=ctx.state)
    yield unit  # the rules have checked it when the loader resumes
    if "rendered" in unit.__dict__:  # a rule read it: say what of it could not be read
        yield from _unread_parts(unit, origin)


def _unread_parts(unit: PullRequest, origin: str) -> Iterator[Finding]:
    from guardrails.pull_request.rendered import MAX_CHARACTERS, MAX_NESTING

    if unit.rendered.read_lines:
        lines = unit.rendered.read_lines
        why = f"is over {MAX_CHARACTERS:,} characters: it was read up to line {lines:,} only"
        yield parse_error("", f"{origin} {why}")
    if unit.rendered.too_deep:
        why = f"nests lists or quotes deeper than {MAX_NESTING} levels: what is deeper was not read"
        yield parse_error("", f"{origin} {why}")
