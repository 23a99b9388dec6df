"""Where a query string goes in Go and PHP (tree-sitter): through the variable that holds it,
to the calls that run it, the appends that finish it (``q += ...``, ``q = q + ...``,
``$sql .= ...``, ``$sql = $sql . ...``) and the callers in the same file of a function that
returns it (guardrails.sql.code.flow). Grammar-neutral: an assignment is a node with an
``=``/``:=`` token whose first named child is the target, as in treesitter.appended_later."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from guardrails.sql.code.flow import LOOKS_ONLY, Append, Path, runs_query
from guardrails.sql.code.treesitter_nodes import LOG_CALLS, Node, Source, callee_name

if TYPE_CHECKING:
    from guardrails.sql.code.treesitter import Walker

_DEPTH = 3  # callers followed, one above the other
_NAMES = frozenset({"identifier", "variable_name"})  # a variable: Go's q, PHP's $sql
_ASSIGN = frozenset({"=", ":="})
_APPEND = frozenset({"+=", ".="})
_WRAPPERS = frozenset({"expression_list", "argument", "parenthesized_expression", "literal_element"})
_FIELDS = frozenset(
    {"selector_expression", "member_access_expression", "scoped_property_access_expression", "index_expression",
     "subscript_expression"}
)  # fmt: skip
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "function_definition"})
_FORMATS = frozenset({"Sprintf", "sprintf", "vsprintf"})  # the format is the query, filled in
_BRANCH_WORDS = ("if_", "for", "while", "switch", "case", "select", "else", "catch", "conditional")


def _scope(node: Node) -> bool:
    kind = node.type
    return "func" in kind or "method" in kind or kind in ("program", "source_file") or kind == "arrow_function"


class Flow:
    def __init__(self, root: Node, source: Source, walker: Walker) -> None:
        self.root = root
        self.source = source
        self.walker = walker
        self._calls: dict[str, list[Node]] | None = None
        self._scopes: dict[int, dict[str, list[tuple[int, Node, Node | None]]]] = {}

    def paths(self, literal: Node) -> list[Path]:
        return self._uses(literal, [], _DEPTH, literal, None)

    def _uses(self, node: Node, appends: list[Append], depth: int, origin: Node, index: int | None) -> list[Path]:
        appends = list(appends)
        calls = self.walker.grammar.calls
        while True:
            parent = node.parent
            if parent is None:
                return [Path(appends)]
            line = parent.start_point[0] + 1
            left = _left(parent) if parent.type in self.walker.grammar.concat else None
            if left is not None and left.id == node.id:
                right = parent.named_children[-1]
                piece = self.walker.assemble(right) if self.walker.is_string_expr(right) else None
                appends.append(Append(piece, line, self._branched(origin, parent)))
            elif parent.type in _WRAPPERS:
                if parent.type == "expression_list" and parent.named_child_count > 1:
                    if index is not None:
                        break
                    index = [c.id for c in parent.named_children].index(node.id)
            elif parent.type in ("argument_list", "arguments") and parent.parent is not None:
                call = parent.parent
                first = parent.named_children[0] if parent.named_child_count else None
                if not (callee_name(call, self.source) in _FORMATS and first is not None and first.id == node.id):
                    break
                parent = call  # fmt.Sprintf(q, ...): the same query, filled in
            else:
                break
            node = parent
        if parent.type in ("argument_list", "arguments") and parent.parent is not None and parent.parent.type in calls:
            name = callee_name(parent.parent, self.source)
            if name.lower() in LOG_CALLS or name in LOOKS_ONLY:
                return []  # a message about the query, or its length: neither runs nor changes it
            if runs_query(name):
                return [Path(appends)]
            return [Path(appends, f"passed to {name}() at line {line}")]
        operator = _operator(parent, self.source)
        if operator in _ASSIGN and parent.named_child_count >= 2 and parent.named_children[0].id != node.id:
            target = parent.named_children[0]
            if target.type == "expression_list":
                targets = target.named_children
                target = targets[index if index is not None else 0] if len(targets) > (index or 0) else target
            if target.type in _NAMES:
                return self._variable(self.source.slice(target), parent, appends, depth)
            if target.type in _FIELDS:
                return [Path(appends, f"stored in {self.source.slice(target)} at line {line}")]
            return [Path(appends)]
        if parent.type == "keyed_element" and parent.named_child_count == 2:
            key = self.source.slice(parent.named_children[0])
            return [Path(appends, f"stored in field {key} at line {line}")]
        if parent.type == "return_statement":
            return self._returned(parent, appends, depth, index)
        return [Path(appends)]  # anything else: judged as written

    def _variable(self, name: str, definition: Node, appends: list[Append], depth: int) -> list[Path]:
        """The uses of ``name`` after ``definition`` in its function, up to its next assignment."""
        scope = definition.parent
        while scope is not None and not _scope(scope):
            scope = scope.parent
        names = self._names(scope).get(name, []) if scope is not None else []
        out: list[Path] = []
        used = False
        for at in range(bisect.bisect_right(names, definition.end_byte, key=lambda o: o[0]), len(names)):
            _, node, assignment = names[at]
            if node.start_byte < definition.end_byte:
                continue  # a target of the definition itself
            if assignment is None:
                used = True
                out.extend(self._uses(node, appends, depth, definition, None))
            elif _operator(assignment, self.source) in _APPEND:
                value = _unwrap(assignment.named_children[-1])
                piece = self.walker.assemble(value) if self.walker.is_string_expr(value) else None
                line = assignment.start_point[0] + 1
                appends = [*appends, Append(piece, line, self._branched(definition, assignment))]
            else:
                break  # assigned anew: another value (or, `q = q + ...`, followed from its use)
        if not used:
            out.append(Path(appends))
        return out

    def _names(self, scope: Node) -> dict[str, list[tuple[int, Node, Node | None]]]:
        """Each variable's occurrences in ``scope`` (not in nested functions) as (where it takes
        effect, the name, the assignment it is the target of): an assignment takes effect after
        its value is read (`q = q + "..."`). Built once per scope: following every literal of a
        long function stays linear."""
        found = self._scopes.get(scope.id)
        if found is not None:
            return found
        found = {}
        stack = list(scope.children)
        while stack:
            node = stack.pop()
            if _scope(node):
                continue  # a nested function's names are its own
            if node.type in _NAMES:
                assignment = self._assigned(node)
                where = assignment.end_byte if assignment else node.start_byte
                found.setdefault(self.source.slice(node), []).append((where, node, assignment))
                continue
            stack.extend(node.children)
        for occurrences in found.values():
            occurrences.sort(key=lambda o: o[0])
        self._scopes[scope.id] = found
        return found

    def _assigned(self, name: Node) -> Node | None:
        """The assignment (or append) whose target is ``name``, if it is one."""
        target = name.parent if name.parent is not None and name.parent.type == "expression_list" else name
        parent = target.parent
        if parent is None or parent.named_child_count < 2 or parent.named_children[0].id != target.id:
            return None
        return parent if _operator(parent, self.source) in _ASSIGN | _APPEND else None

    def _returned(self, statement: Node, appends: list[Append], depth: int, index: int | None) -> list[Path]:
        function = statement.parent
        while function is not None and function.type not in _FUNCTIONS:
            if _scope(function):
                return [Path(appends, f"returned at line {statement.start_point[0] + 1}")]  # a closure
            function = function.parent
        if function is None or function.child_by_field_name("name") is None:
            return [Path(appends)]
        name = self.source.slice(function.child_by_field_name("name"))
        callers = self._callers().get(name, [])
        line = statement.start_point[0] + 1
        if not callers or depth == 0:
            return [Path(appends, f"returned from {name}() at line {line}")]
        out: list[Path] = []
        for call in callers:
            out.extend(self._uses(call, appends, depth - 1, call, index))
        return out

    def _callers(self) -> dict[str, list[Node]]:
        if self._calls is None:
            self._calls = {}
            stack = [self.root]
            while stack:
                node = stack.pop()
                if node.type in self.walker.grammar.calls:
                    self._calls.setdefault(callee_name(node, self.source), []).append(node)
                stack.extend(node.children)
        return self._calls

    def _branched(self, origin: Node, node: Node) -> bool:
        """Whether ``node`` runs only on some of the ways through from ``origin``."""
        shared = set()
        current: Node | None = origin
        while current is not None:
            shared.add(current.id)
            current = current.parent
        current = node.parent
        while current is not None and current.id not in shared:
            if any(word in current.type for word in _BRANCH_WORDS):
                return True
            current = current.parent
        return False


def _operator(node: Node, source: Source) -> str:
    for child in node.children:
        if not child.is_named:
            text = source.slice(child)
            if text in _ASSIGN or text in _APPEND:
                return text
    return ""


def _left(node: Node) -> Node | None:
    left = node.child_by_field_name("left")
    return left if left is not None else (node.named_children[0] if node.named_child_count else None)


def _unwrap(node: Node) -> Node:
    while node.type in _WRAPPERS and node.named_child_count == 1:
        node = node.named_children[0]
    return node
