"""Stored programs: CREATE PROCEDURE / FUNCTION / TRIGGER / EVENT with BEGIN ... END bodies.

sqlglot parses none of MySQL's compound-statement syntax, yet the statements inside a
trigger or procedure run like any other (an INSERT IGNORE in a trigger loses rows just
the same). The routine itself is accepted as an opaque statement, and the data-changing
and reading statements in its body are handed to the rules as statements of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guardrails.sql.positions import PositionMap
from guardrails.sql.routine_kind import ROUTINE_KINDS, routine_kind
from guardrails.sql.statement import SqlStatement

if TYPE_CHECKING:
    from sqlglot.tokens import Token

# Body statements the rules can check; the rest (DECLARE, SET, IF, LOOP, ...) is control flow.
_CHECKED = {"INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "WITH", "LOAD", "ALTER"}


def body_statements(tokens: list[Token]) -> list[tuple[int, int]]:
    """(start, end) offsets in the routine's text of each checkable statement of its body:
    from the first statement keyword of each ``;``-separated piece (skipping IF ... THEN,
    labels and the like) to the end of the piece."""
    from sqlglot.tokens import TokenType

    begin = next((i for i, t in enumerate(tokens) if t.text.upper() in ("BEGIN", "DO")), None)
    if begin is None:
        return []
    pieces: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[begin + 1 :]:
        if token.token_type == TokenType.SEMICOLON and depth == 0:
            pieces.append([])
            continue
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth = max(0, depth - 1)
        pieces[-1].append(token)
    last = pieces[-1]
    if last and last[-1].text.upper() == "END":  # the routine's own closing END
        last.pop()
    spans = []
    for piece in pieces:
        depth = 0
        for token in piece:
            if token.token_type == TokenType.L_PAREN:
                depth += 1
            elif token.token_type == TokenType.R_PAREN:
                depth -= 1
            elif depth == 0 and token.token_type.name in _CHECKED:
                spans.append((token.start, piece[-1].end + 1))
                break
    return spans


class _Shifted:
    """Positions of a slice of a statement's text, through the statement's own map."""

    __slots__ = ("_parent", "_offset")

    def __init__(self, parent: PositionMap, offset: int) -> None:
        self._parent = parent
        self._offset = offset

    def __call__(self, offset: int) -> tuple[int, int]:
        return self._parent(self._offset + offset)


def expand_routine(statement: SqlStatement) -> list[SqlStatement]:
    """The checkable statements of a stored program's body; [] for any other statement."""
    text = statement.text
    # cheap pre-check before tokenizing: a stored program starts with CREATE and names its kind
    if statement.too_large:
        return []  # its tokens are read piece by piece (IGNORE in the body still found); a notice says so
    upper = text.upper()
    if not upper.startswith("CREATE") or not any(kind in upper for kind in ROUTINE_KINDS):
        return []
    from sqlglot.errors import TokenError

    from guardrails.sql.dialect import DIALECT

    try:
        # the whole statement: a header with a long COMMENT '...' must not hide the body
        tokens = DIALECT.tokenize(text)
    except TokenError:
        return []
    if not routine_kind(tokens):
        return []
    return [
        SqlStatement(statement.path, statement.text[a:b], _Shifted(statement.positions, a), statement.origin)
        for a, b in body_statements(tokens)
    ]
