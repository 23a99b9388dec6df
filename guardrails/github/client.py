"""The few GitHub REST calls guardrails makes, on a ``requests`` session, with retries and safe errors.

Five endpoints: list, create and edit issue comments, create and update a check run (plus
``GET /user`` to learn whose comments are ours). A client library would add a dependency tree
(github3.py brought PyJWT, cryptography and dateutil: about 20 MB) for a session and these
calls; its check-run helpers also demand GitHub App authentication, which an Actions
``GITHUB_TOKEN`` is not.

Retries: 5xx answers, timeouts, dropped connections and rate limits (403 or
429 with ``Retry-After``, or ``x-ratelimit-remaining: 0``, or GitHub's
"secondary rate limit" message) are retried with exponential backoff,
waiting what ``Retry-After`` asks. A 403 that is none of these (a read-only
token) is not retried, and neither is a POST or PATCH that may have reached GitHub (a read
timeout or a dropped connection: it may have been done). Errors carry GitHub's status and message, never the
token.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

USER_AGENT = "guardrails-ci (+https://github.com/guardrails-ci/guardrails)"
API_VERSION = "2022-11-28"


class GitHubError(Exception):
    """A call to GitHub failed for good; the message is safe to print."""

    def __init__(self, message: str, status: int | None = None, read_only: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.read_only = read_only


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # seconds before the first retry without Retry-After; doubles each time
    max_wait: float = 60.0  # a longer Retry-After means give up now rather than stall the job
    connect_timeout: float = 5.0
    read_timeout: float = 20.0


def wait_before_retry(response: requests.Response, attempt: int, policy: RetryPolicy) -> float | None:
    """Seconds to wait before retrying this answer, or None when retrying cannot help."""
    status = response.status_code
    header = _retry_after(response.headers.get("Retry-After"))
    if status >= 500:
        return header if header is not None else policy.backoff * 2**attempt
    if status not in (403, 429):
        return None
    if header is not None:
        return header
    if response.headers.get("x-ratelimit-remaining") == "0":
        reset = response.headers.get("x-ratelimit-reset", "")
        return max(0.0, float(reset) - time.time()) if reset.isdigit() else 60.0
    if "secondary rate limit" in _message(response).lower():
        return 60.0  # GitHub's documented advice when it gives no Retry-After: wait a minute
    return None


class GitHubClient:
    def __init__(
        self,
        token: str,
        api_url: str,
        note: Callable[[str], None],
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import requests

        self.policy = policy or RetryPolicy()
        self._note = note
        self._sleep = sleep
        # GITHUB_API_URL already ends in /api/v3 on GitHub Enterprise: used as given.
        self.base_url = api_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"token {token}",
                "Accept": "application/vnd.github+json",
                "User-Agent": USER_AGENT,
                "X-GitHub-Api-Version": API_VERSION,
            }
        )

    def url(self, *parts: str) -> str:
        from urllib.parse import quote

        return "/".join([self.base_url, *(quote(p, safe="") for p in parts)])

    # -- comments --------------------------------------------------------------------------------
    def identity(self) -> str | None:
        """The login this token comments as, where GitHub tells (a personal token); None for an
        Actions or app installation token, which GET /user refuses."""
        import requests

        try:
            response = self._request("GET", self.url("user"))
        except requests.RequestException:
            return None
        if response.status_code != 200:
            return None
        login = response.json().get("login")
        return str(login) if login else None

    def find_comment(self, repository: str, number: int, marker: str, author: str | None) -> dict[str, Any] | None:
        """The first comment of pull request ``number`` whose body starts with ``marker`` and that
        this token wrote: ``author``'s, or, when the token's login is unknown, a bot's. Anyone
        can paste the marker into a comment, and a reply quoting ours carries it too (another
        app's bot included): such a comment is not ours to overwrite or to trust. Ours begin with
        the marker; a quote begins with ``>`` or the replier's own words."""
        owner, name = repository.split("/", 1)
        url: str | None = self.url("repos", owner, name, "issues", str(number), "comments") + "?per_page=100"
        what = f"reading the comments of {repository}#{number}"
        while url:
            response = self._checked("GET", url, None, 200, what)
            for comment in response.json():
                if str(comment.get("body") or "").lstrip().startswith(marker) and _written_by(comment, author):
                    return dict(comment)
            url = response.links.get("next", {}).get("url")
        return None

    def edit_comment(self, repository: str, comment: dict[str, Any], body: str) -> str:
        """Replace the body of a comment ``find_comment`` found; returns its URL."""
        owner, name = repository.split("/", 1)
        url = self.url("repos", owner, name, "issues", "comments", str(comment["id"]))
        data = self._call("PATCH", url, {"body": body}, 200, f"editing comment {comment['id']}")
        return str(data.get("html_url") or "")

    def create_comment(self, repository: str, number: int, body: str) -> str:
        """Comment on pull request ``number``; returns the comment's URL."""
        owner, name = repository.split("/", 1)
        url = self.url("repos", owner, name, "issues", str(number), "comments")
        data = self._call("POST", url, {"body": body}, 201, f"commenting on #{number}")
        return str(data.get("html_url") or "")

    # -- check runs ------------------------------------------------------------------------------
    def create_check_run(self, repository: str, payload: dict[str, Any]) -> tuple[int, str]:
        """Create a check run; returns its id and URL."""
        owner, name = repository.split("/", 1)
        url = self.url("repos", owner, name, "check-runs")
        data = self._call("POST", url, payload, 201, f"creating the check run on {repository}")
        return int(data["id"]), str(data.get("html_url") or "")

    def update_check_run(self, repository: str, check_run_id: int, payload: dict[str, Any]) -> None:
        owner, name = repository.split("/", 1)
        url = self.url("repos", owner, name, "check-runs", str(check_run_id))
        self._call("PATCH", url, payload, 200, f"updating check run {check_run_id} on {repository}")

    # -- plumbing ---------------------------------------------------------------------------------
    def _call(self, method: str, url: str, payload: dict[str, Any], expect: int, what: str) -> Any:
        return self._checked(method, url, payload, expect, what).json()

    def _checked(
        self, method: str, url: str, payload: dict[str, Any] | None, expect: int, what: str
    ) -> requests.Response:
        import requests

        try:
            response = self._request(method, url, json=payload)
        except requests.RequestException as exc:
            raise GitHubError(f"{what}: {_transport(exc)}") from None
        if response.status_code != expect:
            raise _error(what, response.status_code, _message(response))
        return response

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        import requests

        policy = self.policy
        timeout = (policy.connect_timeout, policy.read_timeout)
        attempt = 0
        while True:
            try:
                response = self.session.request(method, url, timeout=timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= policy.retries or (method in _NOT_IDEMPOTENT and not _never_sent(exc)):
                    # GitHub may have done it: a POST sent again after a read timeout made a
                    # second comment and a second check run (urllib3's Retry leaves POST out too)
                    raise
                wait = policy.backoff * 2**attempt
                reason = _transport(exc)
            else:
                found = wait_before_retry(response, attempt, policy)
                if found is None or attempt >= policy.retries:
                    return response
                if found > policy.max_wait:
                    self._note(f"GitHub answered {response.status_code} and asks to wait {found:.0f} s")
                    return response
                wait = found
                reason = f"GitHub answered {response.status_code} {_message(response)}".rstrip()
            attempt += 1
            self._note(f"{reason}; retry {attempt} of {policy.retries} in {wait:.1f} s")
            self._sleep(wait)


_NOT_IDEMPOTENT = frozenset({"POST", "PATCH"})


def _never_sent(exc: BaseException) -> bool:
    """Whether the request surely never reached GitHub (no connection was made)."""
    import requests
    from urllib3.exceptions import NewConnectionError

    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)


def _error(what: str, status: int, message: str) -> GitHubError:
    # A token that may read but not write gets 403 "Resource not accessible by integration"
    # (pull requests from forks); a 404 on a write can mean the same for a private repository.
    read_only = status == 403 and "rate limit" not in message.lower()
    detail = f": {message}" if message else ""
    return GitHubError(f"{what}: GitHub answered {status}{detail}", status, read_only)


def _message(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return str(message)[:300] if message else ""


def _transport(exc: BaseException) -> str:
    # requests' messages name the host and path, never headers: the token is not in them.
    kind = "timed out" if "Timeout" in type(exc).__name__ else "connection failed"
    return f"{kind} ({type(exc).__name__})"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _written_by(comment: dict[str, Any], author: str | None) -> bool:
    user = comment.get("user") or {}
    if author is not None:
        return str(user.get("login") or "") == author
    return user.get("type") == "Bot"
