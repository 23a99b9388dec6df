"""pr-explain: every query a pull request adds comes with its EXPLAIN output in the description.

The exact semantics are in DETAILS, which `guardrails rules ID` renders.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from guardrails.findings import Finding, Location, Severity, Value
from guardrails.github.pull_request import PullRequest
from guardrails.rules import Rule, RuleContext

if TYPE_CHECKING:
    from guardrails.github.explain_text import Description
    from guardrails.github.new_queries import NewQuery

MAX_SQL_IN_MESSAGE = 600  # characters of the explain property; a longer statement is cut there, ending in " …"

DETAILS = """\
A new query (present in the head, absent from the base, by normalised
fingerprint) must be covered by one EXPLAIN pasted in the description whose
tables include all of the query's tables (a plan shows aliases, so an alias
counts for its table). ``guardrails:no-explain TABLE-or-FINGERPRINT reason``
in the description waives a table or one query. The finding sits on the
query's line and gives the EXPLAIN statement to run.

The description is read as GitHub renders it (markdown-it-py, CommonMark, the
reading pr-checklist shares): an EXPLAIN or a waiver inside an HTML comment,
closed or not, or in an HTML tag's markup (an attribute), is not shown to the
reviewer, so it does not count; one in a fenced or indented code block, a
quote, plain text, an HTML element's text or a ``<script>`` or ``<style>``
(which GitHub escapes and shows as text) does. A description is
read up to 1,048,576 characters (GitHub allows 65,536); past that, and past
100 levels of nested lists or quotes, a parse-error on the pull request says
what was not read.

