"""MySQL's tokens and expressions as sqlglot reads them, for the modules the dialect itself uses.

guardrails' dialect (guardrails.sql.dialect) changes statements at the token level, and the
token-level helpers it calls need a tokenizer: they take it from here, sqlglot's own MySQL,
which the dialect does not change, so that nothing imports the dialect back.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.tokens import Token


@cache
def _mysql() -> Any:
    from sqlglot.dialects.mysql import MySQL

    return MySQL()


def tokenize(text: str) -> list[Token]:
    """sqlglot's MySQL tokens; raises sqlglot's TokenError."""
    tokens: list[Token] = _mysql().tokenize(text)
    return tokens


def parse_expression(text: str) -> exp.Expr:
    """One MySQL expression (a partitioning function, say); raises sqlglot's errors."""
    import sqlglot

    return sqlglot.parse_one(text, dialect=_mysql())
