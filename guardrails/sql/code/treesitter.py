"""String literals in Go, Java, PHP, Ruby and TypeScript through tree-sitter grammars.

Each language module describes its grammar as a ``Grammar``: which nodes are
strings, which of their children are verbatim text, escapes or interpolations,
which binary operator concatenates, and which calls print messages rather than
run queries. This module walks the tree once and assembles every string
expression (a literal or a concatenation of literals) into a ``Literal`` whose
pieces keep their file positions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from guardrails.sql.code.assemble import Literal, to_statement
from guardrails.sql.code.builders import QueryBuilderCall
from guardrails.sql.code.flow import completions
from guardrails.sql.code.treesitter_nodes import LOG_CALLS, Node, Source, callee_name
from guardrails.sql.statement import Completion, SqlStatement

if TYPE_CHECKING:
    from guardrails.sql.code.treesitter_flow import Flow

_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
    "e": "\x1b", "s": " ",
}  # fmt: skip


@dataclass(frozen=True)
class Grammar:
    origin: str  # the language, as SqlStatement.origin
    load: Callable[[], object]  # returns the tree-sitter language pointer
    strings: frozenset[str]  # string expressions
    fragments: frozenset[str]  # children that are verbatim text
    escapes: frozenset[str] = frozenset({"escape_sequence"})
    containers: frozenset[str] = frozenset()  # children whose own children are the content
    skip: frozenset[str] = frozenset()  # named children that are delimiters (heredoc markers)
    concat: frozenset[str] = frozenset({"binary_expression"})
    concat_op: str = "+"
    calls: frozenset[str] = frozenset({"call_expression"})
    keep_unknown_escapes: bool = False  # PHP: "\d" stays a backslash and a d
    # Extra hooks: builder/ORM calls, and names resolved to literals (Go constants).
    builders: Callable[[Node, Source], Iterator[QueryBuilderCall]] | None = None
    constants: Callable[[Node, Source, Walker], dict[str, Literal]] | None = None
    format_call: Callable[[Node, Source], Node | None] | None = None  # fmt.Sprintf-style calls
    flow: bool = False  # follow a query's variable to its appends and callers (treesitter_flow)


_parsers: dict[str, Any] = {}


def parse(grammar: Grammar, source: Source) -> Node:
    from guardrails.sql.code.one_parse import parsed

    return parsed(grammar.origin, source.text, partial(_parse, grammar, source))


def _parse(grammar: Grammar, source: Source) -> Node:
    from tree_sitter import Language, Parser

    parser = _parsers.get(grammar.origin)
    if parser is None:
        parser = _parsers[grammar.origin] = Parser(Language(grammar.load()))
    return parser.parse(source.data).root_node


def extract_with(grammar: Grammar, path: str, text: str) -> Iterator[SqlStatement | QueryBuilderCall]:
    source = Source(path, text)
    walker = Walker(grammar, source)
    root = parse(grammar, source)
    if grammar.constants is not None:
        walker.constants = grammar.constants(root, source, walker)
    yield from walker.run(root)


@dataclass
class Walker:
    grammar: Grammar
    source: Source
    constants: dict[str, Literal] = field(default_factory=dict)
    flows: dict[int, Flow] = field(default_factory=dict)

    def run(self, root: Node) -> Iterator[SqlStatement | QueryBuilderCall]:
        g = self.grammar
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, in_message = stack.pop()
            kind = node.type
            if kind in g.calls:
                if g.builders is not None:
                    yield from g.builders(node, self.source)
                fmt = g.format_call(node, self.source) if g.format_call else None
                if fmt is not None:
                    if not in_message:
                        yield from self._followed(fmt, self.assemble(fmt, verbs=True), root)
                    arguments = node.child_by_field_name("arguments")
                    rest = [c for c in arguments.children if c.start_byte != fmt.start_byte]
                    stack.extend((c, in_message) for c in reversed(rest))
                    continue
                # a message stays a message through the calls that build it (fmt.Sprintf in log.Print)
                in_message = in_message or callee_name(node, self.source).lower() in LOG_CALLS
            elif g.builders is not None and kind == "composite_literal":
                yield from g.builders(node, self.source)
            if kind in g.strings or (kind in g.concat and self.is_string_expr(node)):
                if not in_message:
                    yield from self._followed(node, self.assemble(node), root)
                continue
            stack.extend((c, in_message) for c in reversed(node.children))

    def _followed(self, node: Node, literal: Literal | None, root: Node) -> Iterator[SqlStatement]:
        """The statement of a string expression, with the ways the code finishes it."""
        for statement in self._statement(literal):
            if literal is not None and self.grammar.flow:
                statement.complete_later(partial(self._completions, statement, literal, root, node))
            else:
                statement.complete_later(partial(self._appended_later, statement, node))
            yield statement

    def _completions(self, statement: SqlStatement, literal: Literal, root: Node, node: Node) -> list[Completion]:
        return completions(statement, literal, self._flow(root).paths(node))

    def _appended_later(self, statement: SqlStatement, node: Node) -> list[Completion]:
        """Without flow for the grammar: the literal is still open if the function appends to it later."""
        return [Completion(statement, "appended to later in the function")] if appended_later(node, self.source) else []

    def _flow(self, root: Node) -> Flow:
        if root.id not in self.flows:
            from guardrails.sql.code.treesitter_flow import Flow

            self.flows[root.id] = Flow(root, self.source, self)
        return self.flows[root.id]

    def _statement(self, literal: Literal | None) -> Iterator[SqlStatement]:
        if literal is None:
            return
        statement = to_statement(self.source.path, literal, self.grammar.origin)
        if statement is not None:
            yield statement

    def is_string_expr(self, node: Node) -> bool:
        """A string, a known constant, or a concatenation with at least one of them
        (other operands become placeholders: ``"IN (" + strings.Join(marks, ",") + ")"``)."""
        return self._has_string(node, {})

    def assemble(self, node: Node, verbs: bool = False) -> Literal | None:
        """The text of a string expression, or None if it is not made only of strings."""
        memo: dict[int, bool] = {}
        if not self._has_string(node, memo):
            return None
        literal = Literal()
        # Iterative, like _has_string: real code chains hundreds of `+`, past Python's recursion limit.
        stack = [node]
        while stack:
            part = stack.pop()
            if not self._has_string(part, memo):
                literal.placeholder(*self.source.position(part.start_point))
                continue
            operands = self._chain_operands(part)
            if operands is not None:
                stack.extend(reversed(operands))
            elif part.type == "identifier":
                literal.extend(self.constants[self.source.slice(part)])
            else:
                self._content(literal, part, verbs, single="'" in self.source.slice(part)[:3])
        return literal

    def _chain_operands(self, node: Node) -> list[Node] | None:
        """The operands of a concatenation or a parenthesised expression; None for anything else."""
        g = self.grammar
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            return [node.named_children[0]]
        if node.type in g.concat and node.type not in g.strings and _operator(node, self.source) == g.concat_op:
            return [n for n in _operands(node) if n is not None]
        return None

    def _has_string(self, root: Node, memo: dict[int, bool]) -> bool:
        """Whether a string or a known constant is among root's concatenated operands, computed
        bottom-up without recursion and remembered per node for one assembly."""
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, operands_done = stack.pop()
            if node.id in memo:
                continue
            operands = self._chain_operands(node)
            if operands is None:
                memo[node.id] = node.type in self.grammar.strings or (
                    node.type == "identifier" and self.source.slice(node) in self.constants
                )
            elif operands_done:
                memo[node.id] = any(memo[n.id] for n in operands)
            else:
                stack.append((node, True))
                stack.extend((n, False) for n in operands)
        return memo[root.id]

    def _content(self, literal: Literal, node: Node, verbs: bool, single: bool) -> None:
        g = self.grammar
        previous: Node | None = None  # the previous content child, to keep the text between them
        for child in node.children:
            kind = child.type
            if kind in g.containers:
                self._content(literal, child, verbs, single)
                continue
            content = kind in g.fragments or kind in g.escapes or (child.is_named and kind not in g.skip)
            if not content:
                previous = None
                continue
            if previous is not None and previous.end_byte < child.start_byte:
                # some grammars leave the newlines of a heredoc out of its content nodes
                gap = self.source.data[previous.end_byte : child.start_byte]
                position = self.source.position(previous.end_point)
                literal.verbatim(gap.decode("utf-8", "replace"), *position)
            previous = child
            position = self.source.position(child.start_point)
            if kind in g.fragments:
                ruby_single = single and g.origin == "ruby"
                _fragment(literal, self.source.slice(child), *position, verbs, ruby_single)
            elif kind in g.escapes:
                value = decode_escape(self.source.slice(child), g.keep_unknown_escapes)
                literal.escape(value, *position)
            else:
                literal.placeholder(*position)


def _fragment(literal: Literal, text: str, line: int, column: int, verbs: bool, ruby_single: bool) -> None:
    """Verbatim text, with printf verbs (``%d``, ``%%``) or Ruby's single-quote escapes."""
    if not verbs and not (ruby_single and "\\" in text):
        literal.verbatim(text, line, column)
        return
    run = 0
    i = 0
    while i < len(text):
        c = text[i]
        if ruby_single and c == "\\" and text[i + 1 : i + 2] in ("\\", "'"):
            width, value = 2, text[i + 1]
        elif verbs and c == "%":
            width = _verb_width(text, i)
            value = "%" if text.startswith("%%", i) else ""
        else:
            i += 1
            continue
        _verbatim_at(literal, text, run, i, line, column)
        at_line, at_column = _advance(text, i, line, column)
        if value:
            literal.escape(value, at_line, at_column)
        else:
            literal.placeholder(at_line, at_column)
        i += width
        run = i
    _verbatim_at(literal, text, run, len(text), line, column)


