"""One file's syntax tree, made once for two readers that read the file one after the other.

The clock_reads input reads a Go, Python or PHP file of ``sql.sources`` twice: for its SQL
(guardrails.sql.source) and for its clock reads (guardrails.clock). Inside ``one_parse()``
the parsers (treesitter.parse, python.parse_module) keep the tree of the text they parsed
last, per language, and hand it to the next reader of the same text. Outside it every parse
is the reader's own, so no tree outlives the file it was made for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

# language -> (the text parsed, its tree), while one file is read by two readers
_KEPT: ContextVar[dict[str, tuple[str, Any]] | None] = ContextVar("the syntax trees of one file", default=None)


@contextmanager
def one_parse() -> Iterator[None]:
    """Readers of one file inside this block share its syntax tree; it is dropped at the end."""
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


def parsed(language: str, text: str, parse: Callable[[], T]) -> T:
    """``parse()``, or the tree a reader in the same ``one_parse()`` block made of this text."""
    kept = _KEPT.get()
    if kept is None:
        return parse()
    hit = kept.get(language)
    if hit is not None and hit[0] == text:  # the text is read again by each reader: equal, not the same object
        tree: T = hit[1]
        return tree
    tree = parse()
    kept[language] = (text, tree)
    return tree
