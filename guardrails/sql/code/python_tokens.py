"""Python files the running interpreter's grammar rejects.

``ast`` parses with the grammar of the Python running guardrails: a file written for a
newer one (3.12's ``type`` aliases and ``def f[T]`` type parameters) is a syntax
error to it, though its strings are SQL like any other. Those two forms are respelled
line by line, at the same length, in the older grammar (``patch_newer_syntax``), so the
whole tree is read. Anything else the grammar rejects is read by the tokenizer, which
is far less picky: token by token, each run of adjacent string
tokens (an implicit concatenation) becomes a string expression located where the
tokens are, and goes through the same assembly as strings ``ast`` found. What is lost
is what needs the tree: ORM calls and which calls print messages (only a string
that is the first argument of a log call is recognised as a message).
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
import warnings
from collections.abc import Iterator

from guardrails.sql.positions import line_at, universal_line_starts

# Grammar newer than the running interpreter's, recognised by the failing line's first words.
_NEWER = (
    ("type", "3.12 (a type alias statement)"),
    ("def", "3.12 (type parameters)"),
    ("class", "3.12 (type parameters)"),
)


def newer_python(text: str, line: int) -> str:
    """The Python version whose grammar reads the failing line, if it is one this module
    knows: "3.12 (a type alias statement)"; "" otherwise. ``line``: as ast numbers lines."""
    words = line_at(text, universal_line_starts(text), line).split()
    if len(words) < 2:
        return ""
    for first, version in _NEWER:
        if words[0] != first:
            continue
        name = words[1]
        if first == "type" and name.split("[")[0].isidentifier() and ("=" in words[1:3] or "[" in name):
            return version
        head = name.split("(")[0].split(":")[0]  # def f[T](x) / class C[T]:
        if first in ("def", "class") and "[" in head and head.split("[")[0].isidentifier():
            return version
    return ""


def patch_newer_syntax(text: str, line: int) -> str | None:
    """The text with the newer syntax of one line respelled, at the same length, in the
    grammar this interpreter knows, or None: ``type Row[T] = X`` becomes ``Row      = X``
    and ``def f[T](x)`` becomes ``def f   (x)`` (type parameters blanked), so ``ast`` reads
    the file and every later column is where it was."""
    if not newer_python(text, line):
        return None
    starts = [*universal_line_starts(text), len(text)]  # as ast numbers lines; the last one ends the text
    row = text[starts[line - 1] : starts[line]]
    indent = len(row) - len(row.lstrip())
    keyword, rest = row[indent:].split(None, 1)
    name_end = indent + len(keyword) + (len(row[indent + len(keyword) :]) - len(rest))
    while name_end < len(row) and (row[name_end].isalnum() or row[name_end] == "_"):
        name_end += 1
    patched = row
    if row[name_end : name_end + 1] == "[":
        depth, close = 0, name_end
        for close in range(name_end, len(row)):
            depth += {"[": 1, "]": -1}.get(row[close], 0)
            if depth == 0:
                break
        if depth:
            return None  # type parameters over several lines: not respelled here
        patched = row[:name_end] + " " * (close + 1 - name_end) + row[close + 1 :]
    if keyword == "type":  # the name moves to where "type" was; what follows it stays in place
        name = patched[indent + len(keyword) + 1 : name_end].strip()
        patched = patched[:indent] + name + " " * (name_end - indent - len(name)) + patched[name_end:]
    return text[: starts[line - 1]] + patched + text[starts[line] :]


def string_expressions(text: str, log_calls: frozenset[str]) -> Iterator[ast.expr]:
    """Each run of adjacent string tokens as an ``ast.Constant`` (or ``ast.JoinedStr`` for
    f-strings) carrying the run's position, as ``ast`` would have made it."""
    # the tokenizer reads lines as ast does (newline=None: a lone "\\r" ends one too), so the
    # positions it gives are in ast's numbering, as the callers expect
    starts = universal_line_starts(text)
    lines = [line_at(text, starts, number) for number in range(1, len(starts) + 1)]
    run: list[tokenize.TokenInfo] = []
    before: list[tokenize.TokenInfo] = []  # the two significant tokens before the run
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
                if token.type == tokenize.STRING:
                    run.append(token)
                    continue
                if token.type in (tokenize.NL, tokenize.COMMENT) and run:
                    continue
                if run:
                    if not _is_message(before, log_calls):
                        node = _node(run, lines)
                        if node is not None:
                            yield node
                    run = []
                if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT):
                    before = [*before[-1:], token]
    except (tokenize.TokenError, SyntaxError):
        pass  # the rest of the file cannot be tokenized either; the parse-error says so


def _is_message(before: list[tokenize.TokenInfo], log_calls: frozenset[str]) -> bool:
    return len(before) == 2 and before[1].string == "(" and before[0].string in log_calls


def _node(run: list[tokenize.TokenInfo], lines: list[str]) -> ast.expr | None:
    first, last = run[0], run[-1]
    prefixes = [t.string[: len(t.string) - len(t.string.lstrip("rRbBuUfF"))].lower() for t in run]
    if any("b" in p for p in prefixes):
        return None  # bytes
    fstring = any("f" in p for p in prefixes)
    node: ast.expr
    if fstring:
        node = ast.JoinedStr(values=[])
    else:
        try:
            value = ast.literal_eval(" ".join(t.string for t in run))
        except (SyntaxError, ValueError):
            return None
        if not isinstance(value, str):
            return None
        node = ast.Constant(value=value)
    # ast's columns are UTF-8 byte offsets; the tokenizer's are characters
    node.lineno, node.col_offset = first.start[0], _bytes(lines, *first.start)
    node.end_lineno, node.end_col_offset = last.end[0], _bytes(lines, *last.end)
    return node


def _bytes(lines: list[str], line: int, column: int) -> int:
    return len(lines[line - 1][:column].encode("utf-8")) if line <= len(lines) else column


def running_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"
