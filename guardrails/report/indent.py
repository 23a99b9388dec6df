"""JSON text as ``json.dumps(value, indent=2)`` writes it, for the JSON and SARIF reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any

_CONSTANTS = {True: "true", False: "false", None: "null"}


class Prerendered:
    """A value whose JSON text its owner writes, for the indentation it is at: ``text(newline)``
    gives what ``indented(value, newline)`` would (a reporter's fast path for its largest part)."""

    __slots__ = ("text",)

    def __init__(self, text: Callable[[str], str]) -> None:
        self.text = text


def indented(value: Any, newline: str = "\n") -> str:
    """json.dumps(value, indent=2), character for character, at twice its speed: with an indent
    the json module encodes in pure Python, value by value (a run with thousands of findings
    spends more time there than in this). Strings go through the module's own C escaper."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        items = [f"{inner}{_key(k)}: {indented(v, inner)}" for k, v in value.items()]
        return "{" + ",".join(items) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + ",".join([inner + indented(v, inner) for v in value]) + newline + "]"
    if kind is int:
        return int.__repr__(value)
    if kind is Prerendered:
        return str(value.text(newline))
    if kind is bool or value is None:
        return _CONSTANTS[value]
    # anything else (a float, a subclass) as the json module writes it, at this depth
    return json.dumps(value, indent=2).replace("\n", newline)


def _key(key: Any) -> str:
    if type(key) is str:  # noqa: E721 - exact type: a subclass may convert differently
        return encode_basestring_ascii(key)
    return json.dumps({key: 0})[1:-4]  # a number, a boolean or None as a key: as json writes it
