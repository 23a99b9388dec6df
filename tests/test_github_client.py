"""The client's retry decisions, and the strictness of the local GitHub the other tests rely on."""

from __future__ import annotations

import io
from collections.abc import Iterator
from email.utils import formatdate
from typing import Any

import pytest
import requests

from guardrails.github.client import GitHubClient, GitHubError, RetryPolicy, wait_before_retry
from tests.github_api import GitHubAPI

TOKEN = "ghs_ClientTest0123456789"


@pytest.fixture
def api() -> Iterator[GitHubAPI]:
    server = GitHubAPI(TOKEN)
    yield server
    server.close()


def answer(status: int, headers: dict[str, str] | None = None, message: str = "") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    response._content = f'{{"message": "{message}"}}'.encode()
    return response


@pytest.mark.parametrize(
    ("status", "headers", "message", "expected"),
    [
        (500, {}, "", 0.5),  # backoff 0.5 * 2**0
        (502, {"Retry-After": "7"}, "", 7.0),
        (403, {"Retry-After": "3"}, "You have exceeded a secondary rate limit", 3.0),
        (403, {}, "You have exceeded a secondary rate limit.", 60.0),
        (429, {"Retry-After": "2"}, "", 2.0),
        (403, {}, "Resource not accessible by integration", None),
        (422, {}, "Validation Failed", None),
        (404, {}, "Not Found", None),
    ],
)
def test_what_is_retried(status: int, headers: dict[str, str], message: str, expected: float | None) -> None:
    assert wait_before_retry(answer(status, headers, message), 0, RetryPolicy(backoff=0.5)) == expected


def test_retry_after_as_a_date_and_rate_limit_reset() -> None:
    import time

    later = formatdate(time.time() + 30, usegmt=True)
    wait = wait_before_retry(answer(503, {"Retry-After": later}), 0, RetryPolicy())
    assert wait is not None and 25 <= wait <= 31
    reset = str(int(time.time()) + 20)
    wait = wait_before_retry(answer(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}), 0, RetryPolicy())
    assert wait is not None and 15 <= wait <= 21


def test_backoff_doubles() -> None:
    policy = RetryPolicy(backoff=0.5)
    assert [wait_before_retry(answer(500), n, policy) for n in range(3)] == [0.5, 1.0, 2.0]


def test_a_long_retry_after_gives_up_at_once(api: GitHubAPI) -> None:
    api.rate_limit("checks/create", retry_after=3600, times=5)
    notes: list[str] = []
    client = GitHubClient(TOKEN, api.url, notes.append, RetryPolicy(max_wait=5))
    with pytest.raises(GitHubError, match="GitHub answered 403: You have exceeded a secondary rate limit") as caught:
        client.create_check_run("o/r", {"name": "guardrails", "head_sha": "a" * 40})
    assert caught.value.read_only is False  # a rate limit, not a missing permission
    assert len(api.calls) == 1 and "asks to wait 3600 s" in notes[0]


def test_connection_refused_is_a_clear_error() -> None:
    notes: list[str] = []
    client = GitHubClient(TOKEN, "http://127.0.0.1:9", notes.append, RetryPolicy(retries=1, backoff=0.01))
    with pytest.raises(GitHubError, match=r"connection failed \(ConnectionError\)"):
        client.create_check_run("o/r", {"name": "guardrails", "head_sha": "a" * 40})
    assert len(notes) == 1 and "retry 1 of 1" in notes[0]


def test_local_github_rejects_what_the_description_forbids(api: GitHubAPI) -> None:
    auth = {"Authorization": f"token {TOKEN}"}
    bad_body: dict[str, Any] = {
        "name": "x",
        "head_sha": "y",
        "status": "bogus",
        "output": {"title": "t"},
    }
    assert requests.post(f"{api.url}/repos/a/b/check-runs", json=bad_body, headers=auth).status_code == 422
    too_many: dict[str, Any] = {
        "name": "x",
        "head_sha": "y",
        "output": {
            "title": "t",
            "summary": "s",
            "annotations": [
                {
                    "path": "a",
                    "start_line": 1,
                    "end_line": 1,
                    "annotation_level": "notice",
                    "message": "m",
                }
            ]
            * 51,
        },
    }
    assert requests.post(f"{api.url}/repos/a/b/check-runs", json=too_many, headers=auth).status_code == 422
    assert requests.get(f"{api.url}/repos/a/b/issues/x/comments", headers=auth).status_code == 422
    assert requests.get(f"{api.url}/repos/a/b/issues/1/comments?foo=1", headers=auth).status_code == 422
    assert requests.delete(f"{api.url}/repos/a/b/issues/1", headers=auth).status_code == 422
    long_comment = {"body": "x" * 65537}
    assert requests.post(f"{api.url}/repos/a/b/issues/1/comments", json=long_comment, headers=auth).status_code == 422
    assert requests.get(f"{api.url}/repos/a/b/issues/1", headers={"Authorization": "token wrong"}).status_code == 401
    assert len(api.violations) == 6
    assert any("status: 'bogus' is not one of" in v for v in api.violations)
    assert any("body: output/annotations: " in v for v in api.violations)  # 51 > maxItems 50
    api.violations.clear()


def test_client_never_shows_the_token(api: GitHubAPI) -> None:
    log = io.StringIO()
    client = GitHubClient(TOKEN, api.url, lambda text: print(text, file=log))
    api.read_only = True
    with pytest.raises(GitHubError) as caught:
        client.create_check_run("o/r", {"name": "guardrails", "head_sha": "a" * 40})
    assert caught.value.read_only is True
    assert TOKEN not in str(caught.value) and TOKEN[:8] not in str(caught.value)
