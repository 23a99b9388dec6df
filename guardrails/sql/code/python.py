"""SQL in Python: string literals found with the standard library's ``ast``, and ORM calls.

``ast`` tells which expressions are strings (plain, triple-quoted, implicitly
concatenated, f-strings, ``+`` chains) but not where each part of an implicit
concatenation or f-string sits. So the literal tokens inside each string
expression's span are read again here, part by part, and the assembled text is
checked against the value ``ast`` computed before it is trusted.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from functools import partial

from guardrails.findings import Finding, Location
from guardrails.sql.code.assemble import Literal, to_statement
from guardrails.sql.code.builders import VERBS, QueryBuilderCall, instead, verb_of
from guardrails.sql.code.flow import completions
from guardrails.sql.code.python_flow import Flow
from guardrails.sql.code.python_nodes import callee, chain_names, ignore_string, is_string, is_string_expr
from guardrails.sql.code.python_strings import decode_escape, escape_width, field_width, string_tokens
from guardrails.sql.positions import FileOffsets, ast_and_file_starts, char_offset, file_position
from guardrails.sql.statement import Completion, SqlStatement

# Calls whose string arguments are messages for people, not queries.
LOG_CALLS = frozenset(
    {
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "fatal",
        "log",
        "print",
        "echo",
        "secho",
        "fail",
        "skip",
    }
)
_MAX_PATCHES = 200  # lines of newer syntax respelled before reading the file token by token


def parse_module(path: str, text: str) -> tuple[ast.Module, str] | SyntaxError:
    """The file's syntax tree and the text it was parsed from, or the SyntaxError of a file
    this interpreter cannot read. Newer syntax (3.12 type aliases, type parameters) is
    respelled at the same length first, so every offset in the tree is the file's."""
    from guardrails.sql.code.one_parse import parsed

    return parsed("python", text, partial(_parse_module, path, text))


def _parse_module(path: str, text: str) -> tuple[ast.Module, str] | SyntaxError:
    from guardrails.sql.code.python_tokens import patch_newer_syntax

    source = text
    for _ in range(_MAX_PATCHES):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escapes in the user's code are not our message
                return ast.parse(source, filename=path), source
        except SyntaxError as exc:
            patched = patch_newer_syntax(source, exc.lineno or 0)
            if patched is None:
                return exc
            source = patched
    return SyntaxError("too much syntax newer than this Python", (path, 1, 1, ""))


def syntax_error(path: str, text: str, exc: SyntaxError, unread: str, after_error: str = "; ") -> Finding:
    """The parse-error of a file parse_module could not read, ending in what of it was not
    read (``unread``): syntax of a newer Python than this one is named as such."""
    from guardrails.findings import parse_error
    from guardrails.sql.code.python_tokens import newer_python, running_python

    newer = newer_python(text, exc.lineno or 0)
    line, column = file_position(text, exc.lineno or 0, exc.offset or 0)  # ast's line, on git's lines
    if newer:
        return parse_error(path, f"needs Python {newer}, guardrails runs on {running_python()}: {unread}", line, column)
    return parse_error(path, f"Python syntax error: {exc.msg}{after_error}{unread}", line, column)


def extract(path: str, text: str) -> Iterator[SqlStatement | QueryBuilderCall | Finding]:
    parsed = parse_module(path, text)
    if isinstance(parsed, SyntaxError):
        yield from _without_tree(path, text, parsed)
        return
    tree, source = parsed
    yield from _Visitor(path, source).run(tree)


def _without_tree(path: str, text: str, exc: SyntaxError) -> Iterator[SqlStatement | QueryBuilderCall | Finding]:
    """A file this interpreter's grammar rejects: its strings are still read, token by token
    (guardrails.sql.code.python_tokens), and the parse-error says why and what was lost."""
    from guardrails.sql.code.python_tokens import string_expressions

    yield syntax_error(path, text, exc, "only its SQL strings were read")
    visitor = _Visitor(path, text)
    for node in string_expressions(text, LOG_CALLS):
        visitor._literal(node, fields=False)
    yield from visitor.out


