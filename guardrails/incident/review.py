"""The ``Review`` unit: an incident review as GitHub renders it, reduced to what the checks read.

Light on purpose (dataclasses only): the rule and ``guardrails measures`` import it, the
parser that builds it (guardrails.incident.parse) loads markdown-it-py.
"""

from __future__ import annotations

from dataclasses import dataclass

# The five parts of a review, in the order the seed template has them.
SECTION_KEYS = ("impact", "background", "timeline", "cause", "prevention")


@dataclass(frozen=True)
class TextLine:
    """One source line of rendered text: markup, HTML comments and code left out."""

    line: int
    text: str


@dataclass(frozen=True)
class Link:
    line: int
    url: str
    text: str
    image: bool = False


@dataclass(frozen=True)
class Evidence:
    """Something a reader can re-check: a link, an image or a fenced code block."""

    kind: str  # link | image | code
    line: int
    detail: str  # the URL, or the fence's info string


@dataclass(frozen=True)
class Item:
    """A list item, with the text and links of the items nested in it."""

    line: int
    end_line: int
    depth: int  # 0 for an item of a list written directly in the section
    lines: tuple[TextLine, ...]  # its own text first, then its nested items'
    links: tuple[Link, ...]
    task: bool | None  # a task-list item: whether it is ticked; None otherwise
    subtasks: int  # task-list items nested in it: a checklist written in place

    @property
    def title(self) -> str:
        """The item's own first line, as a one-line summary."""
        return " ".join(self.lines[0].text.split()) if self.lines else ""


@dataclass(frozen=True)
class Row:
    """A body row of a table."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    key: str  # one of SECTION_KEYS
    title: str  # the heading as written (rendered text)
    level: int
    line: int  # of the heading
    column: int
    end_line: int
    evidence: tuple[Evidence, ...]
    items: tuple[Item, ...]  # every list item, nested ones included, in document order
    rows: tuple[Row, ...]
    paragraphs: tuple[TextLine, ...]  # lines of paragraphs outside lists and tables
    links: tuple[Link, ...]

    @property
    def measures(self) -> tuple[Item, ...]:
        """The items of the lists written directly in the section (not the nested ones)."""
        return tuple(i for i in self.items if i.depth == 0)

    def text_lines(self) -> list[TextLine]:
        """Every line of text in the section (paragraphs, list items, table rows), in document order."""
        rows = (TextLine(r.line, " | ".join(r.cells)) for r in self.rows)
        return sorted({*self.paragraphs, *(t for i in self.items for t in i.lines), *rows}, key=lambda t: t.line)


@dataclass(frozen=True)
class Review:
    path: str
    title: str  # the first heading, or the file name
    language: str  # ja | en: the language most of its text is in, for messages
    first_heading: int  # its line, 0 when the document has no heading
    sections: tuple[Section, ...]  # the recognised ones, first of each key, in document order
    source: tuple[str, ...]  # the file's lines, to point at a phrase's column

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def column_of(self, line: int, fragment: str) -> int:
        """1-based column of ``fragment`` on a source line (compared after NFKC, so that a
        full-width phrase is found), or the line's first non-blank column."""
        from guardrails.incident.text import find_normalised

        raw = self.source[line - 1] if 0 < line <= len(self.source) else ""
        at = find_normalised(raw, fragment)
        if at < 0:
            at = len(raw) - len(raw.lstrip())
        return at + 1
