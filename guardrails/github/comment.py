"""The markdown guardrails posts: the summary comment, the check run's output, the job summary.

Every piece of text that comes from a file or the pull request goes through
``guardrails.github.escape``. The sections (schedule collisions, the DDL review)
go in first, then the findings' rows while they fit GitHub's limit; what does
not fit is counted, or, for a section, named with where it is whole, never
silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guardrails.ddl.summary import ddl_section
from guardrails.engine import RunResult
from guardrails.findings import Finding, Severity
from guardrails.github import escape
from guardrails.github.limits import MAX_TEXT, STEP_SUMMARY, truncate
from guardrails.report import counted, idle_count, idle_lines, summary_line, where
from guardrails.schedules.summary import collisions_section

MARKER = "<!-- guardrails:summary-comment -->"
EXPLAIN_START = "<!-- guardrails:explain -->"
EXPLAIN_END = "<!-- /guardrails:explain -->"
_ICON = {Severity.ERROR: "🔴 error", Severity.WARNING: "🟠 warning", Severity.NOTICE: "🔵 notice"}
_MESSAGE_CELL = 1000  # characters of one message in the table; the annotation has the whole text
_RESERVE = 2000  # room kept for the footer and the notes below the table
# ``--format markdown`` (and the job summary): a file, with room for every section; a quarter of
# the job summary's 1 MiB, so that it fits there even in four-byte characters
MARKDOWN_LIMIT = STEP_SUMMARY // 4


def shown(result: RunResult) -> list[Finding]:
    """Unsuppressed findings, the most severe first."""
    active = [f for f in result.findings if not f.suppressed]
    return sorted(active, key=lambda f: (-f.severity, f.sort_key()))


def title(result: RunResult) -> str:
    """The check run's title: the counts, else "All clear" only if every rule had input."""
    idle = idle_count(result)
    return counted(result) or (f"No findings; {idle}" if idle else "All clear")


def summary(result: RunResult, sha: str = "", limit: int = MAX_TEXT, footer: str = "") -> str:
    """The findings as markdown, at most ``limit`` characters."""
    findings = shown(result)
    head = ["### guardrails", ""]
    line = summary_line(result)
    clear = not findings and not result.notes  # the tick is for "All clear", never for idle rules
    head.append(("✅ " if clear else "") + line + (f" Commit {escape.code_span(sha[:12])}." if sha else ""))
    if result.internal_errors:
        count = len(result.internal_errors)
        head += [
            "",
            f"⚠️ guardrails hit {count} internal error{'s' if count > 1 else ''}: see the job log.",
        ]
    if result.suppressed:
        head += ["", f"{result.suppressed} suppressed finding(s) are counted above and not listed."]
    if result.notes:  # their silence is not a pass: say which rules never had anything to check
        head += ["", *(f"- ℹ️ {escape.text(line)}" for line in idle_lines(result))]
    body = "\n".join(head)
    # The sections go in before the findings table takes the room: they are short (their rows
    # are capped) and list what the table does not (every DDL statement, the free minutes),
    # while the table's overflow is in the check run's annotations and the job log.
    room = limit - len(body) - (len(footer) + 2 if footer else 0) - _RESERVE
    sections = []
    for section in (collisions_section(findings), ddl_section(result.findings, result.records)):
        if section and len(section) + 2 > room:  # said where it was, never dropped unsaid
            section = _left_out(section, limit)
        if section:
            sections.append(section)
            room -= len(section) + 2
    rows = _rows(findings)
    table: list[str] = []
    used = 0
    for row in rows:
        if used + len(row) + 1 > room:
            break
        table.append(row)
        used += len(row) + 1
    if table:
        body += "\n\n| Severity | Rule | Where | Message |\n|---|---|---|---|\n" + "\n".join(table)
    left_out = len(rows) - len(table)
    if left_out:
        body += (
            f"\n\n**{left_out} more finding{'s' if left_out > 1 else ''} not shown** "
            f"(GitHub limits this text to {limit:,} characters): see the check run or the job log."
        )
    for section in sections:
        body += "\n\n" + section
    if footer:
        body += "\n\n" + footer
    return truncate(body, limit)


def _left_out(section: str, limit: int) -> str:
    """A section that does not fit: its heading (the DDL review's holds its counts), then what
    was left out and where it is whole. The markdown report has room for every section; past
    even that (table names and paths by the thousand characters), the JSON report lists them."""
    heading = section.split("\n", 1)[0]
    if limit < MARKDOWN_LIMIT:
        why = f"it does not fit GitHub's limit of {MAX_TEXT:,} characters here"
        where = "`guardrails run --format markdown` prints it whole"
    else:
        why = f"it does not fit in {limit:,} characters"
        where = "`guardrails run --format json` lists them as findings (every DDL statement with `show: all`)"
    return f"{heading}\n\n**This table is left out**: {why}; {where}."


def rule_help(findings: Sequence[Finding], helps: Mapping[str, str]) -> str:
    """Each reported rule's why and fix, once (the check run's text), in the order rules first
    appear; a help that does not fit GitHub's limit is cut with a note."""
    lines = []
    for rule in dict.fromkeys(f.rule for f in findings):
        help_text = helps.get(rule, "")
        if help_text.strip():
            lines.append(f"- {escape.code_span(rule)}: {escape.text(help_text)}")
    if not lines:
        return ""
    return truncate("\n".join(["### Why, and how to fix", "", *lines]), MAX_TEXT)


def comment_body(result: RunResult, sha: str = "", explain: str | None = None) -> str:
    """The summary comment: its hidden marker, the findings, the EXPLAIN section if any."""
    section = explain_section(explain) if explain else ""
    text = summary(result, sha, MAX_TEXT - len(MARKER) - 1, footer=section)
    return f"{MARKER}\n{text}"


def explain_section(markdown: str) -> str:
    """The EXPLAIN block ``guardrails explain --report-to-pr`` adds, kept across later edits.

    The caller renders the block (EXPLAIN output in code blocks via ``escape.code_block``).
    """
    inner = truncate(markdown.strip(), MAX_TEXT // 2, where="the output of `guardrails explain`")
    return f"{EXPLAIN_START}\n{inner}\n{EXPLAIN_END}"


def existing_explain(body: str) -> str | None:
    """The EXPLAIN block inside an earlier comment, to keep it when the findings are rewritten."""
    start = body.find(EXPLAIN_START)
    end = body.find(EXPLAIN_END, start + 1)
    if start < 0 or end < 0:
        return None
    return body[start + len(EXPLAIN_START) : end].strip("\n")


def _rows(findings: Sequence[Finding]) -> list[str]:
    rows = []
    for f in findings:
        loc = f.location
        message = f.message if len(f.message) <= _MESSAGE_CELL else f.message[:_MESSAGE_CELL] + "…"
        place = escape.code_span(where(loc.path, loc.line, loc.column), in_table=True)
        rule = escape.code_span(f.rule, in_table=True)
        rows.append(f"| {_ICON[f.severity]} | {rule} | {place} | {escape.text(message)} |")
    return rows
