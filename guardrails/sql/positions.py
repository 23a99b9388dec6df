"""Map an offset in a statement's text back to a line and column in its file."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Protocol


class PositionMap(Protocol):
    def __call__(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of the character at ``offset`` of the text."""


def line_starts(text: str) -> list[int]:
    """Where each line starts: after each "\\n", as git, GitHub and the tokenizer count lines."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def universal_line_starts(text: str) -> list[int]:
    """Where lines start when "\\r\\n", a lone "\\r" and "\\n" each end one: how Python's ``ast``
    and markdown-it number lines. (``str.splitlines()`` also breaks at form feeds, U+2028 and
    more, which sit inside lines for both.) Without a lone "\\r", the same as line_starts."""
    if text.count("\r") == text.count("\r\n"):
        return line_starts(text)
    return [0, *(m.end() for m in re.finditer(r"\r\n?|\n", text))]


def ast_and_file_starts(text: str) -> tuple[list[int], list[int]]:
    """(universal_line_starts, line_starts) of a Python file: ast's (line, column) become an
    offset through the first, and that offset a finding's line and column through the second.
    They differ only where a lone "\\r" ends a line for Python and none for git (the same list
    then)."""
    ast_starts = universal_line_starts(text)
    return ast_starts, (ast_starts if len(ast_starts) == text.count("\n") + 1 else line_starts(text))


def file_position(text: str, line: int, column: int) -> tuple[int, int]:
    """A 1-based (line, character column) as Python numbers lines (a SyntaxError's), on the
    file's lines: the same but after a lone "\\r"."""
    ast_starts, file_starts = ast_and_file_starts(text)
    if ast_starts is file_starts or not 0 < line <= len(ast_starts):
        return line, column
    return FileOffsets(file_starts, 0)(ast_starts[line - 1] + max(column, 1) - 1)


def line_at(text: str, starts: Sequence[int], line: int) -> str:
    """The 1-based ``line`` of ``text`` without its line break ("" past the end); ``starts``:
    line_starts(text) or universal_line_starts(text), whichever numbered ``line``."""
    if not 0 < line <= len(starts):
        return ""
    end = starts[line] if line < len(starts) else len(text)
    return text[starts[line - 1] : end].rstrip("\r\n")


def char_offset(text: str, starts: Sequence[int], line: int | None, byte_column: int | None, ascii: bool) -> int:
    """Character offset in ``text`` of Python ``ast``'s (1-based line, UTF-8 byte column);
    ``starts``: line_starts(text), ``ascii``: text.isascii() (then bytes are characters)."""
    start = starts[(line or 1) - 1]
    column = byte_column or 0
    if not ascii:  # the line as ast counts lines, not as str.splitlines() does
        column = len(text[start : start + column].encode("utf-8")[:column].decode("utf-8", "ignore"))
    return start + column


class FileOffsets:
    """For text that is a verbatim slice of a file starting at ``base``."""

    __slots__ = ("_starts", "_base")

    def __init__(self, starts: Sequence[int], base: int) -> None:
        self._starts = starts
        self._base = base

    def __call__(self, offset: int) -> tuple[int, int]:
        pos = self._base + offset
        line = bisect.bisect_right(self._starts, pos)
        return line, pos - self._starts[line - 1] + 1


class Segments:
    """For text assembled from pieces (string literals, escapes, concatenation).

    Each segment ``(text_offset, line, column)`` says where the character at
    ``text_offset`` sits in the file; characters after it, up to the next
    segment, follow verbatim (a newline starts the next line at column 1).
    """

    __slots__ = ("_text", "_segments", "_offsets")

    def __init__(self, text: str, segments: Sequence[tuple[int, int, int]]) -> None:
        if not segments or segments[0][0] != 0:
            raise ValueError("the first segment must start at offset 0")
        self._text = text
        self._segments = segments
        self._offsets = [s[0] for s in segments]

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._offsets, offset) - 1
        start, line, column = self._segments[i]
        piece = self._text[start:offset]
        newlines = piece.count("\n")
        if newlines:
            return line + newlines, offset - piece.rfind("\n") - start
        return line, column + offset - start
