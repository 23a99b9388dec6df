"""A local GitHub REST API that holds every request to GitHub's official description.

It serves the operations guardrails uses, copied verbatim from GitHub's REST
description (``tests/fixtures/github/operations.json``, see
``make_operations.py`` there). Each request's method, path, path parameters,
query and JSON body is validated against that description; a request it does
not allow is recorded in ``violations`` and answered 422 as GitHub would, and
``GitHubAPI.close`` fails the test if there was any. Answers are built from the
description's own examples with the server's state (ids, bodies, URLs pointing
back at this server) and are validated against the response schema too.

Faults are queued with ``fail(operation_id, status, ...)``: 500s, 403 secondary
rate limits with Retry-After, 422s, slow answers. ``read_only = True`` makes
every write answer 403 "Resource not accessible by integration", as GitHub
does for the token of a pull request from a fork.
"""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.github_spec import Description, Operation

COMMENT_LIMIT = 65536  # GitHub refuses longer comment bodies with 422; the description does not say
# An annotation's message and raw_details: "The maximum size is 64 KB", and its title "255
# characters", say the description's words (not its schema). 64 KB is read the stricter way.
ANNOTATION_BYTES = 64_000
ANNOTATION_TITLE = 255
DOCS = "https://docs.github.com/rest"


@dataclass
class Fault:
    operation_id: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "Server Error"
    delay: float = 0.0  # seconds to wait before answering (a slow GitHub)


@dataclass
class Call:
    operation_id: str
    method: str
    path: str
    query: dict[str, str]
    body: Any
    authorization: str
    status: int = 0
    at: float = field(default_factory=time.monotonic)


