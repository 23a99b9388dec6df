"""Clock reads in Python: ``datetime.now()``, ``date.today()``, ``time.time()``, Django's
``timezone.now()``, Arrow's and Pendulum's ``now()``, resolved through the file's imports.

``ast`` sees calls, never the text of strings or comments; a call counts only when its
name leads back to an import of one of those modules (``from datetime import datetime as
dt``, ``import time as t``, ``from time import time``), so ``self.clock.now()`` and other
objects' ``now`` methods are not the clock. ``time.monotonic()`` and ``perf_counter()``
are never the wall clock and are not reads.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from guardrails.clock.elapsed import OTHER, READING, Durations, Key, Partner, Use
from guardrails.clock.unit import ClockRead
from guardrails.findings import Finding, Location
from guardrails.sql.code.python import parse_module, syntax_error
from guardrails.sql.positions import FileOffsets, ast_and_file_starts, char_offset

APIS = frozenset(
    {
        "time.time",
        "time.time_ns",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
        "django.utils.timezone.now",
        "arrow.now",
        "arrow.utcnow",
        "pendulum.now",
        "pendulum.today",
    }
)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def reads(path: str, text: str) -> Iterator[ClockRead | Finding]:
    parsed = parse_module(path, text)
    if isinstance(parsed, SyntaxError):
        yield syntax_error(path, text, parsed, "no clock read in it could be checked", after_error=": ")
        return
    tree = parsed[0]  # its text differs from the file's only in respelled newer syntax, never in length
    yield from _Reader(path, text, _imports(tree)).run(tree)


def _imports(tree: ast.AST) -> dict[str, str]:
    """Local name -> the dotted name it was imported as, from every import in the file."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    names[root] = root
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


class _Reader:
    def __init__(self, path: str, text: str, imports: dict[str, str]) -> None:
        self.path = path
        self.text = text
        self.imports = imports
        self.starts, file_starts = ast_and_file_starts(text)  # self.starts: to read ast's positions
        self.at = FileOffsets(file_starts, 0)
        self.ascii = text.isascii()
        self.durations = Durations()
        self.parents: dict[int, ast.AST] = {}

    def api(self, node: ast.AST) -> str:
        """The clock API a call resolves to through the imports, or ""."""
        if not isinstance(node, ast.Call):
            return ""
        parts = _dotted(node.func)
        if not parts or parts[0] not in self.imports:
            return ""
        name = ".".join([self.imports[parts[0]], *parts[1:]])
        return name if name in APIS else ""

    def run(self, tree: ast.AST) -> Iterator[ClockRead]:
        calls: list[tuple[ast.Call, str, int]] = []
        stack: list[tuple[ast.AST, int]] = [(tree, 0)]
        while stack:
            node, scope = stack.pop()
            if isinstance(node, _FUNCTIONS) and scope == 0:
                scope = id(node)  # nested functions and lambdas share it: closures over t0
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
                stack.append((child, scope))
            if isinstance(node, ast.Call) and (api := self.api(node)):
                calls.append((node, api, scope))
            elif isinstance(node, ast.Name):
                key = (scope, node.id)
                if isinstance(node.ctx, ast.Store):
                    self.durations.assign(key, self._assigned_value_api(node) != "")
                elif isinstance(node.ctx, ast.Load):
                    self.durations.use(key, self._use_of(node, scope))
        for call, api, scope in sorted(calls, key=lambda c: (c[0].lineno, c[0].col_offset)):
            elapsed = self.durations.elapsed(self._assigned_to(call, scope), self._use_of(call, scope))
            written = ast.get_source_segment(self.text, call) or ""
            line = self._statement_line(call)
            yield ClockRead(self.path, self._location(call), "python", written, api, elapsed, statement_line=line)

    def _assigned_value_api(self, name: ast.Name) -> str:
        parent = self.parents.get(id(name))
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is not None:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if name in targets:
                return self.api(parent.value)
        return ""

    def _assigned_to(self, call: ast.Call, scope: int) -> Key | None:
        parent = self.parents.get(id(call))
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            return (scope, parent.targets[0].id)
        if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
            return (scope, parent.target.id)
        return None

    def _use_of(self, node: ast.expr, scope: int) -> Use:
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Sub):
            other = parent.right if parent.left is node else parent.left
            return Use("diff", self._partner(other, scope))
        return OTHER

    def _partner(self, node: ast.expr, scope: int) -> Partner:
        if self.api(node):
            return READING
        if isinstance(node, ast.Name):
            return (scope, node.id)
        return None

    def _statement_line(self, node: ast.AST) -> int:
        """The first line of the statement holding node."""
        while not isinstance(node, ast.stmt) and id(node) in self.parents:
            node = self.parents[id(node)]
        return int(getattr(node, "lineno", 0))

    def _location(self, node: ast.expr) -> Location:
        start = char_offset(self.text, self.starts, node.lineno, node.col_offset, self.ascii)
        end = char_offset(self.text, self.starts, node.end_lineno, node.end_col_offset, self.ascii)
        line, column = self.at(start)
        end_line, end_column = self.at(end)
        return Location(self.path, line, column, end_line, end_column)
