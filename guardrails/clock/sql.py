"""The database clock in SQL: NOW(), CURRENT_TIMESTAMP, CURDATE(), SYSDATE(), UTC_TIMESTAMP(),
UNIX_TIMESTAMP() without an argument and their synonyms, found by walking sqlglot's tree of
each statement the ``sql`` input's extraction finds (.sql files, SQL inside code).

Column defaults (``DEFAULT CURRENT_TIMESTAMP``, ``ON UPDATE CURRENT_TIMESTAMP``, ``SET
DEFAULT``) are not reads by a query: they are the schema's, and left out. Positions come
from sqlglot's token offsets in the statement, mapped back to the file by the statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from guardrails.clock.unit import ClockRead
from guardrails.sql.statement import SqlStatement

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.tokens import Token

# sqlglot's expression classes for MySQL's clock functions, and the keyword each is written as
# when it carries no position of its own (the bare CURRENT_TIMESTAMP form).
_TYPED = {
    "CurrentTimestamp": "CURRENT_TIMESTAMP",
    "CurrentDate": "CURRENT_DATE",
    "CurrentTime": "CURRENT_TIME",
    "CurrentDatetime": "CURRENT_DATETIME",
    "UtcTimestamp": "UTC_TIMESTAMP",
    "UtcDate": "UTC_DATE",
    "UtcTime": "UTC_TIME",
    "Localtimestamp": "LOCALTIMESTAMP",
    "Localtime": "LOCALTIME",
}
# functions sqlglot keeps as Anonymous: the name, and whether an argument makes it no clock read
_ANONYMOUS = {"NOW": False, "SYSDATE": False, "UNIX_TIMESTAMP": True, "CURTIME": False, "CURDATE": False}


def reads(statement: SqlStatement) -> Iterator[ClockRead]:
    """The clock reads of a statement that parses (the parse failure is reported elsewhere)."""
    parsed = statement.parse()
    tokens = parsed.tokens
    claimed: set[int] = set()
    found: list[tuple[exp.Expr, Token | None]] = []
    for node in parsed.expression.walk(bfs=False):
        if not _is_read(node):
            continue
        token = _token_at(tokens, node.meta.get("start"))
        if token is not None:
            claimed.add(token.start)
        found.append((node, token))
    for node, token in found:
        if token is None:  # a keyword form: the first unclaimed token spelling it
            word = _TYPED.get(type(node).__name__, "")
            token = next((t for t in tokens if t.text.upper() == word and t.start not in claimed), None)
            if token is None:
                continue
            claimed.add(token.start)
        if _in_default(node):
            continue
        end = _call_end(tokens, token)
        yield ClockRead(
            statement.path,
            statement.location(token.start, end + 1),
            "sql",
            statement.text[token.start : end + 1],
            token.text.upper(),
            found_in=statement.origin,
            statement_line=statement.positions(0)[0],
        )


def _is_read(node: exp.Expr) -> bool:
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        name = str(node.this).upper()
        return name in _ANONYMOUS and not (_ANONYMOUS[name] and node.expressions)
    return type(node).__name__ in _TYPED


def _in_default(node: exp.Expr) -> bool:
    """Inside a column's DEFAULT or ON UPDATE, or ALTER COLUMN ... SET DEFAULT."""
    from sqlglot import exp

    child, parent = node, node.parent
    while parent is not None:
        if isinstance(parent, (exp.DefaultColumnConstraint, exp.OnUpdateColumnConstraint)):
            return True
        if isinstance(parent, exp.AlterColumn) and parent.args.get("default") is child:
            return True
        child, parent = parent, parent.parent
    return False


def _token_at(tokens: list[Token], start: object) -> Token | None:
    if not isinstance(start, int):
        return None
    return next((t for t in tokens if t.start == start), None)


def _call_end(tokens: list[Token], name: Token) -> int:
    """Offset of the last character of the call: its closing parenthesis, or the keyword itself."""
    from sqlglot.tokens import TokenType

    index = next(i for i, t in enumerate(tokens) if t is name)
    if index + 1 >= len(tokens) or tokens[index + 1].token_type != TokenType.L_PAREN:
        return name.end
    depth = 0
    for token in tokens[index + 1 :]:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return token.end
    return name.end
