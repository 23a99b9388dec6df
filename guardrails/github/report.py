"""``guardrails run --report-to-pr``: one check run and one summary comment on the pull request.

The check run is named ``guardrails``; its annotations go 50 per request (the
API's cap), up to ``MAX_ANNOTATIONS``, and the summary counts the rest. An
annotation's message is the finding's short one; its rule's why and fix (the
rule's ``help``) go in ``raw_details``, which GitHub shows folded under the
message, and once per rule in the check run's text. The
comment is found again by a hidden marker and edited in place on every push,
so a pull request never collects one comment per push; once the findings are
fixed it says "All clear" (or "No findings" and how many rules had nothing to check).

When GitHub cannot be written to (no token, a read-only token as pull
requests from forks get, GitHub down after the retries), the results go to
workflow-command annotations and ``$GITHUB_STEP_SUMMARY`` instead, and the log
says why. Reporting never raises and never changes the exit code: that is the
findings' business.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from guardrails.engine import RunResult
from guardrails.findings import Finding, Severity
from guardrails.github import comment
from guardrails.github.client import GitHubClient, GitHubError, RetryPolicy
from guardrails.github.event import EventError, RunContext, run_context
from guardrails.github.limits import (
    ANNOTATION_TEXT,
    ANNOTATION_TITLE,
    ANNOTATIONS_PER_REQUEST,
    COMMAND_ANNOTATIONS_PER_LEVEL,
    MAX_ANNOTATIONS,
    STEP_SUMMARY,
    truncate_bytes,
)
from guardrails.rules import Rule

CHECK_NAME = "guardrails"
_LEVEL = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.NOTICE: "notice"}


def report_to_pr(
    result: RunResult,
    root: Path,
    log: TextIO,
    *,
    fail_on: str = "error",
    env: Mapping[str, str] | None = None,
    explain: str | None = None,
    policy: RetryPolicy | None = None,
    helps: Mapping[str, str] | None = None,
) -> None:
    """Report ``result`` to the pull request (or fall back); never raises.

    ``helps`` maps a rule id to its help on one line (``rule_helps``), for the annotations and the check run.

    ``fail_on`` (error | warning | never) sets the check run's conclusion, as it sets the exit code.
    ``explain`` is the markdown block of ``guardrails explain --report-to-pr``; without it, a block
    an earlier run put in the comment is kept. ``env`` defaults to ``os.environ``.
    """
    env = os.environ if env is None else env
    token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or ""
    say = _Redacting(log, token)
    try:
        _report(result, fail_on, root, env, token, say, explain, policy, helps or {})
    except Exception as exc:  # reporting is a courtesy: it must never turn into a crash
        say(f"guardrails: reporting to the pull request failed: {type(exc).__name__}: {exc}")
        _fallback(result, env, say, "an unexpected error while reporting", annotate=True, summarise=True)


def _report(
    result: RunResult,
    fail_on: str,
    root: Path,
    env: Mapping[str, str],
    token: str,
    say: _Redacting,
    explain: str | None,
    policy: RetryPolicy | None,
    helps: Mapping[str, str],
) -> None:
    try:
        ctx = run_context(env)
    except EventError as exc:
        _fallback(
            result,
            env,
            say,
            f"the event payload is unusable ({exc})",
            annotate=True,
            summarise=True,
        )
        return
    if not token:
        _fallback(result, env, say, "GITHUB_TOKEN is not set", annotate=True, summarise=True)
        return
    if not ctx.repository:
        _fallback(result, env, say, "GITHUB_REPOSITORY is not set", annotate=True, summarise=True)
        return
    sha = ctx.sha or _head_sha(root)
    client = GitHubClient(token, ctx.api_url, lambda text: say(f"guardrails: {text}"), policy)

    check_error: GitHubError | None = None
    if sha:
        try:
            url = _check_run(client, ctx.repository, sha, result, fail_on, helps)
            say(f"guardrails: check run {CHECK_NAME!r} posted{f': {url}' if url else ''}")
        except GitHubError as exc:
            check_error = exc
    else:
        check_error = GitHubError("no commit to attach a check run to (GITHUB_SHA is not set)")

    comment_error: GitHubError | None = None
    pr = ctx.pull_request
    if pr is not None:
        try:
            verb, url = _comment(client, ctx, result, sha, explain)
            say(f"guardrails: summary comment {verb}: {url}")
        except GitHubError as exc:
            comment_error = exc
    else:
        event = ctx.event_name or "this"
        say(f"guardrails: the {event} event is not about a pull request: no summary comment")

    if check_error:
        _fallback(result, env, say, _why(check_error, ctx), annotate=True, summarise=False)
    if comment_error or (check_error and pr is None):
        _fallback(
            result,
            env,
            say,
            _why(comment_error or check_error, ctx),
            annotate=False,
            summarise=True,
        )


# -- the check run -------------------------------------------------------------------------------
def rule_helps(rules: Mapping[str, Rule[Any]]) -> dict[str, str]:
    """Each rule's help on one line, by id: what ``report_to_pr`` puts beside the short messages."""
    return {rule.id: rule.help_line for rule in rules.values() if rule.help}


