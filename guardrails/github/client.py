"""The few GitHub REST calls guardrails makes, through github3.py, with retries and safe errors.

Comments go through github3.py's models. Check runs go through its session
straight to the REST endpoints: github3.py's check-run helpers demand GitHub
App authentication, which an Actions ``GITHUB_TOKEN`` is not.

Retries: 5xx answers, timeouts, dropped connections and rate limits (403 or
429 with ``Retry-After``, or ``x-ratelimit-remaining: 0``, or GitHub's
"secondary rate limit" message) are retried with exponential backoff,
waiting what ``Retry-After`` asks. A 403 that is none of these (a read-only
token) is not retried. Errors carry GitHub's status and message, never the
token: the session's ``repr`` would show the first characters of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
        import github3
        from github3.session import GitHubSession

        self.policy = policy or RetryPolicy()
        self._note = note
        self._sleep = sleep
        session = GitHubSession(self.policy.connect_timeout, self.policy.read_timeout)
        self._send = session.request
        session.request = self._request
        session.headers.update({"User-Agent": USER_AGENT, "X-GitHub-Api-Version": API_VERSION})
        # GITHUB_API_URL already ends in /api/v3 on Enterprise: github3's GitHubEnterprise would add
        # it a second time.
        session.base_url = api_url.rstrip("/")
        self.gh = github3.GitHub(session=session)
        self.gh.login(token=token)
        self.session = session

    # -- comments --------------------------------------------------------------------------------
    def identity(self) -> str | None:
        """The login this token comments as, where GitHub tells (a personal token); None for an
        Actions or app installation token, which GET /user refuses."""
        import requests

        try:
            response = self.session.request("GET", self.session.build_url("user"))
        except requests.RequestException:
            return None
        if response.status_code != 200:
            return None
        login = response.json().get("login")
        return str(login) if login else None

    def find_comment(self, repository: str, number: int, marker: str, author: str | None) -> tuple[Any, Any | None]:
        """The issue of the pull request, and its first comment whose body contains ``marker`` and
        that this token wrote: ``author``'s, or, when the token's login is unknown, a bot's. Anyone
        can paste the marker into a comment; that comment is not ours to overwrite or to trust."""
        owner, name = repository.split("/", 1)
        with self._errors(f"reading the comments of {repository}#{number}"):
            issue = self.gh.issue(owner, name, number)
            if issue is None:
                raise GitHubError(f"{repository}#{number} was not found", 404)
            for comment in issue.comments():
                if marker in (comment.body or "") and _written_by(comment, author):
                    return issue, comment
        return issue, None

    def edit_comment(self, comment: Any, body: str) -> str:
        """Replace the body of a comment ``find_comment`` found; returns its URL."""
        with self._errors(f"editing comment {comment.id}"):
            comment.edit(body)
        return str(comment.html_url)

    def create_comment(self, issue: Any, body: str) -> str:
        """Comment on the pull request ``find_comment`` found; returns the comment's URL."""
        with self._errors(f"commenting on #{issue.number}"):
            created = issue.create_comment(body)
        return str(created.html_url)

    # -- check runs (REST through the session) ---------------------------------------------------
    def create_check_run(self, repository: str, payload: dict[str, Any]) -> tuple[int, str]:
        """Create a check run; returns its id and URL."""
        owner, name = repository.split("/", 1)
        url = self.session.build_url("repos", owner, name, "check-runs")
        data = self._call("POST", url, payload, 201, f"creating the check run on {repository}")
        return int(data["id"]), str(data.get("html_url") or "")

    def update_check_run(self, repository: str, check_run_id: int, payload: dict[str, Any]) -> None:
        owner, name = repository.split("/", 1)
        url = self.session.build_url("repos", owner, name, "check-runs", str(check_run_id))
        self._call("PATCH", url, payload, 200, f"updating check run {check_run_id} on {repository}")

    # -- plumbing ---------------------------------------------------------------------------------
    def _call(self, method: str, url: str, payload: dict[str, Any], expect: int, what: str) -> Any:
        import requests

        try:
            response = self.session.request(method, url, json=payload)
        except requests.RequestException as exc:
            raise GitHubError(f"{what}: {_transport(exc)}") from None
        if response.status_code != expect:
            raise _error(what, response.status_code, _message(response))
        return response.json()

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        import requests
        from github3.exceptions import GitHubError as Github3Error
        from github3.exceptions import TransportError

        try:
            yield
        except Github3Error as exc:
            raise _error(what, exc.code, str(exc.msg or "")) from None
        except TransportError as exc:
            raise GitHubError(f"{what}: {_transport(exc.exception)}") from None
        except requests.RequestException as exc:
            raise GitHubError(f"{what}: {_transport(exc)}") from None

    def _request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        import requests

        policy = self.policy
        attempt = 0
        while True:
            try:
                response = self._send(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= policy.retries:
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


def _written_by(comment: Any, author: str | None) -> bool:
    user = getattr(comment, "user", None)
    login = str(getattr(user, "login", "") or "")
    if author is not None:
        return login == author
    return getattr(user, "type", "") == "Bot"
