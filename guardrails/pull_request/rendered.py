"""The pull-request description as GitHub renders it: the one reading every pull-request rule uses.

GitHub shows a description as CommonMark (plus its extensions), so what a reviewer sees is
what markdown-it-py's CommonMark parser makes of it: text inside an HTML comment, closed or
not, is not shown; ``<!--`` inside code is just code; a fence that is never closed (or is
"closed" with the other fence character) runs to the end of the description as code. A
rule that counts text the reviewer cannot see (a ticked item, a waiver, an EXPLAIN) would
pass a pull request on something nobody read, so the rules read ``Rendered`` only.

Raw HTML shows its text, never its markup: a tag, with its attributes (``<span
title="...">``, ``<img alt="...">``, ``<p data-x="...">``), is not text on the page, in a
paragraph or in an HTML block, closed or cut off at the end. The tags of the GFM spec's
"Disallowed Raw HTML" extension (``<script>``, ``<style>``, ``<title>``, ...) are the
exception: GitHub escapes their ``<``, so the tag and what it encloses are shown as text,
and they count like any other text.

``Rendered.lines`` keeps the description's line numbers: line N of the description is
``lines[N - 1]``, holding the text shown for it (container markers such as ``> `` and list
indentation stripped, as the renderer strips them) or ``""`` when nothing of it is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# markdown-it's CommonMark preset stops reading blocks nested deeper than 20 levels (about nine
# nested list items) and drops what lies below. GitHub shows it, so allow more; deeper still is
# said in a finding rather than dropped silently. Each level costs a few Python frames only.
MAX_NESTING = 100
# Reading costs about 500 bytes of memory a line (markdown-it keeps five numbers per line, and a
# token per block): 1 MB of one-character lines peaks near 400 MB. GitHub allows 65,536 characters
# in a description; from other sources, what lies past this many is said in a finding, not read.
MAX_CHARACTERS = 1_048_576
_TASK = re.compile(r"\[([ xX])\]\s+(.*)", re.DOTALL)
# GFM's tagfilter (the spec's "Disallowed Raw HTML" extension) writes these tags' "<" as "&lt;":
# on GitHub they are text, shown with what they enclose, not HTML that the sanitizer removes
SHOWN_AS_TEXT = frozenset({"title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"})
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_TAG_START = re.compile(r"<[A-Za-z/!?]")  # what begins markup in HTML, and hides to the end if never closed


@dataclass(frozen=True)
class Rendered:
    lines: tuple[str, ...]  # the shown text of each line of the description
    tokens: tuple[Token, ...]  # markdown-it's block tokens, for rules that need the structure
    too_deep: bool  # some of it nests deeper than MAX_NESTING and was not read
    inline: dict[int, str]  # token index -> the shown text of that inline token
    read_lines: int  # lines read, when the description was cut at MAX_CHARACTERS (else 0)


def render(body: str) -> Rendered:
    from markdown_it import MarkdownIt

    text = body.replace("\r\n", "\n").replace("\r", "\n")
    cut = len(text) > MAX_CHARACTERS
    if cut:  # at a line's end, so what is read is whole lines
        text = text[: text.rfind("\n", 0, MAX_CHARACTERS) + 1 or MAX_CHARACTERS]
    # Links and images are off: their label scan goes up to 1,000 characters from every "[" (a
    # line of 256 KB of "[" took 55 s), and they change how text looks, never whether it is shown.
    # The inline pass runs only on text holding "<", where raw HTML (a comment, a tag), the one
    # inline thing that hides text, can be: on all text it made a token per word and line (1.3 GB
    # for 4 MB of short lines). One paragraph at a time, 1 MB of tags peaks near 175 MB.
    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).disable(["link", "image", "inline"])
    tokens = parser.parse(text)
    shown = [""] * (text.count("\n") + 1)
    inline: dict[int, str] = {}
    too_deep = False
    for index, token in enumerate(tokens):
        too_deep = too_deep or token.level >= MAX_NESTING - 1
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "inline":
            inline[index] = _visible_inline(parser, token)
            _place(shown, start, inline[index])
        elif token.type == "fence":
            _place(shown, start + 1, token.content)  # the fence lines themselves show nothing
        elif token.type == "code_block":
            _place(shown, start, token.content)
        elif token.type == "html_block":
            _place(shown, start, _html_text(token.content))
    read_lines = text.count("\n") + (not text.endswith("\n")) if cut else 0  # a line cut short counts
    return Rendered(tuple(shown), tuple(tokens), too_deep, inline, read_lines)


def _place(shown: list[str], start: int, content: str) -> None:
    for offset, line in enumerate(content.removesuffix("\n").split("\n")):
        if start + offset < len(shown):
            shown[start + offset] = line


def _visible_inline(parser: MarkdownIt, token: Token) -> str:
    """The inline text with its raw HTML blanked, comments and tags (newlines kept, so lines stay
    in place), but for the tags GitHub shows as text. The children come in text order, and a
    tag's or a comment's text is its source: each is found from where the last one ended. A
    code span (between its backtick runs, which are its source too) is stepped over, so an
    HTML-looking text inside it is not taken for a later tag.
    The search only moves forward, and stops at a miss, so this is linear in the text."""
    content = token.content
    if "<" not in content:
        return content
    parts: list[str] = []
    at = 0
    for child in parser.inline.parse(content, parser, {}, []):
        if child.type == "code_inline":
            opening = content.find(child.markup, at)
            closing = content.find(child.markup, opening + len(child.markup)) if opening >= 0 else -1
            if closing < 0:
                break
            parts.append(content[at : closing + len(child.markup)])
            at = closing + len(child.markup)
        elif child.type == "html_inline" and not _shown_as_text(child.content):
            found = content.find(child.content, at)
            if found < 0:
                break
            parts += [content[at:found], "\n" * child.content.count("\n")]
            at = found + len(child.content)
    parts.append(content[at:])
    return "".join(parts)


def _shown_as_text(markup: str) -> bool:
    name = _TAG_NAME.match(markup)
    return name is not None and name.group(1).lower() in SHOWN_AS_TEXT


def _html_text(html: str) -> str:
    """An HTML block as shown: its text, its markup (tags, comments, declarations) blanked."""
    reader = _Markup(html)
    # "&" blanked for the tokenizer only (spans are cut from html): Python 3.11's HTMLParser stops
    # feeding at "&#", and close() then scans to the end for every unclosed tag, quadratic on
    # hostile text (CVE-2025-6069); a reference is shown text either way.
    reader.feed(html.replace("&", " "))
    left = reader.rawdata  # what the reader holds back at the end: markup never closed, or text
    if _TAG_START.match(left):
        reader.at(len(html) - len(left), shown=False)  # a browser shows none of a tag cut off
    else:
        reader.close()
    parts: list[str] = []
    spans = [*reader.spans, (len(html), False)]
    for (start, shown), (end, _) in zip(spans, spans[1:], strict=False):
        parts.append(html[start:end] if shown else "\n" * html.count("\n", start, end))
    return "".join(parts)


class _Markup(HTMLParser):
    """Python's HTML tokenizer, noting where each piece starts and whether it is shown."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0, *(i + 1 for i, c in enumerate(html) if c == "\n")]
        self.spans: list[tuple[int, bool]] = [(0, True)]

    def set_cdata_mode(self, *args: object, **kwargs: object) -> None:
        """Tagfilter made <script> and <style> text: what follows them is HTML like the rest."""

    def at(self, offset: int, *, shown: bool) -> None:
        self.spans.append((offset, shown))

    def _here(self, shown: bool) -> None:
        line, column = self.getpos()
        self.at(self.line_starts[line - 1] + column, shown=shown)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._here(tag in SHOWN_AS_TEXT)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._here(tag in SHOWN_AS_TEXT)

    def handle_data(self, data: str) -> None:
        self._here(True)

    def handle_entityref(self, name: str) -> None:
        self._here(True)

    def handle_charref(self, name: str) -> None:
        self._here(True)

    def handle_comment(self, data: str) -> None:
        self._here(False)

    def handle_decl(self, decl: str) -> None:
        self._here(False)

    handle_pi = unknown_decl = handle_comment


def task_items(rendered: Rendered) -> tuple[list[str], list[str]]:
    """(ticked, unticked) task-list texts, normalised: a list item whose first paragraph starts
    with ``[ ]`` or ``[x]``, at any depth. Items in comments or code are not tokens here."""
    ticked: list[str] = []
    unticked: list[str] = []
    tokens = rendered.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or i < 2 or tokens[i - 1].type != "paragraph_open":
            continue
        if tokens[i - 2].type != "list_item_open":
            continue
        task = _TASK.match(rendered.inline[i])
        if task:
            (unticked if task.group(1) == " " else ticked).append(normalise(task.group(2)))
    return ticked, unticked


def normalise(text: str) -> str:
    for mark in ("**", "__", "*", "_", "`", "~~"):
        text = text.replace(mark, "")
    return " ".join(text.lower().split()).rstrip(".!:;")
