"""Every DDL statement of the pull request in one markdown table: what needs a human first.

Rows come from ddl-review's findings (their properties); with ``show: all`` those are every
DDL statement, and the ones that need no human are folded under one ``<details>`` line.
Text from the repository (table names, paths) goes through guardrails.github.escape.
"""

from __future__ import annotations

from collections.abc import Sequence

from guardrails.findings import Finding

RULE = "ddl-review"
MAX_ROWS = 50
_HEAD = "| Where | Statement | Table | Algorithm | Lock | Rebuild | Risks |\n|---|---|---|---|---|---|---|\n"


def ddl_section(findings: Sequence[Finding]) -> str:
    """A "DDL review" section of the summary comment; "" when the run judged no DDL."""
    judged = [f for f in findings if f.rule == RULE and not f.suppressed and "algorithm" in f.properties]
    if not judged:
        return ""
    human = [f for f in judged if f.properties.get("needs_human")]
    rest = [f for f in judged if not f.properties.get("needs_human")]
    out = [f"#### DDL review ({len(human)} of {len(judged)} statements need a human)"]
    if human:
        out.append(_HEAD + "\n".join(_row(f) for f in human[:MAX_ROWS]))
        if len(human) > MAX_ROWS:
            out.append(f"{len(human) - MAX_ROWS} more are in the findings above.")
    if rest:
        rows = "\n".join(_row(f) for f in rest[:MAX_ROWS])
        out.append(
            f"<details><summary>{len(rest)} more DDL statement(s) run instantly or online with no risk"
            f"</summary>\n\n{_HEAD}{rows}\n\n</details>"
        )
    return "\n\n".join(out)


def _row(f: Finding) -> str:
    from guardrails.github import escape
    from guardrails.report import where

    props = f.properties
    risks = props.get("risks") or []
    cells = [
        escape.code_span(where(f.path, f.line, f.location.column), in_table=True),
        escape.text(str(props.get("statement", ""))),
        escape.code_span(str(props.get("table", "")), in_table=True),
        escape.text(str(props.get("algorithm", ""))),
        escape.text(str(props.get("lock", ""))),
        "yes" if props.get("rebuild") else "no",
        escape.text(", ".join(str(r) for r in risks) if isinstance(risks, list) else ""),
    ]
    return "| " + " | ".join(cells) + " |"