A pasted block counts as EXPLAIN output only in a shape the mysql and mariadb
clients print: the tabular, batch and ``\\G`` forms need the columns of
EXPLAIN (``id``, ``select_type``, ``table``, ``type``, ``possible_keys``,
``key``, ``rows``, and only columns MySQL or MariaDB print, such as
``partitions``, ``filtered``, ``r_rows``, ``Extra``); FORMAT=JSON needs a
``query_block`` with its ``select_id``; a FORMAT=TREE or ANALYZE tree needs
access paths naming tables. A block that names the query's tables in another
shape is said to be "not EXPLAIN output" (why: the ``not_explain`` property);
when every plan shown names other tables, the message names both.
"""


def check(unit: PullRequest, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.github.explain_text import read_description

    if unit.base is None:
        yield ctx.finding(
            Location(""),
            "no base to compare with: run with --base REF to find the queries this pull request adds",
        )
        return
    description = read_description(unit.rendered)
    for waiver in description.unreasoned:
        yield ctx.finding(
            Location(""),
            f"`guardrails:no-explain {waiver.target}` (description line {waiver.line}) has no reason: waives nothing",
        )
    waived = {w.target.rsplit(".", 1)[-1] for w in description.waivers}
    waived |= {w.target for w in description.waivers}
    plans = [e.tables for e in description.explains]
    for query in unit.new_queries:
        tables = query.tables
        if tables is None or query.fingerprint in waived:
            continue
        required = {name: names for name, names in tables.items() if name not in waived}
        missing = _missing(required, plans)
        if not missing:
            continue
        why = _why(required, missing, description)
        yield _finding(ctx, query, sorted(tables), missing, why, unit.origin)


def _missing(required: dict[str, frozenset[str]], plans: list[frozenset[str]]) -> list[str]:
    """The required tables the best-matching single EXPLAIN does not show."""
    best: list[str] = sorted(required)
    for shown in plans:
        missing = sorted(name for name, names in required.items() if not names & shown)
        if len(missing) < len(best):
            best = missing
    return best


def _why(required: dict[str, frozenset[str]], missing: list[str], description: Description) -> tuple[str, str]:
    """(what is wrong, in the message; the detail, for the finding's properties)."""
    shown = set().union(*(e.tables for e in description.explains))
    if description.explains and not any(names & shown for names in required.values()):
        # every plan shown is of other tables: most likely the plan of another query
        names = ", ".join(f"`{t}`" for t in sorted(shown)[:3]) + (", …" if len(shown) > 3 else "")
        return f"the EXPLAIN shown names {names}, the query reads {_ticked(missing)}", ""
    if description.explains:
        return f"no EXPLAIN there shows {', '.join(missing)}", ""
    for block in description.rejected:
        if any(names & block.tables for names in required.values()):
            # shaped like client output and naming the tables, but not an EXPLAIN's columns
            return f"line {block.line} is not EXPLAIN output", f"line {block.line}: {block.problem}"
    return "no EXPLAIN output", ""


def _ticked(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names[:3]) + (", …" if len(names) > 3 else "")


def _finding(
    ctx: RuleContext,
    query: NewQuery,
    tables: list[str],
    missing: list[str],
    why_and_detail: tuple[str, str],
    origin: str,
) -> Finding:
    from guardrails.sql.fingerprint import has_placeholders

    statement = query.statement
    explain = f"EXPLAIN {query.one_line}"
    shown = explain if len(explain) <= MAX_SQL_IN_MESSAGE else explain[:MAX_SQL_IN_MESSAGE] + " …"
    why, detail = why_and_detail
    message = f"new query on {', '.join(tables)}, {why} in {origin}"
    location = statement.location()
    properties: dict[str, Value] = {
        "explain": shown,
        "query_fingerprint": query.fingerprint,
        "missing_tables": missing,
        "placeholders": has_placeholders(statement.text),
    }
    if detail:
        properties["not_explain"] = detail
    return ctx.finding(
        location,
        message,
        properties=properties,
        statement_line=str(location.line),
    )


RULE: Rule[PullRequest] = Rule(
    id="pr-explain",
    summary="a pull request adds queries whose EXPLAIN output is not in its description",
    severity=Severity.ERROR,
    incident=(
        "A new query reached production without anyone looking at its plan, and a full table scan "
        "took the database down at peak. The team's pull-request template now asks for the EXPLAIN "
        "of every new query; this rule checks that each query the pull request adds (in .sql files "
        "or in application code) has its plan pasted in the description, in any form the mysql or "
        "mariadb client prints, and gives the EXPLAIN to run when it is missing."
    ),
    bad=(
        "-- db/queries/report.sql, added by the pull request\n"
        "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id\n"
        "WHERE o.status = 'paid';\n"
        '-- description: "Adds the paid-orders report." (no plan)'
    ),
    good=(
        "-- description:\n"
        "-- +----+-------------+-------+------+---------------+----------+...\n"
        "-- | id | select_type | table | type | possible_keys | key      |...\n"
        "-- |  1 | SIMPLE      | o     | ref  | status_idx    | status_idx |...\n"
        "-- |  1 | SIMPLE      | u     | eq_ref | PRIMARY     | PRIMARY  |...\n"
        "-- or, for a query whose plan is not worth reading:\n"
        "-- guardrails:no-explain audit_log append-only table, never read by this service"
    ),
    input="pull_request",
    check=check,
    help=(
        "A query reviewed without its plan can reach production doing full scans or filesorts. "
        "Run the statement in the finding's `explain` property against a copy of the data "
        "(`guardrails explain --base REF` prints them all; put realistic values in place of "
        "placeholders) and paste the output as the client prints it, in a code block: text inside "
        "`<!-- -->` is hidden on GitHub and does not count. Or waive it there, in visible text, with "
        "`guardrails:no-explain TABLE-or-FINGERPRINT reason`, e.g. `guardrails:no-explain audit_log "
        "append-only, read by primary key`."
    ),
    details=DETAILS,
    properties={
        "explain": "the EXPLAIN statement to run",
        "query_fingerprint": "the normalised query's fingerprint, for a waiver",
        "missing_tables": "the tables no pasted EXPLAIN shows",
        "placeholders": "whether the query has placeholders to fill with realistic values",
        "not_explain": "why a block naming the query's tables is not EXPLAIN output (its line, what is wrong)",
    },
)
