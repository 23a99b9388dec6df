"""Assemble the text of a string literal (or a concatenation of them) with its file positions,
and decide whether that text is a SQL statement.

Every extractor, whatever the language, builds a ``Literal`` piece by piece:
verbatim source text, decoded escapes, and placeholders for interpolations.
Each piece starts a new segment of ``guardrails.sql.positions.Segments`` so an
offset in the assembled text maps to the exact line and column in the file,
also after an escape, a ``+`` or an interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guardrails.sql.positions import Segments
from guardrails.sql.templating import normalise_placeholders

if TYPE_CHECKING:
    from guardrails.sql.statement import SqlStatement

# First words of the statements a rule may care about. A literal that starts with anything
# else is not tried at all, which keeps the parser away from nearly every string in a file.
STATEMENT_WORDS = frozenset(
    {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "REPLACE",
        "WITH",
        "ALTER",
        "CREATE",
        "DROP",
        "TRUNCATE",
        "LOAD",
    }
)


@dataclass
class Literal:
    """Text assembled from pieces of a source file, with where each piece came from."""

    parts: list[str] = field(default_factory=list)
    segments: list[tuple[int, int, int]] = field(default_factory=list)  # (text offset, line, column)
    size: int = 0
    placeholders: int = 0

    def verbatim(self, text: str, line: int, column: int) -> None:
        """Source text that stands for itself, starting at (line, column) of the file."""
        if text:
            self._add(text, line, column)

    def escape(self, value: str, line: int, column: int) -> None:
        """A decoded escape sequence written at (line, column)."""
        self._add(value, line, column)

    def placeholder(self, line: int, column: int) -> None:
        """An interpolation or format verb: a name the SQL parser accepts wherever a value or
        a table name may stand."""
        self.placeholders += 1
        self._add(f"_p{self.placeholders}", line, column)

    def extend(self, other: Literal) -> None:
        """Append another literal (``a + b``)."""
        text = other.text
        ends = [offset for offset, _, _ in other.segments[1:]] + [other.size]
        for (offset, line, column), end in zip(other.segments, ends, strict=True):
            self._add(text[offset:end], line, column)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def _add(self, text: str, line: int, column: int) -> None:
        if not text:
            return
        self.segments.append((self.size, line, column))
        self.parts.append(text)
        self.size += len(text)


def first_word(text: str) -> str:
    """The first word of text, upper-cased, after blanks, opening parentheses and SQL
    comments (``/* app=checkout */ INSERT ...`` is how sqlcommenter tags queries)."""
    i, n = 0, len(text)
    while i < n:
        if text[i] in " \t\r\n(":
            i += 1
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close == -1 else close + 2
        elif text.startswith("-- ", i) or text.startswith("#", i):
            newline = text.find("\n", i)
            i = n if newline == -1 else newline + 1
        else:
            break
    end = i
    while end < n and (text[end].isalpha() or text[end] == "_"):
        end += 1
    return text[i:end].upper()


def looks_like_sql(text: str) -> bool:
    return first_word(text) in STATEMENT_WORDS


def to_statement(path: str, literal: Literal, origin: str) -> SqlStatement | None:
    """The literal as a SqlStatement if it is one, else None (prose, log text, fragments)."""
    text = literal.text
    if not looks_like_sql(text) or not literal.segments:
        return None
    from guardrails.sql.statement import SqlParseError, SqlStatement
    from guardrails.sql.token_level import looks_like_statement, tokens_of

    for style in ("?", "name"):
        normalised, replaced = normalise_placeholders(text, style)
        statement = SqlStatement(path, normalised, Segments(normalised, literal.segments), origin)
        try:
            parsed = statement.parse()
        except SqlParseError:
            if replaced and style == "?":
                continue  # "%s" may stand for a table name, where "?" does not parse
            break
        return statement if _is_statement(parsed) else None
    # Clearly SQL that does not parse (a placeholder standing for a clause, an operator or a
    # sub-select): kept, so that rules read what its tokens tell (insert-ignore finds IGNORE)
    # and parse-error says what could not be read, instead of dropping it without a word.
    if statement.too_large:
        return statement  # over a megabyte and starting with a statement word: SQL, read in pieces
    tokens = tokens_of(statement.text)
    return statement if tokens and looks_like_statement(tokens) else None


def _is_statement(parsed: object) -> bool:
    """Reject what sqlglot accepts leniently but no program would send: prose like
    "update failed", "delete the user", "select a user", or its Command fallback."""
    from sqlglot import exp

    expression = parsed.expression  # type: ignore[attr-defined]
    words = {t.text.upper() for t in parsed.tokens}  # type: ignore[attr-defined]
    if isinstance(expression, exp.Command):
        # sqlglot's MySQL reads REPLACE only as an opaque Command; accept its real shape
        return str(expression.this).upper() == "REPLACE" and _replace_shape(expression.expression)
    if isinstance(expression, exp.Delete):
        return "FROM" in words
    if isinstance(expression, exp.Update):
        return bool(expression.args.get("expressions"))
    if isinstance(expression, exp.TruncateTable):
        return "TABLE" in words
    if isinstance(expression, exp.Select) and not expression.args.get("from_") and not expression.args.get("from"):
        # SELECT without FROM is real for SELECT 1 / SELECT NOW(), but bare words are prose
        return not all(isinstance(e.unalias(), exp.Column) for e in expression.expressions)
    return True


def _replace_shape(rest: object) -> bool:
    """REPLACE [LOW_PRIORITY | DELAYED] [INTO] tbl ... VALUES | SELECT | SET ..."""
    from guardrails.sql.dialect import DIALECT

    text = rest.name if hasattr(rest, "name") else str(rest)
    try:
        words = [t.text.upper() for t in DIALECT.tokenize(text)]
    except Exception:  # sqlglot's TokenError: not SQL
        return False
    words = [w for w in words if w not in ("LOW_PRIORITY", "DELAYED")]
    return words[:1] == ["INTO"] and bool({"VALUES", "VALUE", "SELECT", "SET"} & set(words))
