"""Markdown to ``Review``, with markdown-it-py rendering it as GitHub does: headings, lists,
tables, links (bare URLs too), images and fences; HTML comments are not content.

Only blocks at the top level of the document count as structure (a heading quoted in a
blockquote starts no section). A section runs from its heading to the next heading of the
same or a higher level; unrecognised deeper headings stay inside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from guardrails.incident.review import Evidence, Item, Link, Review, Row, Section, TextLine
from guardrails.incident.sections import section_of
from guardrails.incident.text import language_of
from guardrails.sql.positions import line_at, universal_line_starts

_LISTS = ("bullet_list", "ordered_list")


def parse_review(path: str, text: str, names: Mapping[str, Sequence[str]]) -> Review:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    root = SyntaxTreeNode(md.parse(_without_front_matter(text)))
    sections: list[_Open] = []
    current: _Open | None = None
    first_heading, title = 0, ""
    every_text: list[str] = []
    for node in root.children:
        if node.type == "heading":
            line = _line(node)
            heading = _inline(node.children[0], line)
            every_text += [t.text for t in heading.lines]
            words = " ".join(t.text for t in heading.lines).strip()
            if not first_heading:
                first_heading, title = line, words
            level = int(node.tag[1:])
            key = section_of(words, names)
            if current is not None and level > current.level and key in (None, current.key):
                continue  # a sub-heading (### 再発防止策 under ## 被害の最小化・再発防止策) stays inside
            if key is not None:
                current = _Open(key, words, level, line)
                sections.append(current)
            else:
                current = None
            continue
        if current is not None:
            current.add(node)
    # numbered as markdown-it numbers them (it ends lines at "\r\n", "\r" and "\n", never at a
    # form feed or U+2028 as splitlines() does), without an empty one after the last line break
    starts = universal_line_starts(text)
    lines = [line_at(text, starts, n) for n in range(1, len(starts) + (starts[-1] < len(text)))]
    first_of_each: dict[str, Section] = {}
    for i, s in enumerate(sections):
        end = sections[i + 1].line - 1 if i + 1 < len(sections) else len(lines)
        first_of_each.setdefault(s.key, s.close(end, lines))
    every_text += [t.text for s in first_of_each.values() for t in s.text_lines()]
    return Review(
        path=path,
        title=title or path.rsplit("/", 1)[-1],
        language=language_of(every_text),
        first_heading=first_heading,
        sections=tuple(sorted(first_of_each.values(), key=lambda s: s.line)),
        source=tuple(lines),
    )


@dataclass
class _Inline:
    lines: list[TextLine] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class _Open:
    """A section being read."""

    key: str
    title: str
    level: int
    line: int
    evidence: list[Evidence] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    paragraphs: list[TextLine] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def add(self, node: Any) -> None:
        if node.type in _LISTS:
            self._list(node, 0)
        elif node.type == "table":
            self._table(node)
        elif node.type == "fence" and node.content.strip():
            self.evidence.append(Evidence("code", _line(node), node.info.strip()))
        elif node.type == "html_block":
            self._html(node.content, _line(node))
        elif node.type == "paragraph":
            self.paragraphs += self._take(_inline(node.children[0], _line(node))).lines
        elif node.type == "blockquote":
            for child in node.children:
                self.add(child)

    def _take(self, inline: _Inline) -> _Inline:
        self.links += inline.links
        self.evidence += inline.evidence
        return inline

    def _html(self, html: str, line: int) -> None:
        for found in _html_evidence(html, line):
            self.evidence.append(found)
            self.links.append(Link(found.line, found.detail, "", found.kind == "image"))

    def _list(self, node: Any, depth: int) -> list[Item]:
        """The items of a list (each with its nested items' text), recorded in document order."""
        made = []
        for item in node.children:
            at = len(self.items)
            self.items.append(Item(0, 0, depth, (), (), None, 0))  # its place, filled below
            own: list[TextLine] = []
            links: list[Link] = []
            nested: list[Item] = []
            for child in item.children:
                if child.type in _LISTS:
                    nested += self._list(child, depth + 1)
                elif child.type == "paragraph":
                    inline = self._take(_inline(child.children[0], _line(child)))
                    own += inline.lines
                    links += inline.links
                else:
                    self.add(child)
            task, own = _task(own)
            below = [n for n in self.items[at + 1 :] if n.depth > depth]
            made_item = Item(
                line=_line(item),
                end_line=item.map[1] if item.map else _line(item),
                depth=depth,
                lines=(*own, *(t for n in nested for t in n.lines)),
                links=(*links, *(k for n in nested for k in n.links)),
                task=task,
                subtasks=sum(1 for n in below if n.task is not None),
            )
            self.items[at] = made_item
            made.append(made_item)
        return made

    def _table(self, node: Any) -> None:
        for part in node.children:
            if part.type != "tbody":
                continue
            for row in part.children:
                cells = [self._take(_inline(cell.children[0], _line(row))) for cell in row.children if cell.children]
                text = tuple(" ".join(t.text for t in c.lines).strip() for c in cells)
                self.rows.append(Row(_line(row), text))

    def close(self, end_line: int, lines: list[str]) -> Section:
        heading = lines[self.line - 1] if self.line <= len(lines) else ""
        return Section(
            key=self.key,
            title=self.title,
            level=self.level,
            line=self.line,
            column=len(heading) - len(heading.lstrip()) + 1,
            end_line=end_line,
            evidence=tuple(self.evidence),
            items=tuple(self.items),
            rows=tuple(self.rows),
            paragraphs=tuple(self.paragraphs),
            links=tuple(self.links),
        )


def _without_front_matter(text: str) -> str:
    """The text with a leading YAML front matter block (Jekyll, Hugo) blanked, lines kept: GitHub
    shows it as a table, while CommonMark would read its closing ``---`` as a heading underline."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    return "\n" * (end + 1) + "\n".join(lines[end + 1 :]) if end else text


def _line(node: Any) -> int:
    return int(node.map[0]) + 1 if node.map else 0


def _task(lines: list[TextLine]) -> tuple[bool | None, list[TextLine]]:
    """A task-list item (``[ ]``, ``[x]``) and its text without the box."""
    if lines and lines[0].text[:4].lower() in ("[ ] ", "[x] "):
        first = lines[0]
        return first.text[1] != " ", [TextLine(first.line, first.text[4:]), *lines[1:]]
    return None, lines


def _inline(node: Any, line: int) -> _Inline:
    """The rendered text of an inline node, line by line, with its links and evidence."""
    out = _Inline()
    parts: list[str] = []

    def flush() -> None:
        out.lines.append(TextLine(line, "".join(parts)))
        parts.clear()

    def walk(children: Sequence[Any], link: list[str] | None) -> None:
        nonlocal line
        for child in children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
                if link is not None:
                    link.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                flush()
                line += 1
            elif child.type == "html_inline":
                for found in _html_evidence(child.content, line):
                    out.evidence.append(found)
                    out.links.append(Link(found.line, found.detail, "", found.kind == "image"))
                for _ in range(child.content.count("\n")):  # a comment spanning lines
                    flush()
                    line += 1
            elif child.type in ("link", "image"):
                url = str(child.attrs.get("href" if child.type == "link" else "src", ""))
                words: list[str] = []
                start = line
                walk(child.children, words)
                image = child.type == "image"
                out.links.append(Link(start, url, "".join(words), image))
                if image or not url.startswith("#"):  # a link within the review is no evidence
                    out.evidence.append(Evidence("image" if image else "link", start, url))
            else:
                walk(child.children, link)

    walk(node.children, None)
    flush()
    return out


class _Tags(HTMLParser):
    """``<img src>`` and ``<a href>`` in raw HTML, which GitHub renders; comments are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and values.get("src"):
            self.found.append((self.getpos()[0], "image", values["src"] or ""))
        elif tag == "a" and values.get("href") and not (values["href"] or "").startswith("#"):
            self.found.append((self.getpos()[0], "link", values["href"] or ""))


def _html_evidence(html: str, line: int) -> list[Evidence]:
    if "<img" not in html.lower() and "<a" not in html.lower():
        return []
    tags = _Tags()
    tags.feed(html)
    tags.close()
    return [Evidence(kind, line + at - 1, url) for at, kind, url in tags.found]
