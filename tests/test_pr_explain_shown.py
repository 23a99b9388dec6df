"""pr-explain counts only what a reviewer sees on GitHub, and only what looks like a plan of the query.

Issue 12: an EXPLAIN or a waiver hidden in an HTML comment passed the rule, and so did any
five-line ``| table |`` block naming the query's tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.findings import Finding
from guardrails.testing import run

JOIN_TABLE = (Path(__file__).parent / "fixtures" / "explain" / "mariadb-10.11" / "join.explain.table.txt").read_text()
BASE = {"db/report.sql": "SELECT 1;\n"}
HEAD = {
    "db/report.sql": (
        "SELECT 1;\nSELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid';\n"
    )
}


def pr_explain(body: str) -> list[Finding]:
    return run(HEAD, base=BASE, select=["pr-explain"], pr_body=body)


@pytest.mark.parametrize(
    "body",
    [
        f"Adds the report.\n<!--\n{JOIN_TABLE}-->\n",  # inside a closed comment
        f"Adds the report.\n<!-- plan, for later:\n\n```\n{JOIN_TABLE}```\n",  # after a comment never closed
        f"Adds the report. <!--\n{JOIN_TABLE}--> Thanks.\n",  # inside a comment within a paragraph
        # fenced, but the fence is inside a comment left open after an earlier code block
        f"```\nSELECT 1;\n```\n<!--\n```\n{JOIN_TABLE}```\n",
    ],
    ids=["comment", "unclosed-comment", "inline-comment", "fence-in-an-unclosed-comment"],
)
def test_an_explain_github_does_not_show_does_not_count(body: str) -> None:
    [finding] = pr_explain(body)
    assert finding.line == 2 and "no EXPLAIN output" in finding.message


@pytest.mark.parametrize(
    "body",
    [
        f"Plan:\n\n```\n{JOIN_TABLE}```\n",
        f"Plan:\n\n{JOIN_TABLE}\nThanks.\n",  # plain text
        "Plan:\n\n" + "".join(f"> {line}\n" for line in JOIN_TABLE.splitlines()),  # quoted
        "Plan:\n\n" + "".join(f"    {line}\n" for line in JOIN_TABLE.splitlines()),  # indented code
        # "~~~" does not close a "```" fence: the comment marker is code, and the plan is shown
        f"```\n<!-- not a comment in code\n~~~\n{JOIN_TABLE}```\n",
    ],
    ids=["fenced", "plain", "quoted", "indented", "mismatched-fence"],
)
def test_a_shown_explain_counts(body: str) -> None:
    assert pr_explain(body) == []


def test_a_hidden_waiver_waives_nothing_and_a_shown_one_does() -> None:
    hidden = "<!-- guardrails:no-explain orders tiny -->\n<!--\nguardrails:no-explain users tiny\n"
    [finding] = pr_explain(hidden)
    assert "no EXPLAIN output" in finding.message
    shown = "guardrails:no-explain orders tiny\n\n```\nguardrails:no-explain users tiny too\n```\n"
    assert pr_explain(shown) == []


FIVE_LINES = "+--------+\n| table  |\n+--------+\n| orders |\n| users  |\n+--------+\n"


def test_a_table_naming_the_tables_is_not_a_plan() -> None:
    [finding] = pr_explain(f"Tables read:\n\n```\n{FIVE_LINES}```\n")
    assert "line 4 is not EXPLAIN output" in finding.message
    assert (
        finding.properties["not_explain"] == "line 4: it has no `id`, `select_type`, `type`, `possible_keys`, … columns"
    )


def test_a_plan_with_columns_explain_does_not_print_is_not_a_plan() -> None:
    made_up = JOIN_TABLE.replace("| Extra ", "| Notes ")
    assert made_up != JOIN_TABLE
    [finding] = pr_explain(f"```\n{made_up}```\n")
    assert "is not EXPLAIN output" in finding.message
    assert "`notes` is not an EXPLAIN column" in str(finding.properties["not_explain"])


def test_json_that_is_not_a_plan_of_the_query_is_not_one() -> None:
    hand_made = (
        '{"query_block": {"nested_loop": [{"table": {"table_name": "orders"}}, {"table": {"table_name": "users"}}]}}'
    )
    [finding] = pr_explain(f"```json\n{hand_made}\n```\n")
    assert finding.properties["not_explain"] == "line 2: its query_block has no select_id"
    real = hand_made.replace('{"nested_loop"', '{"select_id": 1, "nested_loop"')
    assert pr_explain(f"```json\n{real}\n```\n") == []


def test_the_plan_of_another_query_names_both() -> None:
    other = JOIN_TABLE.replace("| o     |", "| x     |").replace("| u     |", "| y     |")
    assert other != JOIN_TABLE
    [finding] = pr_explain(f"```\n{other}```\n")
    assert "the EXPLAIN shown names `x`, `y`, the query reads `orders`, `users`" in finding.message


def test_pr_explain_reuses_the_statements_the_sql_input_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 17: with insert-ignore (the sql input) and pr-explain both on, each changed file was
    # extracted twice, once by the sql input and once for the new queries.
    import guardrails.sql.code.python as python_code
    import guardrails.sql.source as sql_source

    parsed: list[str] = []
    extract, split = python_code.extract, sql_source.split_statements
    monkeypatch.setattr(python_code, "extract", lambda path, text: (parsed.append(text), extract(path, text))[1])
    monkeypatch.setattr(sql_source, "split_statements", lambda text: (parsed.append(text), split(text))[1])
    code = 'def paid(cur):\n    cur.execute("SELECT o.id FROM orders o WHERE o.status = %s", ("paid",))\n'
    head = {**HEAD, "app/report.py": code}
    found = run(head, base=BASE, select=["pr-explain", "insert-ignore"], pr_body="no plan")
    assert sorted((f.path, f.line) for f in found) == [("app/report.py", 2), ("db/report.sql", 2)]
    # each head version once; the base version of db/report.sql once (app/report.py is new)
    assert sorted(parsed) == sorted([code, HEAD["db/report.sql"], BASE["db/report.sql"]])
