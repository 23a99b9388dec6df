"""Post results another job produced: the privileged half of the fork-safe workflow_run pattern.

    python -m guardrails.github.post RESULTS.json PR-EVENT.json

An unprivileged ``pull_request`` job runs ``guardrails run --format json`` on
the fork's code and uploads its output together with its event payload. A
``workflow_run`` job, which has a write token but must never run the fork's
code, downloads both and runs this. Both files are untrusted: they are read
as data, every text is escaped when posted, and the pull request they name is
used only if its head commit is the commit GitHub says the first workflow ran
on (``workflow_run.head_sha`` in this job's own event), so an artifact cannot
steer the comment to another pull request. The exit code is 0 unless the
files cannot be read: the first job's status already says pass or fail.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from guardrails.engine import RunResult
from guardrails.findings import Finding, Location, Severity
from guardrails.github.event import EventError, pull_request_from_payload, read_payload


def load_results(path: Path) -> tuple[RunResult, dict[str, str]]:
    """The ``--format json`` document back as a RunResult, with the help of each rule that
    reported (its ``rules`` section); ``ValueError`` when it is not such a document."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        findings = [_finding(item) for item in doc["findings"]]
        summary = doc.get("summary") or {}
        files, duration = int(summary.get("files", 0)), float(summary.get("duration_s", 0.0))
        return RunResult(findings, files, duration), _helps(doc.get("rules"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: not the JSON output of `guardrails run --format json` ({exc})") from None


def _helps(rules: Any) -> dict[str, str]:
    # The first job's own rules said these (plugins included); like its messages they are data,
    # cut to GitHub's limits and escaped where they are posted.
    if not isinstance(rules, dict):
        return {}
    return {
        str(rule): entry["help"]
        for rule, entry in rules.items()
        if isinstance(entry, dict) and isinstance(entry.get("help"), str)
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m guardrails.github.post RESULTS.json PR-EVENT.json", file=sys.stderr)
        return 2
    try:
        result, helps = load_results(Path(args[0]))
        pr_payload = read_payload(Path(args[1]))
        run_event = os.environ.get("GITHUB_EVENT_PATH")
        if not run_event:
            raise EventError("GITHUB_EVENT_PATH is not set: run this in the workflow_run job")
        run_payload = read_payload(Path(run_event))
    except (ValueError, EventError) as exc:
        print(f"guardrails: {exc}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    trusted_sha = str((run_payload.get("workflow_run") or {}).get("head_sha") or "")
    try:
        pr = pull_request_from_payload(pr_payload, "pull_request")
    except EventError:
        pr = None
    same_repo = pr is not None and pr.repository == env.get("GITHUB_REPOSITORY")
    if pr is not None and same_repo and trusted_sha and pr.head_sha == trusted_sha:
        env.update(GITHUB_EVENT_PATH=args[1], GITHUB_EVENT_NAME="pull_request")
    else:
        # Not provably the pull request the first workflow ran on: a check run on the trusted
        # commit, and no comment.
        print(
            "guardrails: the uploaded event does not match workflow_run.head_sha: no summary comment",
            file=sys.stderr,
        )
        env.pop("GITHUB_EVENT_PATH", None)
        env.update(GITHUB_EVENT_NAME="workflow_run", GITHUB_SHA=trusted_sha)
    from guardrails.github.report import report_to_pr

    fail_on = env.get("GUARDRAILS_FAIL_ON", "error")
    report_to_pr(result, Path.cwd(), sys.stderr, fail_on=fail_on, env=env, helps=helps)
    return 0


def _finding(item: dict[str, Any]) -> Finding:
    location = Location(
        str(item["path"]),
        int(item.get("line") or 0),
        int(item.get("column") or 0),
        int(item.get("end_line") or 0),
        int(item.get("end_column") or 0),
    )
    return Finding(
        rule=str(item["rule"]),
        severity=Severity.parse(str(item["severity"])),
        location=location,
        message=str(item["message"]),
        fingerprint=str(item.get("fingerprint") or ""),
        suppressed=bool(item.get("suppressed")),
    )


if __name__ == "__main__":
    sys.exit(main())