class GitHubAPI:
    def __init__(self, token: str, prefix: str = "") -> None:
        self.token = token
        self.prefix = prefix.rstrip("/")  # "/api/v3" to play GitHub Enterprise
        self.description = Description()
        self._lock = threading.Lock()
        self._in_flight = 0
        self.reset()
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.server.expect_request(re.compile(r"/.*")).respond_with_handler(self._handle)
        self.server.start()

    @property
    def url(self) -> str:
        return self.server.url_for(self.prefix or "/").rstrip("/")

    def settle(self) -> None:
        """Wait until the answers still being sent (slow ones) are out."""
        deadline = time.monotonic() + 10
        while self._in_flight and time.monotonic() < deadline:
            time.sleep(0.05)

    def reset(self) -> None:
        """Forget all state."""
        self.settle()
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.read_only = False
        self.identity: str | None = None  # a personal token's login; None plays an Actions token
        self.comments: dict[int, dict[str, Any]] = {}  # id -> comment as GitHub returns it
        self.check_runs: dict[int, dict[str, Any]] = {}  # id -> {"create": body, "updates": [...]}
        self.annotations: dict[int, list[dict[str, Any]]] = {}
        self._next_id = 1000

    def close(self) -> None:
        self.server.clear()
        self.server.stop()

    def fail(self, operation_id: str, status: int = 500, times: int = 1, **kwargs: Any) -> None:
        self.faults += [Fault(operation_id, status, **kwargs) for _ in range(times)]

    def rate_limit(self, operation_id: str, retry_after: int = 1, times: int = 1) -> None:
        message = "You have exceeded a secondary rate limit. Please wait a few minutes."
        self.fail(operation_id, 403, times, headers={"Retry-After": str(retry_after)}, message=message)

    def calls_to(self, operation_id: str) -> list[Call]:
        return [c for c in self.calls if c.operation_id == operation_id]

    def add_comment(self, number: int, body: str, login: str = "octocat", kind: str = "User") -> int:
        """A comment someone else wrote, already on the pull request (``kind="Bot"``: an app's)."""
        comment_id = self._new_id()
        self.comments[comment_id] = self._comment_json(comment_id, number, body, login)
        self.comments[comment_id]["user"]["type"] = kind
        return comment_id

    # -- request handling -------------------------------------------------------------------------
    def _handle(self, request: Request) -> Response:
        with self._lock:
            self._in_flight += 1
        try:
            return self._handle_one(request)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _handle_one(self, request: Request) -> Response:
        path = request.path
        body: Any = None
        if request.data:
            try:
                body = json.loads(request.data)
            except ValueError:
                return self._violation(f"{request.method} {path}: body is not JSON")
        query = {k: v for k, v in request.args.items()}
        call = Call("", request.method, path, query, body, request.headers.get("Authorization", ""))
        with self._lock:
            self.calls.append(call)
        if self.prefix and not path.startswith(self.prefix + "/"):
            return self._violation(f"{request.method} {path}: outside the API prefix {self.prefix}")
        found = self.description.match(request.method.lower(), path[len(self.prefix) :])
        if found is None:
            return self._violation(f"{request.method} {path}: no such operation in GitHub's description")
        op, params = found
        call.operation_id = op.operation_id
        if call.authorization not in (f"token {self.token}", f"Bearer {self.token}"):
            return self._answer(call, 401, {"message": "Bad credentials", "documentation_url": DOCS})
        problems = self.description.validate_request(op, params, query, body)
        if problems:
            for problem in problems:
                self.violations.append(f"{op.operation_id}: {problem}")
            return self._answer(
                call,
                422,
                {
                    "message": "Invalid request.\n\n" + "\n".join(problems),
                    "documentation_url": DOCS,
                },
            )
        fault = self._take_fault(op.operation_id)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status < 400:
                return self._serve(op, params, query, body, call, request)
            return self._answer(
                call,
                fault.status,
                {"message": fault.message, "documentation_url": DOCS},
                fault.headers,
            )
        if self.read_only and op.method != "get":
            message = "Resource not accessible by integration"
            return self._answer(call, 403, {"message": message, "documentation_url": DOCS})
        return self._serve(op, params, query, body, call, request)

    def _serve(
        self,
        op: Operation,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        call: Call,
        request: Request,
    ) -> Response:
        handler = getattr(self, "_op_" + op.operation_id.replace("/", "_").replace("-", "_"))
        status, payload, headers = handler(params, query, body)
        payload = _media_type(copy.deepcopy(payload), request.headers.get("Accept", ""))
        if status < 300:
            for error in self.description.validate_response(op, status, payload):
                self.violations.append(f"{op.operation_id}: the test server's own answer: {error}")
        return self._answer(call, status, payload, headers)

    def _answer(self, call: Call, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        call.status = status
        return Response(
            json.dumps(payload),
            status=status,
            headers=headers or {},
            content_type="application/json; charset=utf-8",
        )

    def _violation(self, problem: str) -> Response:
        self.violations.append(problem)
        return Response(json.dumps({"message": problem}), status=422, content_type="application/json")

    def _take_fault(self, operation_id: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self.faults):
                if fault.operation_id == operation_id:
                    return self.faults.pop(i)
        return None

    # -- the operations ---------------------------------------------------------------------------
    def _op_issues_get(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        issue = self._example("issue")
        number = int(params["issue_number"])
        repo = f"{params['owner']}/{params['repo']}"
        base = f"{self.url}/repos/{repo}"
        issue.update(
            number=number,
            url=f"{base}/issues/{number}",
            comments_url=f"{base}/issues/{number}/comments",
            repository_url=base,
        )
        issue["comments"] = sum(1 for c in self.comments.values() if c["issue_url"].endswith(f"/issues/{number}"))
        return 200, issue, {}

    def _op_issues_list_comments(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        number = int(params["issue_number"])
        mine = [c for _, c in sorted(self.comments.items()) if c["issue_url"].endswith(f"/issues/{number}")]
        per_page = min(100, int(query.get("per_page", 30)))
        page = int(query.get("page", 1))
        chunk = mine[(page - 1) * per_page : page * per_page]
        headers = {}
        last = max(1, -(-len(mine) // per_page))
        if page < last:
            link = f"{self.url}/repos/{params['owner']}/{params['repo']}/issues/{number}/comments"
            headers["Link"] = (
                f'<{link}?{urlencode({**query, "page": page + 1})}>; rel="next", '
                f'<{link}?{urlencode({**query, "page": last})}>; rel="last"'
            )
        return 200, chunk, headers

    def _op_issues_create_comment(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        if len(body["body"]) > COMMENT_LIMIT:
            return 422, _validation_failed("body is too long (maximum is 65536 characters)"), {}
        comment_id = self._new_id()
        self.comments[comment_id] = self._comment_json(
            comment_id, int(params["issue_number"]), body["body"], self.identity or "github-actions[bot]"
        )
        self.comments[comment_id]["user"]["type"] = "User" if self.identity else "Bot"
        return 201, self.comments[comment_id], {}

    def _op_users_get_authenticated(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        if self.identity is None:  # GitHub's answer to an Actions or app installation token
            return 403, {"message": "Resource not accessible by integration", "documentation_url": DOCS}, {}
        user = self._example("private-user-response-with-public-and-private-profile-information")
        user.update(login=self.identity, user_view_type="private")  # the description's discriminator
        return 200, user, {}

    def _op_issues_update_comment(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        comment_id = int(params["comment_id"])
        if comment_id not in self.comments:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        if len(body["body"]) > COMMENT_LIMIT:
            return 422, _validation_failed("body is too long (maximum is 65536 characters)"), {}
        self.comments[comment_id]["body"] = body["body"]
        return 200, self.comments[comment_id], {}

    def _op_checks_create(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        if self._oversized_annotations(body):
            return 422, _validation_failed("annotation over GitHub's size limits", "CheckRun"), {}
        check_run_id = self._new_id()
        self.check_runs[check_run_id] = {"create": body, "updates": []}
        self.annotations[check_run_id] = list((body.get("output") or {}).get("annotations") or [])
        return 201, self._check_run_json(check_run_id, params, body), {}

    def _op_checks_update(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        check_run_id = int(params["check_run_id"])
        if check_run_id not in self.check_runs:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        if self._oversized_annotations(body):
            return 422, _validation_failed("annotation over GitHub's size limits", "CheckRun"), {}
        self.check_runs[check_run_id]["updates"].append(body)
        # Each update appends its annotations to those already there (as GitHub documents).
        self.annotations[check_run_id] += list((body.get("output") or {}).get("annotations") or [])
        return (
            200,
            self._check_run_json(check_run_id, params, {**self.check_runs[check_run_id]["create"], **body}),
            {},
        )

    def _oversized_annotations(self, body: Any) -> bool:
        """Records, as violations, the annotations over the limits the description states in words."""
        problems = []
        for i, annotation in enumerate((body.get("output") or {}).get("annotations") or []):
            for key in ("message", "raw_details"):
                size = len(str(annotation.get(key, "")).encode("utf-8"))
                if size > ANNOTATION_BYTES:
                    problems.append(f"output/annotations/{i}/{key}: {size} bytes, over 64 KB")
            if len(str(annotation.get("title", ""))) > ANNOTATION_TITLE:
                problems.append(f"output/annotations/{i}/title: over {ANNOTATION_TITLE} characters")
        self.violations += [f"checks: {p}" for p in problems]
        return bool(problems)

    # -- building answers from the description's examples -----------------------------------------
    def _example(self, name: str) -> Any:
        value = copy.deepcopy(self.description.example(name))
        return json.loads(json.dumps(value).replace("https://api.github.com", self.url))

    def _comment_json(self, comment_id: int, number: int, body: str, login: str) -> dict[str, Any]:
        comment = self._example("issue-comment")
        comment.update(
            id=comment_id,
            node_id=f"IC_{comment_id}",
            url=f"{self.url}/repos/Codertocat/Hello-World/issues/comments/{comment_id}",
            html_url=f"https://github.com/Codertocat/Hello-World/pull/{number}#issuecomment-{comment_id}",
            issue_url=f"{self.url}/repos/Codertocat/Hello-World/issues/{number}",
            body=body,
        )
        comment["user"]["login"] = login
        return comment

    def _check_run_json(self, check_run_id: int, params: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        run = self._example("check-run")
        run.update(
            id=check_run_id,
            url=f"{self.url}/repos/{params['owner']}/{params['repo']}/check-runs/{check_run_id}",
            html_url=f"https://github.com/{params['owner']}/{params['repo']}/runs/{check_run_id}",
            name=body.get("name", run["name"]),
            head_sha=body.get("head_sha", run["head_sha"]),
            status=body.get("status", "completed"),
            conclusion=body.get("conclusion"),
        )
        output = body.get("output") or {}
        run["output"].update(
            title=output.get("title"),
            summary=output.get("summary"),
            annotations_count=len(self.annotations.get(check_run_id, [])),
        )
        return run

    def _new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id


def _media_type(payload: Any, accept: str) -> Any:
    """Add body_html / body_text as GitHub does for its ``full``, ``html``, ``text`` media types."""
    kind = re.search(r"application/vnd\.github(?:\.v3)?\.(full|html|text|raw)\+json", accept)
    items = payload if isinstance(payload, list) else [payload]
    for item in items:
        if not (kind and isinstance(item, dict) and isinstance(item.get("body"), str)):
            continue
        if kind.group(1) in ("full", "html"):
            item["body_html"] = "<p>" + html.escape(item["body"]) + "</p>"
        if kind.group(1) in ("full", "text"):
            item["body_text"] = item["body"]
    return payload


def _validation_failed(message: str, resource: str = "IssueComment") -> dict[str, Any]:
    return {
        "message": "Validation Failed",
        "errors": [{"resource": resource, "code": "custom", "field": "body", "message": message}],
        "documentation_url": DOCS,
    }


def render_markdown(text: str) -> str:
    """HTML as CommonMark with GitHub's tables renders it; raw HTML passes through, as on GitHub."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


@contextmanager
def running(token: str) -> Iterator[GitHubAPI]:
    """A local GitHub API for one test, which fails if any request broke GitHub's description."""
    server = GitHubAPI(token)
    try:
        yield server
        server.settle()
        assert server.violations == [], "requests GitHub's description does not allow"
    finally:
        server.close()


WEBHOOKS = Path(__file__).parent / "fixtures" / "github" / "webhooks"


def pull_request_env(api: GitHubAPI, tmp_path: Path, payload: str) -> dict[str, str]:
    """The environment of a GitHub Actions step on a pull_request event (a copy of the real
    webhook payload), with the API pointed at the local server."""
    event = tmp_path / "event.json"
    shutil.copy(WEBHOOKS / payload, event)
    return {
        "GITHUB_TOKEN": api.token,
        "GITHUB_API_URL": api.url,
        "GITHUB_REPOSITORY": "Codertocat/Hello-World",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