def _check_run(
    client: GitHubClient, repository: str, sha: str, result: RunResult, fail_on: str, helps: Mapping[str, str]
) -> str:
    findings = comment.shown(result)
    annotated = [f for f in findings if f.path][:MAX_ANNOTATIONS]
    left_out = sum(1 for f in findings if f.path) - len(annotated)
    footer = (
        f"**{left_out} finding{'s' if left_out > 1 else ''} not annotated**: guardrails sends the "
        f"first {MAX_ANNOTATIONS}; see the table and the job log."
        if left_out
        else ""
    )
    output: dict[str, Any] = {
        "title": comment.title(result),
        "summary": comment.summary(result, sha, footer=footer),
    }
    text = comment.rule_help(findings, helps)
    if text:
        output["text"] = text
    batches = [annotated[i : i + ANNOTATIONS_PER_REQUEST] for i in range(0, len(annotated), ANNOTATIONS_PER_REQUEST)]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload = {
        "name": CHECK_NAME,
        "head_sha": sha,
        "status": "completed",
        "conclusion": _conclusion(result, fail_on),
        "completed_at": now,
        "output": {
            **output,
            "annotations": [_annotation(f, helps) for f in batches[0]] if batches else [],
        },
    }
    check_run_id, url = client.create_check_run(repository, payload)
    # Each update appends its annotations to those already on the check run.
    for batch in batches[1:]:
        annotations = [_annotation(f, helps) for f in batch]
        client.update_check_run(repository, check_run_id, {"output": {**output, "annotations": annotations}})
    return url


def _conclusion(result: RunResult, fail_on: str) -> str:
    if result.internal_errors:
        return "failure"
    if fail_on == "never":
        return "neutral" if comment.shown(result) else "success"
    threshold = Severity.parse(fail_on)
    return "failure" if any(f.severity >= threshold for f in comment.shown(result)) else "success"


def _annotation(f: Finding, helps: Mapping[str, str]) -> dict[str, Any]:
    loc = f.location
    start = max(1, loc.line)
    end = max(start, loc.end_line)
    out: dict[str, Any] = {
        "path": f.path,
        "start_line": start,
        "end_line": end,
        "annotation_level": _LEVEL[f.severity],
        "message": truncate_bytes(f.message, ANNOTATION_TEXT),
        "title": f"guardrails [{f.rule}]"[:ANNOTATION_TITLE],
    }
    # Every annotation, not only a rule's first: each is read on its own line of the diff, and
    # GitHub folds raw_details away until asked, so the repetition costs a reader nothing.
    help_text = helps.get(f.rule, "")
    if help_text:
        details = f"{help_text}\n\nThe rule's documentation: guardrails rules {f.rule}"
        out["raw_details"] = truncate_bytes(details, ANNOTATION_TEXT)
    # The API takes columns only on single-line annotations.
    if start == end and loc.column:
        out["start_column"] = loc.column
        out["end_column"] = max(loc.column, loc.end_column)
    return out


# -- the comment ---------------------------------------------------------------------------------
def _comment(
    client: GitHubClient, ctx: RunContext, result: RunResult, sha: str, explain: str | None
) -> tuple[str, str]:
    """Edit the summary comment in place, or create it on the first run; returns (verb, URL)."""
    pr = ctx.pull_request
    assert pr is not None
    existing = client.find_comment(ctx.repository, pr.number, comment.MARKER, client.identity())
    if existing is None:
        return "posted", client.create_comment(ctx.repository, pr.number, comment.comment_body(result, sha, explain))
    if explain is None:
        explain = comment.existing_explain(str(existing.get("body") or ""))
    return "updated", client.edit_comment(ctx.repository, existing, comment.comment_body(result, sha, explain))


# -- the fallback --------------------------------------------------------------------------------
def _fallback(
    result: RunResult,
    env: Mapping[str, str],
    say: _Redacting,
    why: str,
    *,
    annotate: bool,
    summarise: bool,
) -> None:
    from guardrails.report.github_format import annotation

    where = []
    if annotate:
        where.append("workflow-command annotations")
    if summarise:
        where.append("the job summary" if env.get("GITHUB_STEP_SUMMARY") else "the log (no GITHUB_STEP_SUMMARY)")
    targets = " and ".join(where)
    say(f"guardrails: cannot report to the pull request: {why}. Results go to {targets} instead.")
    if annotate:
        per_level: dict[Severity, int] = {}
        skipped = 0
        for f in comment.shown(result):
            per_level[f.severity] = per_level.get(f.severity, 0) + 1
            if per_level[f.severity] > COMMAND_ANNOTATIONS_PER_LEVEL:
                skipped += 1
                continue
            say(annotation(f))
        if skipped:
            say(
                f"guardrails: {skipped} more findings not annotated (GitHub shows "
                f"{COMMAND_ANNOTATIONS_PER_LEVEL} per level and step); see the job summary."
            )
    if summarise:
        # the job summary holds 1 MiB, far more than a comment: room for every finding
        text = comment.summary(result, env.get("GITHUB_SHA", ""), limit=comment.MARKDOWN_LIMIT)
        path = env.get("GITHUB_STEP_SUMMARY")
        if not path:
            say(text)
            return
        try:
            with open(path, "a", encoding="utf-8") as out:
                out.write(truncate_bytes(text, STEP_SUMMARY - 1024) + "\n")
        except OSError as exc:
            say(f"guardrails: cannot write GITHUB_STEP_SUMMARY ({exc.strerror}); here it is")
            say(text)


def _why(error: GitHubError | None, ctx: RunContext) -> str:
    if error is None:
        return "unknown"
    if error.read_only:
        fork = ctx.pull_request is not None and ctx.pull_request.fork
        hint = (
            "pull requests from forks get a read-only token"
            if fork
            else "it needs `checks: write` and `pull-requests: write`"
        )
        return f"the token cannot write to {ctx.repository} ({hint}); {error}"
    return str(error)


def _head_sha(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


class _Redacting:
    """Writes lines to the log with the token blanked out, whatever produced the text."""

    def __init__(self, log: TextIO, token: str) -> None:
        self.log = log
        self.token = token

    def __call__(self, text: str) -> None:
        if self.token:
            text = text.replace(self.token, "***")
        self.log.write(text + "\n")
        self.log.flush()
