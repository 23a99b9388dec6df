"""A query's normalised fingerprint: the same query reformatted or with other literals keeps it.

Built from sqlglot's MySQL tokens (never a regex over SQL): literals and
placeholders (``?``, ``%s``, ``%(name)s``, ``:name``, ``$1``) become ``?``,
a comma-separated run of them (an ``IN`` list, a ``VALUES`` row) folds to one,
repeated ``VALUES`` rows fold to one, and keywords and identifiers are
compared without case or quoting. Comments and whitespace never count.
"""

from __future__ import annotations

import hashlib
from typing import Any

FINGERPRINT_LENGTH = 12  # hex digits: short enough to type in a waiver, long enough not to collide


def fingerprint(sql: str) -> str:
    """The hex fingerprint a ``guardrails:no-explain`` waiver can name."""
    return hashlib.sha256(normalize(sql).encode()).hexdigest()[:FINGERPRINT_LENGTH]


def has_placeholders(sql: str) -> bool:
    """Whether the statement has bind parameters that must be filled in before it can run."""
    return "?" in normalize(sql, keep_literals=True).split()


def normalize(sql: str, keep_literals: bool = False) -> str:
    """The statement as a canonical token string, e.g. ``select * from t where id = ?``."""
    from sqlglot.errors import TokenError

    from guardrails.sql.dialect import DIALECT

    try:
        tokens = DIALECT.tokenize(sql)
    except TokenError:
        return " ".join(sql.lower().split())  # untokenisable text: fold what can be folded
    words = _words(tokens, keep_literals)
    if not keep_literals:
        words = _fold_runs(words)
    while words and words[-1] == ";":
        words.pop()
    return " ".join(words)


def _literal_types() -> frozenset[Any]:
    from sqlglot.tokens import TokenType

    names = (
        "STRING",
        "NUMBER",
        "HEX_STRING",
        "BIT_STRING",
        "NATIONAL_STRING",
        "BYTE_STRING",
        "RAW_STRING",
        "HEREDOC_STRING",
        "UNICODE_STRING",
        "PLACEHOLDER",
        "TRUE",
        "FALSE",
    )
    return frozenset(getattr(TokenType, n) for n in names if hasattr(TokenType, n))


def _words(tokens: list[Any], keep_literals: bool) -> list[str]:
    from sqlglot.tokens import TokenType

    literal = _literal_types()
    # Tokens after which a minus sign is an operator, not the sign of a number.
    operand_end = {
        TokenType.VAR,
        TokenType.IDENTIFIER,
        TokenType.R_PAREN,
        TokenType.NUMBER,
        TokenType.STRING,
        TokenType.PLACEHOLDER,
    }
    words: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.token_type
        nxt = tokens[i + 1] if i + 1 < n else None
        adjacent = nxt is not None and nxt.start == tok.end + 1
        if kind in literal:
            words.append("<literal>" if keep_literals and kind != TokenType.PLACEHOLDER else "?")
        elif (
            kind == TokenType.DASH
            and adjacent
            and nxt is not None
            and nxt.token_type == TokenType.NUMBER
            and (i == 0 or tokens[i - 1].token_type not in operand_end)
        ):
            words.append("-" if keep_literals else "?")  # a negative number is one literal
            i += 0 if keep_literals else 1
        elif kind == TokenType.MOD and adjacent and _pyformat_length(tokens, i):
            words.append("?")
            i += _pyformat_length(tokens, i) - 1
        elif kind == TokenType.COLON and adjacent and nxt and nxt.token_type == TokenType.VAR:
            words.append("?")  # :name bind parameter
            i += 1
        elif kind == TokenType.VAR and tok.text.startswith("$") and tok.text[1:].isdigit():
            words.append("?")
        else:
            words.append(tok.text.lower())
        i += 1
    return words


def _pyformat_length(tokens: list[Any], i: int) -> int:
    """Tokens making up a DB-API placeholder at i: ``%s`` is 2, ``%(name)s`` is 5, otherwise 0."""
    from sqlglot.tokens import TokenType

    def glued(a: int) -> bool:
        return a + 1 < len(tokens) and tokens[a + 1].start == tokens[a].end + 1

    nxt = tokens[i + 1]
    if nxt.token_type == TokenType.VAR and nxt.text in ("s", "d", "b", "f"):
        return 2
    if (
        nxt.token_type == TokenType.L_PAREN
        and i + 4 < len(tokens)
        and all(glued(a) for a in range(i + 1, i + 4))
        and tokens[i + 3].token_type == TokenType.R_PAREN
        and tokens[i + 4].text == "s"
    ):
        return 5
    return 0


def _fold_runs(words: list[str]) -> list[str]:
    """``? , ? , ?`` -> ``?``; ``( ? ) , ( ? )`` -> ``( ? )``: list lengths are data, not shape."""
    out: list[str] = []
    for word in words:
        out.append(word)
        if out[-3:] == ["?", ",", "?"]:
            del out[-2:]
        if len(out) >= 7 and out[-7:] == ["(", "?", ")", ",", "(", "?", ")"]:
            del out[-4:]
    return out
