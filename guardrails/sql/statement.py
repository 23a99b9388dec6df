"""One SQL statement found in a file, with the way back to the file's lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guardrails.findings import Location
from guardrails.sql.positions import PositionMap

if TYPE_CHECKING:
    from guardrails.sql.dialect import Parsed


class SqlParseError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(eq=False)
class SqlStatement:
    """``text`` is the statement as MySQL would execute it; ``positions`` maps
    offsets in it to the file. ``origin`` is "sql" for .sql files, otherwise the
    language of the code it was found in."""

    path: str
    text: str
    positions: PositionMap
    origin: str = "sql"
    # in code: how the code finishes this text before it runs (guardrails.sql.code.flow);
    # empty when the literal is the whole query
    completions: list[Completion] = field(default_factory=list)
    _parsed: Parsed | SqlParseError | None = field(default=None, repr=False)

    def location(self, start: int = 0, end: int | None = None) -> Location:
        """The file span of text[start:end] (end exclusive; default: the whole statement)."""
        end = len(self.text) if end is None else end
        line, column = self.positions(start)
        end_line, end_column = self.positions(max(start, end - 1))
        return Location(self.path, line, column, end_line, end_column + 1)

    def parse(self) -> Parsed:
        """The parsed statement; raises SqlParseError (cached either way)."""
        if self._parsed is None:
            self._parsed = _parse(self.text)
        if isinstance(self._parsed, SqlParseError):
            raise self._parsed
        return self._parsed


class Completion:
    """One way code finishes a query literal before running it: ``statement`` is the literal
    with the appends the file shows (``sql += " AND ..."``, here or in a caller), and
    ``open_at`` says where the text leaves what the file shows ("returned from build() at
    line 12"), empty when it is executed as assembled. The whole text is assembled and parsed
    only when a rule asks (guardrails.sql.code.flow builds it)."""

    def __init__(self, statement: SqlStatement, open_at: str = "", finish: Finish | None = None) -> None:
        self._statement = statement
        self._open_at = open_at
        self._finish = finish

    @property
    def statement(self) -> SqlStatement:
        self._resolve()
        return self._statement

    @property
    def open_at(self) -> str:
        self._resolve()
        return self._open_at

    def _resolve(self) -> None:
        if self._finish is not None:
            finish, self._finish = self._finish, None
            finished, why = finish()
            if finished is not None:
                self._statement = finished
            self._open_at = self._open_at or why


Finish = Callable[[], tuple["SqlStatement | None", str]]


def _parse(text: str) -> Parsed | SqlParseError:
    from sqlglot.errors import ParseError, TokenError

    from guardrails.sql.dialect import DIALECT

    try:
        return DIALECT.parse_statement(text)
    except ParseError as exc:
        message = describe_parse_error(exc)
        return SqlParseError(message, parse_error_offset(text, exc))
    except TokenError as exc:
        return SqlParseError(str(exc).splitlines()[0], 0)
    except RecursionError:
        return SqlParseError("statement nested too deeply to parse", 0)


def describe_parse_error(exc: Exception) -> str:
    """sqlglot's description, without the Token repr it embeds."""
    errors = getattr(exc, "errors", None) or []
    if not errors:
        return str(exc).splitlines()[0]
    description = str(errors[0].get("description") or "syntax error")
    if description.startswith("Required keyword:") and "<class '" in description:
        # "Required keyword: 'this' missing for <class '...DefaultColumnConstraint'>": the
        # parser's class names are not the user's words; the SQL keywords in them are
        node = description.split("<class '", 1)[1].split("'", 1)[0].rsplit(".", 1)[-1]
        words = [w for w in _camel_words(node) if w not in ("Column", "Constraint", "Property")]
        description = f"an incomplete {' '.join(words).upper() or 'expression'}: part of it is missing"
    if " but got <Token" in description:
        got = str(errors[0].get("highlight") or "")
        found = "the statement ended" if "SENTINEL" in description or not got else f"found {got!r}"
        description = f"{description.split(' but got <Token')[0]}, but {found}"
    return description


def parse_error_offset(text: str, exc: Exception) -> int:
    """Offset of the failing token from sqlglot's error details (line and col are 1-based)."""
    errors = getattr(exc, "errors", None) or []
    if errors and errors[0].get("line") and errors[0].get("col"):
        line, col = errors[0]["line"], errors[0]["col"]
        start = 0
        for _ in range(line - 1):
            nl = text.find("\n", start)
            if nl == -1:
                break
            start = nl + 1
        # sqlglot reports the column of the token's last character; step back to its start
        highlight = errors[0].get("highlight") or ""
        return max(0, min(len(text) - 1, start + col - max(1, len(highlight))))
    return 0


def _camel_words(name: str) -> list[str]:
    """``OnUpdateColumnConstraint`` -> On, Update, Column, Constraint."""
    words: list[str] = []
    for c in name:
        if c.isupper() or not words:
            words.append(c)
        else:
            words[-1] += c
    return words
