"""Python string tokens read character by character: where each part of an implicit
concatenation or f-string sits, which ``ast`` does not say, and what its escapes stand for."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator

_PREFIX_CHARS = frozenset("rRbBuUfF")


def string_tokens(text: str, start: int, end: int) -> Iterator[tuple[str, str, int, int]]:
    """(prefix, quote, body start, body end) of each string token in text[start:end], which
    holds only string tokens, blanks, comments and line continuations between them."""
    i = start
    while i < end:
        c = text[i]
        if c.isspace() or c in "()":
            i += 1
        elif c == "\\":
            i += 2
        elif c == "#":
            newline = text.find("\n", i)
            i = end if newline == -1 else newline + 1
        else:
            p = i
            while text[p] in _PREFIX_CHARS:
                p += 1
            quote = text[p : p + 3] if text[p : p + 3] in ('"""', "'''") else text[p]
            body = p + len(quote)
            prefix = text[i:p]
            close = _closing(text, body, end, quote, "f" in prefix.lower())
            yield prefix, quote, body, close
            i = close + len(quote)


def _closing(text: str, i: int, end: int, quote: str, fstring: bool) -> int:
    """Offset of the quote that ends a string body starting at i."""
    while i < end:
        c = text[i]
        if c == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i
        elif fstring and c == "{" and not text.startswith("{{", i):
            i += field_width(text, i, end)
        elif fstring and c == "{":
            i += 2
        else:
            i += 1
    return end


def field_width(text: str, i: int, end: int) -> int:
    """Width of a replacement field ``{...}`` at i, nested braces and strings included."""
    depth = 0
    j = i
    while j < end:
        c = text[j]
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth == 0:
                return j + 1 - i
        elif c in "'\"":
            close = text.find(c, j + 1)
            j = end if close == -1 else close
        j += 1
    return end - i


def escape_width(text: str, i: int, end: int) -> int:
    nxt = text[i + 1 : i + 2]
    if nxt == "x":
        return 4
    if nxt == "u":
        return 6
    if nxt == "U":
        return 10
    if nxt == "N":
        close = text.find("}", i, end)
        return (close + 1 - i) if close != -1 else 2
    if nxt in "01234567" and nxt:
        width = 2
        while width < 4 and text[i + width : i + width + 1] in tuple("01234567"):
            width += 1
        return width
    if nxt == "\r" and text[i + 2 : i + 3] == "\n":
        return 3
    return 2


def decode_escape(sequence: str) -> str:
    if sequence[1:2] in ("\n", "\r"):
        return ""  # a line continuation inside the string
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = ast.literal_eval(f'"{sequence}"')
    except (SyntaxError, ValueError):
        return sequence
    return value if isinstance(value, str) else sequence