def _verbatim_at(literal: Literal, text: str, start: int, end: int, line: int, column: int) -> None:
    if end > start:
        literal.verbatim(text[start:end], *_advance(text, start, line, column))


def _advance(text: str, offset: int, line: int, column: int) -> tuple[int, int]:
    """Position of text[offset] when text starts at (line, column)."""
    newlines = text.count("\n", 0, offset)
    if newlines:
        return line + newlines, offset - text.rfind("\n", 0, offset)
    return line, column + offset


def _verb_width(text: str, i: int) -> int:
    """Width of a printf verb at i: %[flags][width][.precision][argument index]verb."""
    j = i + 1
    while j < len(text) and text[j] in "+-# 0123456789.*[]":
        j += 1
    return j + 1 - i if j < len(text) else j - i


def decode_escape(sequence: str, keep_unknown: bool = False) -> str:
    """The character an escape sequence stands for (C-family rules shared by Go, Java,
    JavaScript, PHP and Ruby)."""
    body = sequence[1:]
    if not body:
        return sequence
    head = body[0]
    try:
        if head in "xXuU" and len(body) > 1:
            return chr(int(body[1:].strip("{}"), 16))
        if head in "01234567" and len(body) > 1:
            return chr(int(body, 8))
    except ValueError:
        return sequence
    if head in _SIMPLE_ESCAPES and len(body) == 1:
        return _SIMPLE_ESCAPES[head]
    if head in "\r\n":
        return ""  # a line continuation
    if keep_unknown and head not in "\\'\"$`{":
        return sequence
    return body


