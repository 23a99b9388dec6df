"""Clock reads in Go: ``time.Now()``, ``time.Since()``, ``time.Until()`` through however ``time`` is imported.

The file is parsed with the tree-sitter grammar the SQL extraction uses
(guardrails.sql.code.go), so strings and comments that mention ``time.Now()`` are text,
never calls. ``import t "time"`` and ``import . "time"`` are followed; a ``Now`` method on
any other value is not the clock.
"""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.clock.elapsed import OTHER, READING, SINCE, Durations, Key, Partner, Use
from guardrails.clock.unit import ClockRead
from guardrails.sql.code.treesitter import Node, Source, parse, statement_line

_APIS = ("Now", "Since", "Until")
_FUNCTIONS = ("function_declaration", "method_declaration")
_ASSIGNMENTS = ("short_var_declaration", "assignment_statement")


def reads(path: str, text: str) -> Iterator[ClockRead]:
    from guardrails.sql.code.go import GO

    source = Source(path, text)
    root = parse(GO, source)
    return _Reader(source, _time_names(root, source)).run(root)


def _time_names(root: Node, source: Source) -> tuple[set[str], bool]:
    """The names the file imports package time as, and whether it dot-imports it."""
    names: set[str] = set()
    dot = False
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "import_spec":
            path = node.child_by_field_name("path")
            if path is None or source.slice(path).strip('"`') != "time":
                continue
            name = node.child_by_field_name("name")
            if name is None:
                names.add("time")
            elif name.type == "dot":
                dot = True
            elif source.slice(name) != "_":
                names.add(source.slice(name))
        elif node.type in ("source_file", "import_declaration", "import_spec_list"):
            stack.extend(node.children)
    return names, dot


class _Reader:
    def __init__(self, source: Source, imported: tuple[set[str], bool]) -> None:
        self.source = source
        self.names, self.dot = imported
        self.durations = Durations()

    def run(self, root: Node) -> Iterator[ClockRead]:
        calls: list[tuple[Node, str, int]] = []
        targets: set[int] = set()  # identifiers being assigned, which are not uses
        stack: list[tuple[Node, int]] = [(root, 0)]
        while stack:
            node, scope = stack.pop()
            kind = node.type
            if kind in _FUNCTIONS and scope == 0:
                scope = node.id  # closures share their function's scope: defer func() { time.Since(start) }
            if kind == "call_expression":
                api = self.api(node)
                if api:
                    calls.append((node, api, scope))
            elif kind in _ASSIGNMENTS or kind == "var_spec":
                self._assignment(node, scope, targets)
            elif kind == "identifier" and node.id not in targets:
                self.durations.use((scope, self.source.slice(node)), self._use_of(node, scope))
            stack.extend((c, scope) for c in reversed(node.children))
        for node, api, scope in calls:
            yield ClockRead(
                self.source.path,
                self.source.location(node),
                "go",
                self.source.slice(node),
                "time." + api,
                self._elapsed(node, api, scope),
                statement_line=statement_line(node),
            )

    def api(self, call: Node) -> str:
        """``Now``, ``Since`` or ``Until`` when the call is package time's; else ""."""
        function = call.child_by_field_name("function")
        if function is None:
            return ""
        if function.type == "selector_expression":
            operand = function.child_by_field_name("operand")
            field = function.child_by_field_name("field")
            if operand is None or field is None or operand.type != "identifier":
                return ""
            name = self.source.slice(field)
            return name if name in _APIS and self.source.slice(operand) in self.names else ""
        if function.type == "identifier" and self.dot:
            name = self.source.slice(function)
            return name if name in _APIS else ""
        return ""

    def _assignment(self, node: Node, scope: int, targets: set[int]) -> None:
        if node.type == "var_spec":
            names = node.children_by_field_name("name")
            value = node.child_by_field_name("value")
        else:
            left = node.child_by_field_name("left")
            value = node.child_by_field_name("right")
            names = left.named_children if left is not None else []
        values = value.named_children if value is not None else []
        for i, name in enumerate(names):
            if name.type != "identifier":
                continue
            targets.add(name.id)
            if value is None:
                continue  # var start time.Time: declared, not given a value
            given = values[i] if len(values) == len(names) else None
            self.durations.assign((scope, self.source.slice(name)), given is not None and self.api(given) == "Now")

    def _use_of(self, node: Node, scope: int) -> Use:
        """What an identifier (or a reading) is used in: time.Since(x), a.Sub(b), or anything else."""
        parent = node.parent
        if parent is not None and parent.type == "argument_list" and parent.named_child_count == 1:
            call = parent.parent
            if call is not None and call.type == "call_expression":
                if self.api(call) == "Since":
                    return SINCE
                receiver = _sub_receiver(call)
                if receiver is not None:
                    return Use("diff", self._partner(receiver, scope))
        operand = parent.child_by_field_name("operand") if parent is not None else None
        if parent is not None and parent.type == "selector_expression" and node == operand:
            call = parent.parent
            if call is not None and call.type == "call_expression" and _sub_receiver(call) == node:
                arguments = call.child_by_field_name("arguments")
                return Use("diff", self._partner(arguments.named_children[0], scope))
        return OTHER

    def _partner(self, node: Node, scope: int) -> Partner:
        if node.type == "call_expression" and self.api(node) == "Now":
            return READING
        if node.type == "identifier":
            return (scope, self.source.slice(node))
        return None

    def _elapsed(self, call: Node, api: str, scope: int) -> bool:
        if api == "Since":
            arguments = call.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments is not None and arguments.named_child_count else None
            return (
                first is not None
                and first.type == "identifier"
                and self.durations.holds_reading((scope, self.source.slice(first)))
            )
        if api != "Now":
            return False  # time.Until(deadline): how long until a wall-clock instant
        return self.durations.elapsed(self._assigned_to(call, scope), self._use_of(call, scope))

    def _assigned_to(self, call: Node, scope: int) -> Key | None:
        values = call.parent
        statement = values.parent if values is not None else None
        if values is None or statement is None or values.type != "expression_list":
            return None
        if statement.type == "var_spec":
            names = statement.children_by_field_name("name")
        elif statement.type in _ASSIGNMENTS and values == statement.child_by_field_name("right"):
            left = statement.child_by_field_name("left")
            names = left.named_children if left is not None else []
        else:
            return None
        index = [c.id for c in values.named_children].index(call.id)
        if len(names) != values.named_child_count or names[index].type != "identifier":
            return None
        return (scope, self.source.slice(names[index]))


def _sub_receiver(call: Node) -> Node | None:
    """The receiver of ``x.Sub(y)`` (one argument), else None."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if function is None or function.type != "selector_expression" or arguments is None:
        return None
    field = function.child_by_field_name("field")
    if field is None or field.text != b"Sub" or arguments.named_child_count != 1:
        return None
    return function.child_by_field_name("operand")
