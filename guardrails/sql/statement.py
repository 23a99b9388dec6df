"""One SQL statement found in a file, with the way back to the file's lines."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from guardrails.findings import Location
from guardrails.sql.positions import PositionMap

if TYPE_CHECKING:
    from guardrails.sql.dialect import Parsed
    from guardrails.sql.token_stream import TokenRead

# Statements longer than this are not parsed: sqlglot's tokens and tree for one statement
# take about 170 MB per MB of text (measured on INSERT ... VALUES rows), so a statement at
# this size peaks near 250 MB; longer ones are read token by token (guardrails.sql.token_stream).
MAX_PARSE_CHARS = 1 << 20


class SqlParseError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class StatementTooLarge(SqlParseError):
    """The statement is longer than MAX_PARSE_CHARS: only its tokens are read."""


@dataclass(eq=False)
class SqlStatement:
    """``text`` is the statement as MySQL would execute it; ``positions`` maps
    offsets in it to the file. ``origin`` is "sql" for .sql files, otherwise the
    language of the code it was found in."""

    path: str
    text: str
    positions: PositionMap
    origin: str = "sql"
    _parsed: Parsed | SqlParseError | None = field(default=None, repr=False)
    _token_read: TokenRead | None = field(default=None, repr=False)
    _completions: list[Completion] | None = field(default=None, repr=False)
    _complete: Callable[[], list[Completion]] | None = field(default=None, repr=False)

    @property
    def completions(self) -> list[Completion]:
        """In code: the ways the code finishes this text before it runs (guardrails.sql.code.flow);
        empty when the literal is the whole query. Followed on first use: only partition-pruning
        asks, and following every literal through its function and callers costs a run of
        insert-ignore alone about a third more."""
        if self._completions is None:
            complete, self._complete = self._complete, None
            self._completions = complete() if complete is not None else []
        return self._completions

    @completions.setter
    def completions(self, value: list[Completion]) -> None:
        self._completions, self._complete = value, None

    def complete_later(self, complete: Callable[[], list[Completion]]) -> None:
        """Set how the completions are found, on first use of ``completions``."""
        self._completions, self._complete = None, complete

    @property
    def too_large(self) -> bool:
        return len(self.text) > MAX_PARSE_CHARS

    @cached_property
    def subject(self) -> str:
        """What a finding about this statement is about, for its fingerprint: the text with its
        whitespace folded (a digest of it over MAX_PARSE_CHARS). Computed once, so that a
        thousand findings in one large statement share one string, not a copy each."""
        folded = " ".join(self.text.split())
        if len(folded) <= MAX_PARSE_CHARS:
            return folded
        return "sha256:" + hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()

    def location(self, start: int = 0, end: int | None = None) -> Location:
        """The file span of text[start:end] (end exclusive; default: the whole statement)."""
        end = len(self.text) if end is None else end
        line, column = self.positions(start)
        end_line, end_column = self.positions(max(start, end - 1))
        return Location(self.path, line, column, end_line, end_column + 1)

    def parse(self) -> Parsed:
        """The parsed statement; raises SqlParseError (cached either way)."""
        if self._parsed is None:
            self._parsed = _too_large(self.text) if self.too_large else _parse(self.text)
        if isinstance(self._parsed, SqlParseError):
            raise self._parsed
        return self._parsed

    def release(self) -> None:
        """Drop the parsed tree (a parse error is kept: it is small). The engine has run every
        rule on the statement by then; a statement kept for a later input is parsed again
        there, so a file's trees never pile up: about 110 MB each per MB of statement."""
        if not isinstance(self._parsed, SqlParseError):
            self._parsed = None

    def read_tokens(self) -> TokenRead:
        """What the statement's tokens say, read piece by piece in bounded memory (cached):
        for a statement too large to parse."""
        if self._token_read is None:
            from guardrails.sql.token_stream import read_tokens

            self._token_read = read_tokens(self.text)
        return self._token_read


def _too_large(text: str) -> StatementTooLarge:
    size = f"{len(text) / 1_000_000:.1f} MB"
    limit = f"{MAX_PARSE_CHARS / 1_000_000:.1f} MB"
    return StatementTooLarge(f"statement of {size} is over the {limit} parsed in full: only its tokens were read", 0)


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
    from sqlglot.errors import SqlglotError

    from guardrails.sql.dialect import DIALECT
    from guardrails.sql.parse_errors import explain

    try:
        return DIALECT.parse_statement(text)
    except (SqlglotError, RecursionError, ValueError, TypeError, IndexError, AttributeError) as exc:
        # sqlglot raises plain Python errors too on some broken input (a call cut short)
        message, offset = explain(text, exc)
        return SqlParseError(message, offset)
