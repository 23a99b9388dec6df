"""JSON loading that can say where any object starts, at close to json.loads speed and memory.

PyYAML's composer gives positions but costs about thirty times json.loads on a
13 MB description. Instead the C decoder builds the data, with an
object_hook that records each object as it closes; one regular expression
pass over the bytes finds the structural braces, skipping strings (braces.py:
on a large file, in a child process, overlapped with decoding). Objects close
in the same order in both, so the k-th closing brace belongs to the k-th
object the hook saw.

Memory, on GitHub's 13 MB description (80,000 objects): the index is the list
of objects in closing order (one pointer each) and, once positions are asked
for, an array of 8-byte offsets; a dict from id() to offset cost ten times that.
The bytes are never decoded as UTF-8: one emoji makes CPython store the decoded
text at four bytes per character (52 MB), so non-ASCII runs, which JSON allows
only inside strings, are rewritten as \\u escapes (same values) and the rest is
decoded as ASCII, while offsets are taken from the original bytes.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable
from typing import Any

from guardrails.openapi.braces import BraceScan, scan

# Byte -> 0 (ASCII) or 1: translate() plus find() locate non-ASCII runs at memchr
# speed; a regular expression for [\x80-\xff]+ takes 90 ms on 13 MB.
_HIGH = bytes(int(b >= 0x80) for b in range(256))
BOM = b"\xef\xbb\xbf"


class JsonError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset  # into the original bytes, or close to it


class JsonIndex:
    """Where each object of one JSON text starts, computed on first use."""

    def __init__(self, braces: BraceScan, closed: list[dict[str, Any]]) -> None:
        self._braces = braces  # started before decoding; see braces.py
        self._closed = closed  # every object, in the order its "}" appears
        self._opens: array[int] | None = None  # offset of the "{" of closed[k]

    def offsets(self, objs: list[Any]) -> dict[int, int]:
        """The byte offset of the "{" of each object in objs that belongs to this text, by id."""
        wanted = {id(o) for o in objs}
        if not wanted:
            return {}
        if self._opens is None:
            self._opens = self._braces.result()
            if len(self._opens) != len(self._closed):  # cannot happen; never trust a helper blindly
                self._opens = scan(self._braces.raw)
        opens = self._opens
        return {id(o): opens[k] for k, o in enumerate(self._closed) if id(o) in wanted}

    def close(self) -> None:
        """Stop the brace scan if it still runs (the spec is done with)."""
        self._braces.close()


def load_json(
    raw: bytes, marker: str, scan_in_child: bool = True
) -> tuple[Any, JsonIndex, list[dict[str, Any]], list[dict[str, Any]]]:
    """The data; its position index; the dicts holding a string ``$ref``; the dicts holding the
    key ``marker``. Raises JsonError, also for bytes that are not UTF-8. ``scan_in_child``
    False: the brace scan runs here, when positions are first asked for (a second core is busy)."""
    closed: list[dict[str, Any]] = []
    refs: list[dict[str, Any]] = []
    marked: list[dict[str, Any]] = []
    append = closed.append

    def hook(obj: dict[str, Any]) -> dict[str, Any]:
        append(obj)
        if "$ref" in obj and isinstance(obj["$ref"], str):
            refs.append(obj)
        if marker in obj:
            marked.append(obj)
        return obj

    skip = len(BOM) if raw.startswith(BOM) else 0
    if skip:  # blank it rather than cut it, so offsets stay offsets into the file
        raw = b"   " + raw[skip:]
    braces = BraceScan(raw, may_fork=scan_in_child)
    try:
        data = _decode(raw, hook)
    except BaseException:
        braces.close()
        raise
    return data, JsonIndex(braces, closed), refs, marked


def _decode(raw: bytes, hook: Callable[[dict[str, Any]], Any]) -> Any:
    text = _as_ascii(raw)
    try:
        # object_hook, not object_pairs_hook: the decoder builds each dict itself instead of a
        # list of pairs that is thrown away, whose holes would keep the tree's memory pages
        # from being returned after the tree is freed (11 MB of peak on GitHub's description).
        return json.loads(text, object_hook=hook)
    except json.JSONDecodeError as exc:
        line_start = text.rfind("\n", 0, exc.pos) + 1
        raw_line = _nth_line_start(raw, text.count("\n", 0, exc.pos))
        raise JsonError(f"invalid JSON: {exc.msg}", raw_line + (exc.pos - line_start)) from None
    except RecursionError:
        raise JsonError("invalid JSON: nested too deeply", 0) from None


def _as_ascii(raw: bytes) -> str:
    """raw as a str of ASCII (one byte per character), non-ASCII runs as JSON escapes."""
    if raw.isascii():
        return raw.decode("ascii")
    marks = raw.translate(_HIGH)
    runs: list[tuple[int, int]] = []
    at = marks.find(1)
    while at >= 0:
        end = marks.find(0, at)
        end = len(raw) if end < 0 else end
        runs.append((at, end))
        at = marks.find(1, end)
    del marks
    view = memoryview(raw)
    parts: list[str] = []
    last = 0
    for start, end in runs:
        parts.append(str(view[last:start], "ascii"))
        try:
            # A run of bytes >= 0x80 between ASCII bytes is whole UTF-8 characters, so
            # checking each run alone checks the file.
            chars = str(view[start:end], "utf-8")
        except UnicodeDecodeError as exc:
            raise JsonError(
                f"not valid UTF-8 (byte 0x{raw[start + exc.start]:02x}): not checked", start + exc.start
            ) from None
        parts.append(json.dumps(chars)[1:-1])
        last = end
    parts.append(str(view[last:], "ascii"))
    view.release()
    return "".join(parts)


def _nth_line_start(raw: bytes, newlines: int) -> int:
    at = 0
    for _ in range(newlines):
        at = raw.index(b"\n", at) + 1
    return at
