"""Which stored program a CREATE statement makes, from its tokens alone.

Its own module because both the dialect (to parse a routine as one opaque statement) and
the routine expander (to find the statements in its body) ask, and neither may import the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot.tokens import Token

ROUTINE_KINDS = {"PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"}


def routine_kind(tokens: list[Token]) -> str:
    """PROCEDURE, FUNCTION, TRIGGER or EVENT if the tokens create a stored program, else ""."""
    from sqlglot.tokens import TokenType

    if not tokens or tokens[0].token_type != TokenType.CREATE:
        return ""
    for token in tokens[1:16]:
        word = token.text.upper()
        if word in ROUTINE_KINDS and token.token_type not in (TokenType.STRING, TokenType.IDENTIFIER):
            return word
        if token.token_type == TokenType.L_PAREN or word in ("TABLE", "VIEW", "INDEX", "AS", "SELECT"):
            return ""
    return ""
