"""The pull request's schedule collisions, as a markdown section of the summary comment.

The findings of a run with ``--base`` are those on the pull request's added lines, so the
cron-jitter findings listed here are the collisions the pull request adds. Text from the
repository (job names, paths) goes through guardrails.github.escape.
"""

from __future__ import annotations

from collections.abc import Sequence

from guardrails.findings import Finding

RULE = "cron-jitter"
MAX_ROWS = 30


def collisions_section(findings: Sequence[Finding]) -> str:
    """A "Schedule collisions" table of the unsuppressed cron-jitter findings; "" when none."""
    from guardrails.github import escape
    from guardrails.report import where

    flagged = [f for f in findings if f.rule == RULE and not f.suppressed]
    if not flagged:
        return ""
    rows = []
    for f in flagged[:MAX_ROWS]:
        props = f.properties
        colliding = props.get("colliding_jobs") or []
        others = ", ".join(str(j) for j in colliding) if isinstance(colliding, list) else ""
        minutes = props.get("suggested_minutes")
        instants = props.get("instants") or []
        fires = "; ".join(str(i) for i in instants) if isinstance(instants, list) else ""
        cells = [
            escape.text(str(props.get("job", ""))),
            escape.code_span(where(f.path, f.line, f.location.column), in_table=True),
            escape.text(f"{props.get('expression', '')} ({props.get('timezone', '')})"),
            escape.text(fires),
            escape.text(others or ("minute 0" if props.get("minute_zero") else "")),
            escape.text(",".join(minutes) if isinstance(minutes, list) else ""),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    more = len(flagged) - len(rows)
    tail = f"\n\n{more} more schedule finding(s) are in the table above." if more > 0 else ""
    return (
        "#### Schedule collisions\n\n"
        "| Job | Where | Schedule | Fires (UTC) | Collides with | Free minutes |\n|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + tail
    )