class _Visitor:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.starts, file_starts = ast_and_file_starts(text)  # self.starts: to read ast's positions
        self.at = FileOffsets(file_starts, 0)
        self.ascii = text.isascii()
        self.out: list[SqlStatement | QueryBuilderCall | Finding] = []
        self.flow: Flow | None = None
        self.built: dict[str, str] = {}  # variable -> the statement verb of the builder assigned to it

    def run(self, tree: ast.AST) -> list[SqlStatement | QueryBuilderCall | Finding]:
        if isinstance(tree, ast.Module):
            self.flow = Flow(tree, lambda node: self._assemble(node, fields=False), LOG_CALLS)
        self.visit(tree)
        return self.out

    # -- walking -----------------------------------------------------------------------------
    def visit(self, node: ast.AST) -> None:
        # in_message: inside the arguments of a log call, where text is a message, never SQL
        # (however it is built: "...%s" % x, "...{}".format(x), f-strings, keywords)
        stack: list[tuple[ast.AST, bool]] = [(node, False)]
        while stack:
            node, in_message = stack.pop()
            if isinstance(node, ast.Expr) and is_string(node.value):
                continue  # a docstring or a bare string: documentation, never executed
            if isinstance(node, ast.Assign):
                self._assignment(node)
            if isinstance(node, ast.Call):
                self._call(node)
                in_message = in_message or callee(node) in LOG_CALLS
            if isinstance(node, ast.expr) and is_string_expr(node):
                if not in_message:
                    self._literal(node, fields=False)
                continue
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
                and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str)
            ):
                if not in_message:
                    self._literal(node.func.value, fields=True)  # "... {table} ...".format(...)
                stack.extend((n, in_message) for n in reversed([*node.args, *(kw.value for kw in node.keywords)]))
                continue
            stack.extend((child, in_message) for child in reversed(list(ast.iter_child_nodes(node))))

    def _literal(self, node: ast.expr, fields: bool) -> None:
        literal = self._assemble(node, fields)
        if literal is None:
            return
        statement = to_statement(self.path, literal, "python")
        if statement is not None:
            if self.flow is not None:
                statement.complete_later(partial(_completions, statement, literal, self.flow, node))
            self.out.append(statement)

    # -- assembling ----------------------------------------------------------------------------
    def _assemble(self, node: ast.expr, fields: bool) -> Literal | None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and is_string_expr(node):
            left = self._assemble(node.left, fields)
            right = self._assemble(node.right, fields)
            if left is None or right is None:
                return None
            left.extend(right)
            return left
        if not is_string(node):  # "... IN (" + marks + ")": the name stands for some text
            literal = Literal()
            literal.placeholder(*self.at(self._offset(node.lineno, node.col_offset)))
            return literal
        start, end = (
            self._offset(node.lineno, node.col_offset),
            self._offset(node.end_lineno, node.end_col_offset),
        )
        literal = Literal()
        for prefix, _quote, body_start, body_end in string_tokens(self.text, start, end):
            if "b" in prefix.lower():
                return None
            self._body(
                literal,
                body_start,
                body_end,
                raw="r" in prefix.lower(),
                braces="f" in prefix.lower() or fields,
            )
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, str) and not fields and literal.text != value:
            # our reading disagrees with Python's: keep the value, located at the expression
            literal = Literal()
            literal.verbatim(value, *self.at(start))
        return literal

    def _body(self, literal: Literal, start: int, end: int, raw: bool, braces: bool) -> None:
        text = self.text
        run = start  # start of the current verbatim run
        i = start
        while i < end:
            c = text[i]
            special = (c == "\\" and not raw) or (braces and c in "{}")
            if not special:
                i += 1
                continue
            literal.verbatim(text[run:i], *self.at(run))
            if c == "\\":
                width = escape_width(text, i, end)
                literal.escape(decode_escape(text[i : i + width]), *self.at(i))
            elif text.startswith(c * 2, i):
                width = 2
                literal.escape(c, *self.at(i))
            else:
                width = field_width(text, i, end) if c == "{" else 1
                literal.placeholder(*self.at(i))
            i += width
            run = i
        literal.verbatim(text[run:end], *self.at(run))

    def _offset(self, line: int | None, byte_column: int | None) -> int:
        return char_offset(self.text, self.starts, line, byte_column, self.ascii)

    # -- ORMs and query builders ---------------------------------------------------------------
    def _call(self, node: ast.Call) -> None:
        name = callee(node)
        if name == "prefix_with":
            for arg in node.args:
                if ignore_string(arg):
                    self._builder(arg, 'SQLAlchemy .prefix_with("IGNORE")', self._verb(node.func), "sqlalchemy")
        elif name in ("insert", "update", "delete"):
            # SQLAlchemy 1.x: table.insert(prefixes=["IGNORE"]), update(t, prefixes=[...])
            for kw in node.keywords:
                if kw.arg == "prefixes" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    for item in kw.value.elts:
                        if ignore_string(item):
                            self._builder(item, f'SQLAlchemy {name}(prefixes=["IGNORE"])', VERBS[name], "sqlalchemy")
        elif name == "bulk_create":
            for kw in node.keywords:
                if kw.arg == "ignore_conflicts" and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                    self._builder(node, "Django bulk_create(ignore_conflicts=True)", "INSERT", "django")
        elif name == "on_conflict_ignore":
            self._builder(node.func, "peewee .on_conflict_ignore()", "INSERT", "peewee")

    def _verb(self, func: ast.expr) -> str:
        """The statement a call chain builds; through a variable assigned a builder earlier in
        the file (``stmt = update(t)`` ... ``stmt.prefix_with("IGNORE")``)."""
        names = chain_names(func)
        if not any(n.lower() in VERBS for n in names) and names and names[-1] in self.built:
            return self.built[names[-1]]
        return verb_of(names)

    def _assignment(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            names = chain_names(node.value)
            if any(n.lower() in VERBS for n in names):
                self.built[node.targets[0].id] = verb_of(names)

    def _builder(self, node: ast.AST, api: str, verb: str, family: str) -> None:
        start = self._offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self._offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        if isinstance(node, ast.Attribute):  # point at the method name, not the receiver
            start = end - len(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # the call, from its name
            func = node.func
            start = self._offset(func.end_lineno, func.end_col_offset) - len(func.attr)
        line, column = self.at(start)
        end_line, end_column = self.at(max(start, end - 1))
        location = Location(self.path, line, column, end_line, end_column + 1)
        self.out.append(QueryBuilderCall(self.path, location, api, verb, "IGNORE", instead(family, verb), "python"))


def _completions(statement: SqlStatement, literal: Literal, flow: Flow, node: ast.expr) -> list[Completion]:
    return completions(statement, literal, flow.paths(node))
