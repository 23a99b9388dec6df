"""EXPLAIN output is recognised in a description in every form the clients print, and only that."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.github.explain_text import read_description

FIXTURES = Path(__file__).parent / "fixtures" / "explain"
MARIADB = FIXTURES / "mariadb-10.11"
# The tables (or aliases) each captured query's plan shows; <derived2>/<subquery2> are not tables.
MARIADB_TABLES = {"join": {"o", "u"}, "subquery": {"users", "orders"}, "derived": {"i", "orders"}}
MARIADB_FILES = sorted(p.name for p in MARIADB.glob("*.txt"))


def tables(text: str) -> list[set[str]]:
    return [set(e.tables) for e in read_description(text).explains]


def test_every_mariadb_form_was_captured() -> None:
    # 3 queries x (EXPLAIN, FORMAT=JSON, ANALYZE, ANALYZE FORMAT=JSON) x (table, tsv, vertical)
    assert len(MARIADB_FILES) == 36


@pytest.mark.parametrize("name", MARIADB_FILES)
def test_real_mariadb_output_bare(name: str) -> None:
    expected = MARIADB_TABLES[name.split(".")[0]]
    assert tables((MARIADB / name).read_text()) == [expected]


@pytest.mark.parametrize("name", MARIADB_FILES)
def test_real_mariadb_output_in_a_fenced_block_amid_prose(name: str) -> None:
    output = (MARIADB / name).read_text()
    body = (
        "## What\r\nAdds the report. It reads `orders` and `users` via the table users.\r\n\r\n"
        f"## EXPLAIN\r\n\r\n```\r\n{output.replace(chr(10), chr(13) + chr(10))}```\r\n"
        "\r\nThanks!\r\n"
    )
    found = read_description(body).explains
    assert [set(e.tables) for e in found] == [MARIADB_TABLES[name.split(".")[0]]]
    assert found[0].line == 7  # the first line of the output, not of the fence


@pytest.mark.parametrize(
    ("name", "form", "expected"),
    [
        ("tabular.txt", "table", {"t1", "t2"}),
        ("json.txt", "json", {"t1", "t2"}),
        ("tree.txt", "tree", {"t1", "t2", "t3"}),
        ("analyze.txt", "tree", {"c", "o"}),
    ],
)
def test_mysql8_samples(name: str, form: str, expected: set[str]) -> None:
    found = read_description((FIXTURES / "mysql-8" / name).read_text()).explains
    assert [(e.form, set(e.tables)) for e in found] == [(form, expected)]


def test_the_echoed_statement_is_not_output() -> None:
    # The client's "    -> " continuation prompt looks like a tree line; a statement naming
    # tables after "mysql>" shows no plan.
    body = "mysql> EXPLAIN FORMAT=TREE\n    -> SELECT * FROM t1\n    ->   JOIN t2 USING (id)\\G\n"
    assert tables(body) == []


def test_prose_and_sql_naming_tables_are_not_explains() -> None:
    body = (
        "This query reads the orders table and joins users.\n\n"
        "```sql\nSELECT * FROM orders o JOIN users u ON u.id = o.user_id;\n```\n"
        "| table | why |\n|---|---|\n| orders | new index |\n"
        "Index scan on orders is what I expect.\n"
    )
    assert tables(body) == []


def test_several_explains_each_with_their_own_tables() -> None:
    first = (MARIADB / "join.explain.table.txt").read_text()
    second = (FIXTURES / "mysql-8" / "tree.txt").read_text()
    body = f"First:\n{first}\nSecond:\n~~~\n{second}~~~\n"
    assert tables(body) == [{"o", "u"}, {"t1", "t2", "t3"}]


def test_json_written_by_hand_or_truncated_is_not_a_plan() -> None:
    assert tables('{"query_block": {"table": {"table_name": "orders"}') == []  # cut short
    assert tables('{"settings": {"table_name": "orders"}}') == []  # not a plan


def test_waivers() -> None:
    # issue 12: a waiver inside an HTML comment (line 5) is not shown on GitHub: it waives nothing
    body = (
        "guardrails:no-explain audit_log append-only, never read here\n"
        "- guardrails:no-explain 1a2b3c4d5e6f `one-off backfill`\n"
        "guardrails:no-explain Orders\n"
        "guardrails:no-explain <table-or-fingerprint> <why>\n"
        "<!-- guardrails:no-explain users hidden from the reviewer -->\n"
        "`guardrails:no-explain <table-or-fingerprint> <why>`\n"
    )
    description = read_description(body)
    assert [(w.line, w.target, w.reason) for w in description.waivers] == [
        (1, "audit_log", "append-only, never read here"),
        (2, "1a2b3c4d5e6f", "`one-off backfill`"),
    ]
    # line 4's <table-or-fingerprint> and <why> are raw HTML tags: GitHub shows a bare
    # "guardrails:no-explain", which waives nothing; the template's placeholder shown as
    # text (line 6, in code) is still no waiver at all
    assert [(w.line, w.target) for w in description.unreasoned] == [(3, "orders"), (4, "")]
