"""Clock reads in PHP: ``time()``, ``microtime()``, ``date()``/``gmdate()`` without a timestamp,
``date_create()`` and ``new DateTime()``/``new DateTimeImmutable()`` for the current time.

Parsed with the tree-sitter grammar the SQL extraction uses (guardrails.sql.code.php).
``use`` statements are followed (``use DateTime as DT``; ``use function App\\Clock\\now as
time`` makes ``time()`` the application's own function); ``$obj->time()`` and
``Clock::now()`` are other objects' methods, not the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from guardrails.clock.elapsed import OTHER, READING, Durations, Key, Partner, Use
from guardrails.clock.unit import ClockRead
from guardrails.sql.code.treesitter import Node, Source, parse, statement_line

_FUNCTIONS = ("function_definition", "method_declaration")
_CLASSES = {"datetime": "DateTime", "datetimeimmutable": "DateTimeImmutable"}  # lower-cased: PHP ignores case
# date/time strings that mean "relative to now" (PHP's relative formats), not a fixed instant
_RELATIVE = re.compile(r"^\s*(now|today|tomorrow|yesterday|midnight|noon|[+-]\s*\d|(next|last|this)\b)", re.I)


def reads(path: str, text: str) -> Iterator[ClockRead]:
    from guardrails.sql.code.php import PHP

    source = Source(path, text)
    root = parse(PHP, source)
    return _Reader(source, *_uses(root, source)).run(root)


def _qualified(node: Node, source: Source) -> str:
    """A name as PHP resolves it from the root namespace, lower-cased: ``\\DateTime`` -> datetime."""
    return source.slice(node).lstrip("\\").lower()


def _uses(root: Node, source: Source) -> tuple[dict[str, str], dict[str, str]]:
    """Imported class names and imported function names: local alias -> qualified name."""
    classes: dict[str, str] = {}
    functions: dict[str, str] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "namespace_use_declaration":
            is_function = any(c.type == "function" for c in node.children)
            for clause in (c for c in node.named_children if c.type == "namespace_use_clause"):
                names = [c for c in clause.named_children if c.type in ("name", "qualified_name")]
                if not names:
                    continue
                target = _qualified(names[0], source)
                alias_node = clause.child_by_field_name("alias")
                alias = source.slice(alias_node).lower() if alias_node is not None else target.rsplit("\\", 1)[-1]
                clause_function = is_function or any(c.type == "function" for c in clause.children)
                (functions if clause_function else classes)[alias] = target
        elif node.type in ("program", "namespace_definition", "compound_statement", "declaration_list"):
            stack.extend(node.children)
    return classes, functions


class _Reader:
    def __init__(self, source: Source, classes: dict[str, str], functions: dict[str, str]) -> None:
        self.source = source
        self.classes = classes
        self.functions = functions
        self.durations = Durations()

    def api(self, node: Node) -> str:
        """The clock API a call or ``new`` resolves to, or ""."""
        arguments = node.child_by_field_name("arguments")
        if node.type == "object_creation_expression":
            if arguments is None:
                arguments = next((c for c in node.named_children if c.type == "arguments"), None)
            name = next((c for c in node.named_children if c.type in ("name", "qualified_name")), None)
            if name is None:
                return ""
            written = _qualified(name, self.source)
            qualified = written if _absolute(name) else self.classes.get(written, written)
            return f"new {_CLASSES[qualified]}" if qualified in _CLASSES and self._now_argument(arguments) else ""
        if node.type != "function_call_expression":
            return ""
        function = node.child_by_field_name("function")
        if function is None or function.type not in ("name", "qualified_name"):
            return ""
        written = _qualified(function, self.source)
        qualified = written if _absolute(function) else self.functions.get(written, written)
        count = _argument_count(arguments)
        if qualified in ("time", "microtime") or (qualified in ("date", "gmdate") and count == 1):
            return qualified
        if qualified == "date_create" and self._now_argument(arguments):
            return qualified
        return ""

    def _now_argument(self, arguments: Node | None) -> bool:
        """No time given, or one that PHP reads relative to now (``'now'``, ``'+1 day'``)."""
        if arguments is None or arguments.named_child_count == 0:
            return True
        first = arguments.named_children[0]
        value = first.named_children[0] if first.type == "argument" and first.named_child_count else first
        if value.type == "null":
            return True
        literal = all(c.type == "string_content" for c in value.named_children)
        if value.type in ("string", "encapsed_string") and literal:
            return bool(_RELATIVE.match(self.source.slice(value)[1:-1]))
        return False

    def run(self, root: Node) -> Iterator[ClockRead]:
        calls: list[tuple[Node, str, int]] = []
        stack: list[tuple[Node, int]] = [(root, 0)]
        while stack:
            node, scope = stack.pop()
            if node.type in _FUNCTIONS and scope == 0:
                scope = node.id  # closures (function () use ($start)) share their function's scope
            if node.type in ("function_call_expression", "object_creation_expression"):
                api = self.api(node)
                if api:
                    calls.append((node, api, scope))
            elif node.type == "variable_name":
                key = (scope, self.source.slice(node))
                parent = node.parent
                if (
                    parent is not None
                    and parent.type == "assignment_expression"
                    and parent.child_by_field_name("left") == node
                ):
                    value = parent.child_by_field_name("right")
                    self.durations.assign(key, value is not None and self.api(value) != "")
                elif parent is not None and parent.type == "augmented_assignment_expression":
                    self.durations.assign(key, False)
                else:
                    self.durations.use(key, self._use_of(node, scope))
            stack.extend((c, scope) for c in reversed(node.children))
        for node, api, scope in calls:
            elapsed = self.durations.elapsed(self._assigned_to(node, scope), self._use_of(node, scope))
            where, written = self.source.location(node), self.source.slice(node)
            line = statement_line(node)
            yield ClockRead(self.source.path, where, "php", written, api, elapsed, statement_line=line)

    def _assigned_to(self, node: Node, scope: int) -> Key | None:
        parent = node.parent
        if parent is None or parent.type != "assignment_expression" or parent.child_by_field_name("right") != node:
            return None
        left = parent.child_by_field_name("left")
        return (scope, self.source.slice(left)) if left is not None and left.type == "variable_name" else None

    def _use_of(self, node: Node, scope: int) -> Use:
        parent = node.parent
        if parent is not None and parent.type == "binary_expression":
            operator = parent.child_by_field_name("operator")
            if operator is not None and operator.type == "-":
                left = parent.child_by_field_name("left")
                other = parent.child_by_field_name("right") if left == node else left
                return Use("diff", self._partner(other, scope))
        return OTHER

    def _partner(self, node: Node | None, scope: int) -> Partner:
        if node is None:
            return None
        if self.api(node):
            return READING
        if node.type == "variable_name":
            return (scope, self.source.slice(node))
        return None


def _absolute(name: Node) -> bool:
    """``\\time()`` or ``\\DateTime``: the root namespace, never an alias."""
    return name.type == "qualified_name" and name.text.startswith(b"\\")


def _argument_count(arguments: Node | None) -> int:
    return arguments.named_child_count if arguments is not None else 0
