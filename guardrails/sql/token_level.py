"""What a statement's tokens say when the statement does not parse.

Real SQL in code is often a template: a placeholder stands for a clause, an operator,
a table or a whole sub-select (``INSERT IGNORE INTO %s.%s (%s) (SELECT %s ...)``), which
no SQL parser reads. sqlglot's tokenizer still reads it, and two questions need no more
than tokens: is this text a statement at all (``looks_like_statement``), and where are
its IGNORE modifiers (``ignore_keywords``), at their exact offsets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot.tokens import Token

# Modifiers MySQL allows between the statement keyword and IGNORE.
_BETWEEN = {
    "INSERT": {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"},
    "UPDATE": {"LOW_PRIORITY"},
    "DELETE": {"LOW_PRIORITY", "QUICK"},
    "ALTER": {"ONLINE", "OFFLINE"},
}
KIND = {"INSERT": "Insert", "UPDATE": "Update", "DELETE": "Delete", "ALTER": "Alter", "LOAD": "LoadData"}
_CREATE_OBJECTS = {
    "TABLE", "INDEX", "VIEW", "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "DATABASE", "SCHEMA",
    "UNIQUE", "FULLTEXT", "SPATIAL", "TEMPORARY", "USER", "ROLE", "SEQUENCE",
}  # fmt: skip
_NAME_PARTS = {"DOT", "STAR", "COMMA", "VAR", "IDENTIFIER", "PLACEHOLDER", "PARAMETER"}


def tokens_of(text: str) -> list[Token] | None:
    """sqlglot's MySQL tokens of text, or None where even the tokenizer fails."""
    from sqlglot.errors import TokenError

    from guardrails.sql.tokens import tokenize

    try:
        return tokenize(text)
    except (TokenError, RecursionError):
        return None


def word(token: Token) -> str:
    """The token's keyword in upper case; "" for quoted strings and identifiers."""
    from sqlglot.tokens import TokenType

    if token.token_type in (TokenType.STRING, TokenType.IDENTIFIER, TokenType.NATIONAL_STRING):
        return ""
    return token.text.upper()


def ignore_keywords(tokens: list[Token]) -> list[tuple[str, Token]]:
    """(statement kind, the IGNORE token) for every IGNORE modifier in the tokens: after
    INSERT/UPDATE/DELETE and their modifiers, ``ALTER [ONLINE] IGNORE TABLE`` and
    ``LOAD DATA ... INFILE x IGNORE``. ``IGNORE 1 LINES`` and an ``ignore`` column are not."""
    found: list[tuple[str, Token]] = []
    words = [word(t) for t in tokens]
    n = len(tokens)
    for i, head in enumerate(words):
        if head in _BETWEEN:
            j = i + 1
            while j < n and (words[j] in _BETWEEN[head] or tokens[j].token_type.name == "HINT"):
                j += 1
            if j < n and words[j] == "IGNORE" and (head != "ALTER" or words[j + 1 : j + 2] == ["TABLE"]):
                found.append((KIND[head], tokens[j]))
        elif head == "LOAD" and words[i + 1 : i + 2] in (["DATA"], ["XML"]):
            j = i + 2
            while j < n and words[j] in ("LOW_PRIORITY", "CONCURRENT", "LOCAL"):
                j += 1
            # INFILE and the file (a string, or a placeholder standing for it)
            if words[j : j + 1] == ["INFILE"] and j + 2 < n and words[j + 2] == "IGNORE":
                found.append((KIND[head], tokens[j + 2]))
    return found


def looks_like_statement(tokens: list[Token]) -> bool:
    """Whether tokens that do not parse are still clearly a statement (not prose such as
    "update failed, set it again" or "delete the user from the list"): its keywords stand
    where the statement's grammar puts them."""
    words = [word(t) for t in tokens]
    if not words:
        return False
    head = words[0]
    i = 1
    while i < len(words) and (words[i] in _BETWEEN.get(head, ()) or tokens[i].token_type.name == "HINT"):
        i += 1
    if head in ("INSERT", "REPLACE"):
        if words[i : i + 1] == ["IGNORE"]:
            if len(words) <= i + 2:
                return True  # "INSERT IGNORE" / "INSERT IGNORE INTO": a prefix spliced onto built SQL
            i += 1
        after = set(words[i:])
        return "INTO" in after and bool(after & {"VALUES", "VALUE", "SELECT", "SET", "("})
    if head == "UPDATE":
        rest = words[i:]
        return "SET" in rest and "=" in rest[rest.index("SET") :]
    if head == "DELETE":
        if words[i : i + 1] == ["IGNORE"]:
            i += 1
        if "FROM" not in words[i:]:
            return False
        end = words.index("FROM", i)
        # DELETE [t1.*, t2.*] FROM name: only names, dots, stars and commas before FROM
        return end + 1 < len(words) and all(t.token_type.name in _NAME_PARTS for t in tokens[i:end])
    if head in ("SELECT", "WITH"):
        return "FROM" in words or (head == "WITH" and "AS" in words[1:3])
    if head == "ALTER":
        return "TABLE" in words[i : i + 2]
    if head in ("CREATE", "DROP"):
        return bool(set(words[1:6]) & _CREATE_OBJECTS)
    if head == "TRUNCATE":
        return len(words) in (2, 3, 4)
    if head == "LOAD":
        return words[1:2] in (["DATA"], ["XML"]) and "INFILE" in words
    return False
