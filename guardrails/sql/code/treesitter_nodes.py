"""What the tree-sitter readers share about a file: its text with tree-sitter's positions
turned into the file's, the names of the calls that print messages, and what a call calls."""

from __future__ import annotations

from typing import Any

from guardrails.findings import Location

Node = Any  # tree_sitter.Node; typed loosely so this module imports without tree-sitter loaded

# Callee names (lower-cased) whose string arguments are messages for people.
LOG_CALLS = frozenset(
    {
        "debug", "debugf", "info", "infof", "warn", "warnf", "warning", "error", "errorf",
        "fatal", "fatalf", "panic", "panicf", "print", "printf", "println", "log", "logf",
        "wrap", "wrapf", "skip", "skipf", "puts", "error_log", "trace", "raise",
    }
)  # fmt: skip


class Source:
    """The file's text and bytes, with tree-sitter's (row, byte column) turned into
    1-based (line, character column)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.data = text.encode("utf-8")
        self.ascii = text.isascii()
        self._lines: list[bytes] | None = None

    def position(self, point: Any) -> tuple[int, int]:
        row, column = point
        if not self.ascii:
            if self._lines is None:
                self._lines = self.data.split(b"\n")
            column = len(self._lines[row][:column].decode("utf-8", "ignore"))
        return row + 1, column + 1

    def slice(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def location(self, node: Node) -> Location:
        line, column = self.position(node.start_point)
        end_line, end_column = self.position(node.end_point)
        return Location(self.path, line, column, end_line, end_column)


def callee_name(call: Node, source: Source) -> str:
    """The last name of what a call calls: ``Sprintf`` in ``fmt.Sprintf(...)``."""
    target = None
    for name in ("method", "name", "function"):
        target = call.child_by_field_name(name)
        if target is not None:
            break
    while target is not None:
        inner = None
        for name in ("field", "property", "name"):
            inner = target.child_by_field_name(name)
            if inner is not None:
                break
        if inner is None:
            return source.slice(target)
        target = inner
    return ""
