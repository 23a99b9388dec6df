"""What GitHub Actions says about the run: the event payload at ``GITHUB_EVENT_PATH`` and friends.

The payload is the webhook body GitHub delivered (``pull_request``,
``pull_request_target``, ``push``, ``issue_comment``, ...). Only a few fields
matter to guardrails, so they are copied into small typed records; a payload
that cannot be read is an ``EventError`` naming the file, never a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_API_URL = "https://api.github.com"
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
_NULL_SHA = "0" * 40


class EventError(Exception):
    """The event payload is missing, not JSON, or not shaped like a GitHub event."""


@dataclass(frozen=True)
class PullRequestContext:
    repository: str  # "owner/name" of the base repository, where comments and check runs go
    number: int
    head_sha: str  # "" when the event does not say (issue_comment)
    head_ref: str
    base_ref: str
    base_sha: str
    body: str  # the description; "" when empty
    fork: bool  # head lives in another repository: Actions gives `pull_request` a read-only token
    draft: bool
    event_name: str

    @property
    def owner(self) -> str:
        return self.repository.partition("/")[0]

    @property
    def name(self) -> str:
        return self.repository.partition("/")[2]


@dataclass(frozen=True)
class RunContext:
    """Where results of this run belong: a repository, a commit, and the pull request if any."""

    repository: str
    sha: str  # the commit a check run is attached to ("" if unknown)
    event_name: str
    api_url: str
    pull_request: PullRequestContext | None


def read_payload(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EventError(f"{path}: cannot read the event payload: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EventError(f"{path}: the event payload is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise EventError(f"{path}: the event payload is not a JSON object")
    return data


def pull_request_from_payload(payload: Mapping[str, Any], event_name: str = "") -> PullRequestContext | None:
    """The pull request an event is about, or None (push, workflow_dispatch, an issue comment)."""
    pr = payload.get("pull_request")
    if isinstance(pr, dict):
        return _from_pull_request(pr, event_name or "pull_request")
    issue = payload.get("issue")
    if isinstance(issue, dict) and issue.get("pull_request"):
        # A comment on a pull request: the payload carries the description but not the commits.
        return PullRequestContext(
            repository=_text(_get(payload, "repository", "full_name")),
            number=_number(issue.get("number")),
            head_sha="",
            head_ref="",
            base_ref="",
            base_sha="",
            body=_text(issue.get("body")),
            fork=False,
            draft=bool(issue.get("draft")),
            event_name=event_name or "issue_comment",
        )
    return None


def run_context(env: Mapping[str, str] | None = None) -> RunContext:
    """Read the run's context from the environment GitHub Actions sets.

    Raises ``EventError`` when ``GITHUB_EVENT_PATH`` names a file that cannot be read.
    """
    env = os.environ if env is None else env
    event_name = env.get("GITHUB_EVENT_NAME", "")
    payload: dict[str, Any] = {}
    if env.get("GITHUB_EVENT_PATH"):
        payload = read_payload(Path(env["GITHUB_EVENT_PATH"]))
    pr = pull_request_from_payload(payload, event_name)
    repository = env.get("GITHUB_REPOSITORY") or _text(_get(payload, "repository", "full_name"))
    if pr is not None and pr.head_sha:
        # GITHUB_SHA is the merge commit on pull_request events, not what the author pushed.
        sha = pr.head_sha
    elif pr is not None:
        # issue_comment names no commit and GITHUB_SHA is the default branch's: the report
        # attaches the check run to the commit checked out, which is the one that was checked.
        sha = ""
    else:
        after = _text(payload.get("after"))
        sha = after if after and after != _NULL_SHA else env.get("GITHUB_SHA", "")
    api_url = (env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
    return RunContext(repository=repository, sha=sha, event_name=event_name, api_url=api_url, pull_request=pr)


def current_pull_request(env: Mapping[str, str] | None = None) -> PullRequestContext | None:
    """The pull request of this Actions run, or None outside a pull-request event."""
    return run_context(env).pull_request


def _from_pull_request(pr: Mapping[str, Any], event_name: str) -> PullRequestContext:
    head_repo = _get(pr, "head", "repo", "full_name")
    base_repo = _text(_get(pr, "base", "repo", "full_name"))
    if not base_repo:
        raise EventError("the pull_request in the event payload has no base repository")
    return PullRequestContext(
        repository=base_repo,
        number=_number(pr.get("number")),
        head_sha=_text(_get(pr, "head", "sha")),
        head_ref=_text(_get(pr, "head", "ref")),
        base_ref=_text(_get(pr, "base", "ref")),
        base_sha=_text(_get(pr, "base", "sha")),
        body=_text(pr.get("body")),
        # A deleted fork leaves head.repo null: still a fork as far as the token goes.
        fork=head_repo != base_repo,
        draft=bool(pr.get("draft")),
        event_name=event_name,
    )


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise EventError(f"the event payload has no valid pull request number (got {value!r})")
