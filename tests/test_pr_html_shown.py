"""Raw HTML in a pull-request description counts for its shown text only, as GitHub renders it.

A tag's markup is never text on the page: a waiver in an attribute (``title``, ``alt``,
``data-*``), or in a tag never closed, is seen by no reviewer and waives nothing. GitHub
escapes the tags of the GFM spec's "Disallowed Raw HTML" extension (``<script>``,
``<style>``, ...), so those are shown as text, with what they enclose, and count.
"""

from __future__ import annotations

import pytest

from guardrails.findings import Finding
from guardrails.testing import run

BASE = {"db/report.sql": "SELECT 1;\n"}
HEAD = {
    "db/report.sql": (
        "SELECT 1;\nSELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid';\n"
    )
}
ORDERS = "guardrails:no-explain orders a lookup of 40 rows"
USERS = "guardrails:no-explain users read by primary key"
ITEM = "I can investigate and recover this feature myself if it fails"


def pr_explain(body: str) -> list[Finding]:
    return run(HEAD, base=BASE, select=["pr-explain"], pr_body=body)


def pr_checklist(body: str) -> list[Finding]:
    return run({"README.md": "x\n"}, {"pull_request": {"checklist": [ITEM]}}, select=["pr-checklist"], pr_body=body)


@pytest.mark.parametrize(
    "body",
    [
        f'<div title="{ORDERS}">\n<p data-waiver="{USERS}">Small tables.</p>\n</div>\n',  # an HTML block
        f'Small tables <span title="{ORDERS}">here</span>.\nAnd <abbr title="{USERS}">here</abbr>.\n',  # in a paragraph
        f'<img alt="{ORDERS}" src="plan.png">\n\n![plan](plan.png) <img alt="{USERS}" src="x.png">\n',
        f'Small tables.\n\n<p title="{ORDERS}\n{USERS}',  # a tag cut off at the end shows nothing
    ],
    ids=["block-attributes", "inline-attributes", "alt-text", "unclosed-tag"],
)
def test_a_waiver_in_html_markup_waives_nothing(body: str) -> None:
    [finding] = pr_explain(body)
    assert finding.line == 2 and "no EXPLAIN output" in finding.message


@pytest.mark.parametrize(
    "body",
    [
        f"<div>\n{ORDERS}\n<b>{USERS}</b>\n</div>\n",  # an HTML block's text
        f"<script>\n{ORDERS}\n{USERS}\n</script>\n",  # escaped by GitHub: shown as text
        f"Waived: <style>{ORDERS}</style>\n<textarea>{USERS}</textarea>\n",
    ],
    ids=["block-text", "script", "style-and-textarea-inline"],
)
def test_a_waiver_github_shows_as_text_waives(body: str) -> None:
    assert pr_explain(body) == []


def test_a_ticked_item_counts_for_its_shown_text_not_for_its_markup() -> None:
    assert pr_checklist(f"- [x] <strong>{ITEM}</strong>\n") == []  # shown in bold: ticked
    [hidden] = pr_checklist(f'- [x] <span title="{ITEM}">done</span>\n')  # "done" is what is shown
    assert "missing from the description" in hidden.message


def test_character_references_neither_stall_the_reading_nor_show_markup() -> None:
    from guardrails.pull_request.rendered import render

    hidden = render('<div>&#; &#; <span title="[x] secret">x</span></div>\n')
    assert "secret" not in "".join(hidden.lines)
    # a hostile shape that made Python 3.11's HTMLParser quadratic: counted operations would be
    # better, but the parser is the standard library's; 60 KB took 22 s before
    import time

    started = time.process_time()
    render("<div>&#; x " + "<a " * 20_000 + "\n")
    assert time.process_time() - started < 5
