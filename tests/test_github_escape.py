"""Untrusted text rendered by a real CommonMark renderer stays literal text."""

from __future__ import annotations

import html
import re

import pytest

from guardrails.github import escape
from guardrails.github.limits import truncate
from tests.github_api import render_markdown

NASTY = [
    "@octocat please look",
    "@org/team ping",
    "<img src=x onerror=alert(1)>",
    "<!-- guardrails:summary-comment -->",
    "**bold** _em_ ~~strike~~ [link](https://evil.example) ![img](https://evil.example/x.png)",
    "# heading",
    "a | b | c",
    "```\nfence escape\n```",
    "`code` and ``more``",
    "&lt;already&gt; &amp; entities &#64;octocat",
    "back\\slash \\| \\*",
    "line one\nline two\r\nline three",
]


@pytest.mark.parametrize("value", NASTY)
def test_text_in_a_table_cell_is_literal(value: str) -> None:
    rendered = render_markdown(f"| a | b |\n|---|---|\n| {escape.text(value)} | end |\n")
    assert len(re.findall(r"<td>", rendered)) == 2  # the cell did not split or swallow the next
    cell = re.search(r"<td>(.*?)</td>", rendered, re.S)
    assert cell is not None
    inner = cell.group(1)
    assert re.search(r"<(?!/?td)[a-z!]", inner) is None, inner  # no tag, no comment: only text
    shown = html.unescape(inner)
    assert shown.replace("\u200b", "") == " ".join(value.split())  # the same characters a reader sees
    assert re.search(r"@\w", shown) is None  # no @mention GitHub would link


@pytest.mark.parametrize("value", NASTY)
def test_code_block_cannot_be_escaped(value: str) -> None:
    rendered = render_markdown(escape.code_block(value, "sql") + "\n\nafter")
    assert rendered.count("<pre>") == 1
    block = re.search(r"<pre><code[^>]*>(.*?)</code></pre>", rendered, re.S)
    assert block is not None
    assert html.unescape(block.group(1)).rstrip("\n") == value.replace("\r\n", "\n").rstrip("\n")
    assert rendered.rstrip().endswith("<p>after</p>")


@pytest.mark.parametrize("value", ["SELECT `a` FROM t", "``x``", "`", "a `b` c", "x | y"])
def test_code_span_is_whole(value: str) -> None:
    rendered = render_markdown(f"see {escape.code_span(value)} here")
    assert rendered.count("<code>") == 1
    code = re.search(r"<code>(.*?)</code>", rendered, re.S)
    assert code is not None and html.unescape(code.group(1)) == value


def test_code_span_in_a_table() -> None:
    rendered = render_markdown(f"| a | b |\n|---|---|\n| {escape.code_span('x | y', in_table=True)} | z |\n")
    assert len(re.findall(r"<td>", rendered)) == 2
    assert "x | y" in html.unescape(rendered)


def test_workflow_command_escaping() -> None:
    assert escape.command_data("50% done\r\nnext::line") == "50%25 done%0D%0Anext::line"
    assert escape.command_property("a,b:c\n") == "a%2Cb%3Ac%0A"


def test_truncate_keeps_fences_closed_and_says_how_much() -> None:
    text = "intro\n```sql\n" + "\n".join(f"SELECT {i};" for i in range(5000)) + "\n```\nend\n"
    cut = truncate(text, 2000, where="the check run")
    assert len(cut) <= 2000
    dropped = int(re.search(r"([\d,]+) more characters", cut).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert dropped == len(text) - len(cut.split("\n```\n\n**Truncated")[0])
    rendered = render_markdown(cut)
    assert "<strong>Truncated:</strong>" in rendered  # the note is outside the code block
    assert "see the check run" in rendered
    assert truncate("short", 2000) == "short"
