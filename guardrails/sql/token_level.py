"""What a statement's tokens say when the statement does not parse.

Real SQL in code is often a template: a placeholder stands for a clause, an operator,
a table or a whole sub-select (``INSERT IGNORE INTO %s.%s (%s) (SELECT %s ...)``), which
no SQL parser reads. sqlglot's tokenizer still reads it, and two questions need no more
than tokens: is this text a statement at all (``looks_like_statement``), and where are
its IGNORE modifiers (``ignore_keywords``), at their exact offsets.
"""

from __future__ import annotations

from functools import cache
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
    if token.token_type in _quoted_types():
        return ""
    return token.text.upper()


@cache
def _quoted_types() -> frozenset[object]:
    # looked up once: an import statement in word() cost more than the rest of a token's reading
    from sqlglot.tokens import TokenType

    return frozenset((TokenType.STRING, TokenType.IDENTIFIER, TokenType.NATIONAL_STRING))


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
    "update failed, set it again", "Select an option from the list below." or "Alter table
    settings in the admin panel"): its keywords stand where the statement's grammar puts
    them, a name is followed by what may follow a name, and it does not end like a sentence."""
    words = [word(t) for t in tokens]
    if not words or _sentence_end(tokens):
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
        if words[i : i + 1] == ["INTO"]:
            i += 1
        after = _after_name(tokens, i)
        return after is not None and (words[after] in _AFTER_INSERT_TARGET or placeholder(tokens[after]))
    if head == "UPDATE":
        rest = words[i:]
        if "SET" not in rest or "=" not in rest[rest.index("SET") :]:
            return False
        after = _after_name(tokens, i)
        if after is not None and tokens[after].token_type.name == "VAR" and not placeholder(tokens[after]):
            after += 1  # an alias: UPDATE orders o SET ...
        return (
            after is not None
            and after < len(words)
            and (words[after] in _AFTER_UPDATE_TARGET or placeholder(tokens[after]))
        )
    if head == "DELETE":
        if words[i : i + 1] == ["IGNORE"]:
            i += 1
        if "FROM" not in words[i:]:
            return False
        end = words.index("FROM", i)
        # DELETE [t1.*, t2.*] FROM name: only names, dots, stars and commas before FROM
        return end + 1 < len(words) and all(t.token_type.name in _NAME_PARTS for t in tokens[i:end])
    if head == "SELECT":
        return "FROM" in words and bool(set(words) & _QUERY_MARKS or any(placeholder(t) for t in tokens))
    if head == "WITH":
        return len(words) > 3 and words[2] in ("AS", "(") and "(" in words[2:4]
    if head in ("ALTER", "CREATE", "DROP", "TRUNCATE"):
        j = i
        while j < len(words) and words[j] in _DDL_BETWEEN:
            j += 1
        if j >= len(words) or words[j] not in _CREATE_OBJECTS | {"TABLE"}:
            return head == "TRUNCATE" and len(words) == 2
        after = _after_name(tokens, j + 1)
        return after is None or not (tokens[after].token_type.name == "VAR" and not placeholder(tokens[after]))
    if head == "LOAD":
        return words[1:2] in (["DATA"], ["XML"]) and "INFILE" in words
    return False


# What may follow the table of INSERT INTO.
_AFTER_INSERT_TARGET = {"(", "VALUES", "VALUE", "SELECT", "SET", "PARTITION", "WITH", "TABLE"}
# What may follow the table (and its alias) of UPDATE.
_AFTER_UPDATE_TARGET = {"SET", ",", "JOIN", "INNER", "LEFT", "RIGHT", "CROSS", "STRAIGHT_JOIN", "AS", "PARTITION"}
# Signs of a query rather than a sentence, besides FROM.
_QUERY_MARKS = {"*", "=", "WHERE", "JOIN", "GROUP BY", "ORDER BY", "LIMIT", "UNION", "(", "COUNT", "DISTINCT"}
# Words between CREATE/ALTER/DROP and the kind of object.
_DDL_BETWEEN = {"OR", "REPLACE", "TEMPORARY", "ONLINE", "OFFLINE", "IGNORE", "DEFINER", "=", "SQL", "SECURITY"}


def placeholder(token: Token) -> bool:
    """A placeholder as guardrails.sql.templating and the extractors write them (``_p3``,
    ``__``, ``?``), or a bind parameter (``:name``, ``$1``)."""
    text = token.text
    if token.token_type.name in ("PLACEHOLDER", "PARAMETER"):
        return True
    return token.token_type.name == "VAR" and (set(text) == {"_"} or (text[:2] == "_p" and text[2:].isdigit()))


def _after_name(tokens: list[Token], i: int) -> int | None:
    """Index of the token after a possibly qualified name starting at i (None at the end)."""
    if i >= len(tokens):
        return None
    j = i + 1
    while j + 1 < len(tokens) and tokens[j].token_type.name == "DOT":
        j += 2
    return j if j < len(tokens) else None


def _sentence_end(tokens: list[Token]) -> bool:
    """Ends like a sentence: a full stop, an exclamation mark, or a question mark right
    after a word ("Delete from cart?"; a placeholder ``= ?`` has an operator or a space)."""
    last = tokens[-1]
    if last.text in (".", "!"):
        return True
    previous = tokens[-2] if len(tokens) > 1 else None
    return (
        last.text == "?"
        and previous is not None
        and previous.token_type.name == "VAR"
        and previous.end + 1 == last.start
    )
