"""A summary section that does not fit GitHub's limit is said to be left out, with where it is whole.

The comment holds 65,535 characters with the EXPLAIN block that ``guardrails explain
--report-to-pr`` keeps in it (up to half of that). A pull request with a large DDL set then
leaves no room for the DDL review table: the comment keeps the table's heading with its
counts and says where the whole table is, and that place (``guardrails run --format
markdown``) does hold it, as does the check run, which carries no EXPLAIN block.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from guardrails.engine import RunResult
from guardrails.github.client import RetryPolicy
from guardrails.github.comment import MARKER
from guardrails.github.report import report_to_pr
from guardrails.registry import load_rules
from guardrails.report import render
from guardrails.testing import check
from tests.github_api import pull_request_env, running

TOKEN = "ghs_TestToken0123456789abcdefghijklmnopq"
# A monorepo's migration, named the way Rails and Laravel name them
MIGRATION = (
    "services/partner-settlement-reporting/db/migrations/20261201093000_widen_the_customer_order_settlement_note_"
    "columns_past_255_bytes_and_add_the_partner_reporting_reference_fields_for_the_quarterly_settlement_export.sql"
)
TABLE = "customer_order_partner_settlement_lines"
COLUMNS = 60
HEADING = f"#### DDL review ({COLUMNS} of {2 * COLUMNS} statements need a human)"
LEFT_OUT = (
    f"{HEADING}\n\n**This table is left out**: it does not fit GitHub's limit of 65,535 characters here; "
    "`guardrails run --format markdown` prints it whole."
)


def _ddl_result() -> RunResult:
    """120 DDL statements on one table: 60 widen a VARCHAR past 255 bytes (a copy on MariaDB),
    60 add a column (instant)."""
    columns = ", ".join(f"note_{i} VARCHAR(50)" for i in range(COLUMNS))
    schema = f"CREATE TABLE {TABLE} (id BIGINT NOT NULL PRIMARY KEY, {columns}) DEFAULT CHARSET=utf8mb4;\n"
    migration = "SET SESSION lock_wait_timeout = 5;\n"
    migration += "".join(f"ALTER TABLE {TABLE} MODIFY note_{i} VARCHAR(80);\n" for i in range(COLUMNS))
    migration += "".join(f"ALTER TABLE {TABLE} ADD COLUMN partner_ref_{i} INT;\n" for i in range(COLUMNS))
    config = {
        "extends": "none",
        "sql": {
            "schema": ["db/schema/*.sql"],
            "migrations": ["services/*/db/migrations/*.sql"],
            "server": "mariadb-10.11",
        },
        "rules": {"ddl-review": "warning"},
    }
    return check({"db/schema/orders.sql": schema, MIGRATION: migration}, config)


def _explain_block() -> str:
    """What ``guardrails explain --report-to-pr`` writes for a pull request with many queries."""
    plan = (
        "| id | select_type | table | type | possible_keys | key | rows | Extra |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"| 1 | SIMPLE | {TABLE} | ref | idx_order | idx_order | 12 | Using where |\n"
    )
    return "\n".join(
        f"#### `app/reports/settlement.py:{40 + i}`\n\n```sql\nSELECT * FROM {TABLE} WHERE order_id = ?\n```\n\n{plan}"
        for i in range(200)
    )


def test_a_ddl_table_that_does_not_fit_the_comment_is_named_with_where_it_is_whole(tmp_path: Path) -> None:
    result = _ddl_result()
    assert len([f for f in result.findings if f.rule == "ddl-review"]) == COLUMNS
    with running(TOKEN) as api:
        env = {**pull_request_env(api, tmp_path, "pull_request.synchronize.22.json"), "GITHUB_SHA": "f" * 40}
        log = io.StringIO()
        report_to_pr(result, tmp_path, log, env=env, explain=_explain_block(), policy=RetryPolicy(backoff=0.05))
        (comment,) = [c for c in api.comments.values() if MARKER in c["body"]]
        (run,) = api.check_runs.values()
    body = comment["body"]
    assert len(body) <= 65536 and "cannot report" not in log.getvalue()
    assert LEFT_OUT in body and "| Where | Statement | Table |" not in body  # the heading, then where it is
    assert "<!-- guardrails:explain -->" in body  # the EXPLAIN block that took the room is kept
    # the places it points to hold the whole table
    summary = run["create"]["output"]["summary"]
    assert f"{HEADING}\n\n| Where | Statement | Table |" in summary and "left out" not in summary
    markdown = render("markdown", result, load_rules())
    assert f"{HEADING}\n\n| Where | Statement | Table |" in markdown
    assert f"| `{MIGRATION}:2:1` | ALTER TABLE | `{TABLE}` | COPY | SHARED | yes |" in markdown
    assert f"| `{MIGRATION}:{COLUMNS + 2}:1` | ALTER TABLE | `{TABLE}` | INSTANT | NONE | no |" in markdown


def test_many_findings_leave_room_for_the_ddl_table_and_are_counted_instead() -> None:
    from guardrails.github.comment import summary

    schema = f"CREATE TABLE {TABLE} (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(50)) DEFAULT CHARSET=utf8mb4;\n"
    inserts = "".join(f"INSERT IGNORE INTO {TABLE} (id, note) VALUES ({i}, 'replayed');\n" for i in range(600))
    files = {
        "db/schema/orders.sql": schema,
        "db/migrations/001.sql": "".join(f"ALTER TABLE {TABLE} ADD COLUMN partner_ref_{i} INT;\n" for i in range(30)),
        "db/queries/replay.sql": inserts,
    }
    config = {
        "extends": "none",
        "sql": {"schema": ["db/schema/*.sql"], "migrations": ["db/migrations/*.sql"], "server": "mariadb-10.11"},
        "rules": {"ddl-review": "warning", "insert-ignore": "error"},
    }
    text = summary(check(files, config))
    assert len(text) <= 65535
    assert re.search(r"\*\*\d+ more findings not shown\*\* \(GitHub limits this text to 65,535 characters\)", text)
    assert "#### DDL review (0 of 30 statements need a human)\n\n<details>" in text
    assert f"| `db/migrations/001.sql:30:1` | ALTER TABLE | `{TABLE}` | INSTANT | NONE | no |" in text
