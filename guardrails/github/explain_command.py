"""``guardrails explain --base REF``: EXPLAIN every query added since REF, as markdown to paste.

The new queries are the ones pr-explain asks about (guardrails.github.source).
With ``database.dsn`` each goes through the safe runner (EXPLAIN of one vetted
statement, read-only, time-limited), placeholders filled with sample values
typed from the live schema; the plan is printed as the mysql client prints
it, so pasting the block into the description satisfies pr-explain. Without
a DSN the block lists the EXPLAIN statements to run, and the exit code is 2.
With ``--report-to-pr`` the block also goes into the summary comment.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guardrails.sql.settings import SqlSettings

if TYPE_CHECKING:
    from guardrails.config import Config
    from guardrails.github.new_queries import NewQuery
    from guardrails.mysql.runner import Plan

EXIT_OK, EXIT_ERROR = 0, 2
_COLUMNS = ("id", "select_type", "table", "partitions", "type", "possible_keys", "key", "rows", "Extra")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="only queries in these files")
    parser.add_argument(
        "--base", metavar="REF", required=True, help="the branch the pull request merges into, e.g. origin/main"
    )
    parser.add_argument(
        "--report-to-pr", action="store_true", help="also put the block into the pull request's summary comment"
    )


def main(args: argparse.Namespace, config: Config, root: Path) -> int:
    from guardrails.github.new_queries import find_new_queries
    from guardrails.workspace import WorkspaceError, open_workspace, repository_paths

    paths = repository_paths(root, getattr(args, "paths", None))
    try:
        workspace = open_workspace(root, config.exclude, args.base, "files", paths)
    except WorkspaceError as exc:
        print(f"guardrails: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    queries = [q for q in find_new_queries(workspace, config, workspace.base) if q.tables]
    code = EXIT_OK
    if not queries:
        block = f"No new queries since `{args.base}`: nothing to EXPLAIN."
    elif SqlSettings.of(config).dsn:
        block, ok = _with_plans(queries, str(SqlSettings.of(config).dsn))
        code = EXIT_OK if ok else EXIT_ERROR
    else:
        print(
            "guardrails: database.dsn is not set, so nothing was run: these are the statements "
            "to run against a copy of production",
            file=sys.stderr,
        )
        block = render(queries, {})
        code = EXIT_ERROR
    sys.stdout.write(block + "\n")
    if getattr(args, "report_to_pr", False):
        _report(block, args.base, paths, config, root, bool(getattr(args, "debug", False)))
    return code


def _with_plans(queries: list[NewQuery], dsn: str) -> tuple[str, bool]:
    """The block with each query's plan; ok is False when the database could not be used."""
    from guardrails.mysql.dsn import DsnError
    from guardrails.mysql.information_schema import schema_from_catalog
    from guardrails.mysql.placeholders import fill_placeholders
    from guardrails.mysql.runner import DatabaseError, ExplainRunner, Refused

    plans: dict[int, Plan | str] = {}
    try:
        with ExplainRunner(dsn) as runner:
            # Connect now: an unreachable server is one error, not one per query.
            server = runner.server
            print(f"guardrails: EXPLAIN on {server.flavor} {server.version}", file=sys.stderr)
            try:
                schema = schema_from_catalog(runner.catalog(), runner.dsn.database)
            except DatabaseError:
                schema = None  # placeholders then become 1: still a plan
            for i, query in enumerate(queries):
                try:
                    plans[i] = runner.explain(fill_placeholders(query.statement.text, schema))
                except (Refused, DatabaseError) as exc:
                    plans[i] = f"not run: {exc}"
    except (DsnError, DatabaseError) as exc:
        print(f"guardrails: error: cannot EXPLAIN through database.dsn: {exc}", file=sys.stderr)
        return render(queries, {}), False
    return render(queries, plans), True


def render(queries: list[NewQuery], plans: dict[int, Plan | str]) -> str:
    """Markdown: per query its place, its SQL and its plan (or the EXPLAIN to run)."""
    from guardrails.github.escape import code_block, code_span

    parts = ["### EXPLAIN of the new queries", ""]
    for i, query in enumerate(queries):
        statement = query.statement
        line, _ = statement.positions(0)
        parts.append(f"{code_span(f'{statement.path}:{line}')} (fingerprint {code_span(query.fingerprint)})")
        parts.append("")
        plan = plans.get(i)
        if plan is None:
            parts.append(code_block(f"EXPLAIN {query.one_line};", "sql"))
        elif isinstance(plan, str):
            parts.append(code_block(f"EXPLAIN {query.one_line};", "sql"))
            parts.append("")
            parts.append(code_block(plan, "text"))
        else:
            parts.append(code_block(f"EXPLAIN {plan.statement};", "sql"))
            parts.append("")
            parts.append(code_block(plan_table(plan), "text"))
        parts.append("")
    return "\n".join(parts).rstrip("\n")


def plan_table(plan: Plan) -> str:
    """The plan as the mysql client's table (``+----+``), the form pr-explain recognises."""
    rows = [[_cell(getattr(r, _ATTR.get(c, c))) for c in _COLUMNS] for r in plan.rows]
    widths = [max([len(c), *(len(row[k]) for row in rows)]) for k, c in enumerate(_COLUMNS)]
    border = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def line(cells: list[str] | tuple[str, ...]) -> str:
        return "|" + "|".join(f" {c.ljust(w)} " for c, w in zip(cells, widths, strict=True)) + "|"

    return "\n".join([border, line(_COLUMNS), border, *(line(r) for r in rows), border])


_ATTR = {"type": "access_type", "Extra": "extra"}


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return ",".join(value) or "NULL"
    return " ".join(str(value).split())


def _report(block: str, base: str, paths: list[str] | None, config: Config, root: Path, debug: bool) -> None:
    """Hand the block to the summary comment, with the findings `guardrails run --base` gives."""
    from guardrails.engine import run
    from guardrails.github.report import report_to_pr, rule_helps
    from guardrails.workspace import open_workspace

    result = run(open_workspace(root, config.exclude, base, None, paths), config, debug=debug)
    report_to_pr(result, root, sys.stderr, explain=block, helps=rule_helps(config.rules))
