"""Parse-error wording: what the SQL parser could not read, in the user's words, and where.

sqlglot's messages are written for its own developers: they name its classes ("Required
keyword: 'this' missing for <class 'sqlglot.expressions.core.EQ'>"), embed token reprs
("<Token token_type: TokenType.R_PAREN ...>"), speak of its internals ("Invalid expression /
Unexpected token", "Expecting )") and quote a hundred characters around a tokenizer failure
("Error tokenizing '...'") without saying where or why. ``explain`` turns any exception the
parser raises on a statement into one sentence and the offset of the place it failed; every
reader of SQL (statements in .sql files and in code, schema DDL, migrations) words its
parse-error with it.
"""

from __future__ import annotations

import re

# sqlglot expression classes that stand for an operator or a construct with another name
_NAMED = {
    "EQ": "= comparison", "NEQ": "<> comparison", "NullSafeEQ": "<=> comparison", "GT": "> comparison",
    "GTE": ">= comparison", "LT": "< comparison", "LTE": "<= comparison", "And": "AND", "Or": "OR",
    "Xor": "XOR", "Not": "NOT", "Add": "+ expression", "Sub": "- expression", "Mul": "* expression",
    "Div": "/ expression", "IntDiv": "DIV expression", "Mod": "% expression", "Paren": "parenthesis",
    "Alias": "alias (AS ...)", "Aliases": "alias list", "Column": "column", "Table": "table name",
    "Identifier": "name", "Tuple": "list of values", "Star": "*", "Dot": "qualified name",
    "DefaultColumnConstraint": "DEFAULT", "OnUpdateColumnConstraint": "ON UPDATE",
    "Like": "LIKE", "ILike": "LIKE", "In": "IN list", "Between": "BETWEEN", "Is": "IS",
    "Cast": "CAST", "Case": "CASE", "If": "IF", "Interval": "INTERVAL", "Where": "WHERE",
    "Having": "HAVING", "Limit": "LIMIT", "Order": "ORDER BY", "Group": "GROUP BY", "Join": "JOIN",
    "Values": "VALUES", "Union": "UNION", "Except": "EXCEPT", "Intersect": "INTERSECT",
    "Constraint": "CONSTRAINT", "Property": "table option", "PropertyEQ": "option = value",
    "AutoIncrementProperty": "AUTO_INCREMENT option", "ColumnDef": "column definition",
    "SessionParameter": "@@variable", "Parameter": "parameter", "JSONBContainsTopKey": "? placeholder",
}  # fmt: skip
_INTERNALS = ("<class", "<Token", "sqlglot", "Required keyword", "TokenType.", "Expecting ", "Invalid expression")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z][a-z0-9]*")


def explain(text: str, exc: BaseException) -> tuple[str, int]:
    """What could not be read and the offset in ``text`` where reading failed."""
    from sqlglot.errors import ParseError, TokenError

    if isinstance(exc, TokenError):
        return _unreadable_characters(text, exc)
    if isinstance(getattr(exc, "offset", None), int):  # guardrails' own readers (partition DDL) say where
        return _plain(str(exc).splitlines()[0] if str(exc) else ""), getattr(exc, "offset", 0)
    if isinstance(exc, RecursionError):
        return "statement nested too deeply to read", 0
    errors = (getattr(exc, "errors", None) or []) if isinstance(exc, ParseError) else []
    if not errors:
        if isinstance(exc, ParseError):
            return _plain(str(exc).splitlines()[0] if str(exc) else ""), 0
        # the parser broke on a form it does not expect (a function call cut short, ...)
        return "this statement could not be read as MySQL (it may be cut short)", 0
    error = errors[0]
    offset = _offset(text, error)
    description = str(error.get("description") or "")
    found = str(error.get("highlight") or "")
    shown = found if len(found) <= 30 else found[:27] + "..."
    ended = not found or "SENTINEL" in description or offset >= len(text.rstrip()) - len(found)
    here = "the statement ends too early" if ended else f"found {shown!r}"
    if description.startswith("Required keyword:") and "<class '" in description:
        name = description.split("<class '", 1)[1].split("'", 1)[0].rsplit(".", 1)[-1]
        return f"an incomplete {_construct(name)}: part of it is missing", offset
    if description.startswith("Expecting "):
        wanted = description[len("Expecting ") :].strip()
        if wanted == ")":
            return f"expected ')' to close a parenthesis, {here}", offset
        return f"expected {wanted!r}, {here}", offset
    if description.startswith("Invalid expression") or description.startswith("Unexpected token"):
        return ("the statement ends too early" if ended else f"unexpected {shown!r} here"), offset
    if " but got <Token" in description:
        but = "the statement ended" if ended else f"found {shown!r}"
        return _plain(f"{description.split(' but got <Token')[0]}, but {but}"), offset
    return _plain(description), offset


def _construct(name: str) -> str:
    """The SQL words for a sqlglot expression class: ``OnUpdateColumnConstraint`` is ON UPDATE,
    ``Concat`` a CONCAT(...) call; a class with no SQL name of its own is an expression."""
    if name in _NAMED:
        return _NAMED[name]
    from sqlglot.dialects.mysql import MySQL

    words = [w.upper() for w in _WORD.findall(name) if w not in ("Column", "Constraint", "Property")]
    if "_".join(words) in MySQL.Parser.FUNCTIONS:
        return f"{'_'.join(words)}(...) call"
    keywords = MySQL.Tokenizer.KEYWORDS
    if words and (" ".join(words) in keywords or all(w in keywords for w in words)):
        return " ".join(words)
    return "expression"


def _unreadable_characters(text: str, exc: BaseException) -> tuple[str, int]:
    """A tokenizer failure: nearly always a quote, identifier or comment left open."""
    from guardrails.sql.split import split_statements

    for chunk in split_statements(text):
        if chunk.unterminated:
            return f"unterminated {chunk.unterminated} starting here", chunk.unterminated_at
    # sqlglot quotes 50 characters either side of where it stopped
    start, end = getattr(exc, "start", None) or 0, getattr(exc, "end", None) or 0
    at = start + 50 if start else max(0, min(end - 50, len(text) - 1))
    return "characters here do not read as SQL tokens", at


def _offset(text: str, error: dict[str, object]) -> int:
    """Offset of the failing token from sqlglot's error details (line and col are 1-based)."""
    line, col = error.get("line"), error.get("col")
    if not (isinstance(line, int) and isinstance(col, int) and line and col):
        return 0
    start = 0
    for _ in range(line - 1):
        newline = text.find("\n", start)
        if newline == -1:
            break
        start = newline + 1
    # sqlglot reports the column of the token's last character; step back to its start
    highlight = str(error.get("highlight") or "")
    return max(0, min(len(text) - 1, start + col - max(1, len(highlight))))


def _plain(message: str) -> str:
    """A message with none of the parser's internals in it, whatever sqlglot wrote."""
    if not message or any(internal in message for internal in _INTERNALS):
        return "syntax error here"
    return message
