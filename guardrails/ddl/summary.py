"""Every DDL statement of the pull request in one markdown table: what needs a human first.

Rows come from ddl-review's records (guardrails.records: one per judged statement in scope,
with the finding's properties), not from its findings: by default only the statements that
need a human are findings, and the summary lists them all. The ones that need no human, and
those whose finding an ignore comment or the baseline suppressed, are folded under one
``<details>`` line. Text from the repository (table names, paths) goes through
guardrails.github.escape.
"""

from __future__ import annotations

from collections.abc import Sequence

from guardrails.findings import Finding, Location
from guardrails.records import Record

RULE = "ddl-review"
MAX_ROWS = 50
_HEAD = "| Where | Statement | Table | Algorithm | Lock | Rebuild | Risks |\n|---|---|---|---|---|---|---|\n"


def ddl_section(findings: Sequence[Finding], records: Sequence[Record]) -> str:
    """A "DDL review" section of the summary comment; "" when the run judged no DDL."""
    judged = [r for r in records if r.rule == RULE]
    if not judged:
        return ""
    suppressed = {_at(f.location) for f in findings if f.rule == RULE and f.suppressed and "algorithm" in f.properties}
    needs = [r for r in judged if r.properties.get("needs_human")]
    human = [r for r in needs if _at(r.location) not in suppressed]
    quiet = [r for r in needs if _at(r.location) in suppressed]
    rest = quiet + [r for r in judged if not r.properties.get("needs_human")]
    out = [f"#### DDL review ({len(human)} of {len(judged)} statements need a human)"]
    if human:
        out.append(_HEAD + "\n".join(_row(r) for r in human[:MAX_ROWS]))
        if len(human) > MAX_ROWS:
            out.append(f"{len(human) - MAX_ROWS} more are in the findings above.")
    if rest:
        rows = "\n".join(_row(r) for r in rest[:MAX_ROWS])
        more = f"\n\n{len(rest) - MAX_ROWS} more are not shown here." if len(rest) > MAX_ROWS else ""
        calm = len(rest) - len(quiet)
        label = f"{calm} more DDL statement(s) run instantly or online with no risk"
        if quiet:
            label = f"{len(rest)} more DDL statement(s): {calm} run instantly or online with no risk, {len(quiet)} " + (
                "suppressed"
            )
        out.append(f"<details><summary>{label}</summary>\n\n{_HEAD}{rows}{more}\n\n</details>")
    return "\n\n".join(out)


def _at(location: Location) -> tuple[str, int]:
    return location.path, location.line


def _row(r: Record) -> str:
    from guardrails.github import escape
    from guardrails.report import where

    props = r.properties
    risks = props.get("risks") or []
    cells = [
        escape.code_span(where(r.location.path, r.location.line, r.location.column), in_table=True),
        escape.text(str(props.get("statement", ""))),
        escape.code_span(str(props.get("table", "")), in_table=True),
        escape.text(str(props.get("algorithm", ""))),
        escape.text(str(props.get("lock", ""))),
        "yes" if props.get("rebuild") else "no",
        escape.text(", ".join(str(r) for r in risks) if isinstance(risks, list) else ""),
    ]
    return "| " + " | ".join(cells) + " |"