_APPEND_OPERATORS = ("+=", ".=", "<<")
_ASSIGN_OPERATORS = ("=", ":=")


def appended_later(literal: Node, source: Source) -> bool:
    """Whether the string is assigned to a variable that the same function appends to
    afterwards (``$sql .= ...``, ``q += ...``, ``sql << ...``), whatever the grammar: an
    assignment is a node with an ``=`` child whose first named child is the variable."""
    node, target = literal.parent, None
    for _ in range(3):  # literal -> (expression list) -> assignment
        if node is None:
            return False
        tokens = [source.slice(c) for c in node.children if not c.is_named]
        if any(t in _ASSIGN_OPERATORS for t in tokens) and node.named_child_count >= 2:
            first = node.named_children[0]
            if first.end_byte <= literal.start_byte:
                target = source.slice(first)
            break
        node = node.parent
    if not target:
        return False
    scope = node
    while scope is not None and not any(w in scope.type for w in ("function", "method", "program")):
        scope = scope.parent
    stack = [scope] if scope is not None else []
    while stack:
        current = stack.pop()
        if current.start_byte > literal.end_byte and current.named_child_count >= 2:
            operators = [source.slice(c) for c in current.children if not c.is_named]
            if any(o in _APPEND_OPERATORS for o in operators) and source.slice(current.named_children[0]) == target:
                return True
        stack.extend(c for c in current.children if c.end_byte > literal.end_byte)
    return False


def chain_names(node: Node, source: Source) -> list[str]:
    """Callee names down a method chain, outermost first: ``a.Insert(x).Options(y)`` gives
    ["Options", "Insert"]."""
    names: list[str] = []
    while node is not None:
        if node.type in ("call_expression", "method_invocation", "call", "member_call_expression"):
            names.append(callee_name(node, source))
            receiver = node.child_by_field_name("object") or node.child_by_field_name("receiver")
            if receiver is None:
                function = node.child_by_field_name("function")
                receiver = function.child_by_field_name("operand") if function is not None else None
                if receiver is None and function is not None:
                    receiver = function.child_by_field_name("object")
            node = receiver
        else:
            return names
    return names


def _operator(node: Node, source: Source) -> str:
    op = node.child_by_field_name("operator")
    if op is None and node.child_count == 3:
        op = node.children[1]
    return source.slice(op) if op is not None else ""


def _operands(node: Node) -> tuple[Node | None, Node | None]:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if left is None and node.child_count == 3:
        left, right = node.children[0], node.children[2]
    return left, right


def statement_line(node: Node) -> int:
    """The 1-based first line of the statement holding ``node`` (where an ignore comment above
    a multi-line call counts): up the tree to the child of a block or of the file."""
    while node.parent is not None and node.parent.type not in _BLOCKS:
        node = node.parent
    return int(node.start_point[0]) + 1


_BLOCKS = frozenset({"block", "statement_list", "source_file", "program", "compound_statement", "body"})
