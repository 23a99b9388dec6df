"""A statement too large to parse, read token by token in pieces of bounded size.

sqlglot holds every token of a statement at once (about 200 bytes each: some 70 MB per MB
of ``VALUES`` rows) and then a tree several times larger, so a 20 MB INSERT would need
gigabytes. Above ``guardrails.sql.statement.MAX_PARSE_CHARS`` a statement is not parsed:
its text is cut into pieces of about ``PIECE_CHARS`` characters, each cut at a space, a
comma or a parenthesis outside quotes and comments (where no token can continue), and each
piece is tokenized, read and dropped before the next. Memory is then bounded by one piece's
tokens, plus the text itself; time stays linear.

What is read from the tokens: the IGNORE modifiers (guardrails.sql.token_level), and which
pieces the tokenizer rejected, so that nothing goes unreported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guardrails.sql.split import NextOf, close_quote, dash_comment

if TYPE_CHECKING:
    from sqlglot.tokens import Token

PIECE_CHARS = 1 << 16
# Tokens of the previous piece kept in front of the next one: IGNORE stands at most a few
# modifiers and hints after its statement keyword, so a window this long sees every one.
_CARRY = 32
_CUTS = frozenset(" \t\r\n\f\v,()")
_OPENERS = "'\"`#-/"


@dataclass
class TokenRead:
    """What the tokens of a statement said; offsets are into the statement's text."""

    ignores: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, start, end) of each IGNORE
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (offset, reason) per piece
    pieces: int = 0


def read_tokens(text: str, size: int = PIECE_CHARS) -> TokenRead:
    from sqlglot.errors import TokenError

    from guardrails.sql.parse_errors import explain
    from guardrails.sql.token_level import ignore_keywords
    from guardrails.sql.tokens import tokenize

    read = TokenRead()
    carry: list[Token] = []  # the last tokens of the piece before
    seen: set[int] = set()
    spans = list(pieces(text, size))
    read.pieces = len(spans)
    # A piece without the letters of IGNORE holds no IGNORE token: it is tokenized only when
    # the next one has them (for the statement keyword before an IGNORE: comments are never cut
    # from the words before them, so only modifier words can stand between the two, and they fit
    # in one piece), or when the piece before ended on one (ALTER IGNORE | TABLE). The others
    # would tell nothing.
    has_ignore = [_may_hold_ignore(text, a, b) for a, b in spans] + [False]
    for k, (start, end) in enumerate(spans):
        pending = any(t.text.upper() == "IGNORE" for t in carry)
        if not (has_ignore[k] or has_ignore[k + 1] or pending):
            carry = []
            continue
        try:
            tokens = tokenize(text[start:end])
        except (TokenError, RecursionError) as exc:
            reason, offset = explain(text[start:end], exc)
            read.unreadable.append((start + offset, reason))
            carry = []
            continue
        for token in tokens:  # offsets into the whole text, not the piece
            token.start += start
            token.end += start
        window = carry + tokens
        for kind, token in ignore_keywords(window):
            if token.start not in seen:  # one in the carried tokens was found with the piece before
                seen.add(token.start)
                read.ignores.append((kind, token.start, token.end))
        carry = window[-_CARRY:]
    return read


def _may_hold_ignore(text: str, start: int, end: int) -> bool:
    return "ignore" in text[start:end].lower()


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """(start, end) spans covering text, each at least ``size`` characters (but the last)
    and cut where no token continues. A run of ``size`` characters with no place to cut
    (one long string literal) stays whole: a single token is as large as it is."""
    n = len(text)
    skipper = _Skipper(text)
    start = 0
    while n - start > size:
        cut = skipper.cut_after(start + size)
        if cut >= n:
            break
        yield start, cut
        start = cut
    yield start, n


class _Skipper:
    """Walks text once from the start, stepping over quotes and comments as the mysql
    client reads them (guardrails.sql.split), in one linear pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.at = 0  # the walk has reached here, outside any quote or comment
        self.next_of = NextOf(text)

    def cut_after(self, target: int) -> int:
        """The first offset at or after target, outside quotes and comments, to cut at."""
        text, n = self.text, self.n
        i = self._outside(target)
        while i < n:
            if text[i] in _CUTS:
                j = i
                while j < n and text[j].isspace():
                    j += 1
                if j == n or not self._comment_at(j):
                    break
                # a comment (an optimizer hint) stays with the words before it, so that a
                # statement keyword and its IGNORE are never more than one cut apart
                i = j
            i = self._past(i)
        self.at = i
        return i

    def _comment_at(self, i: int) -> bool:
        text = self.text
        return text[i] == "#" or text.startswith("/*", i) or (text.startswith("--", i) and dash_comment(text, i))

    def _outside(self, target: int) -> int:
        """Walk to the first offset at or after target that is outside quotes and comments."""
        i = self.at
        while i < target:
            at = self.next_of.first(i, _OPENERS)
            if at >= target:
                return target
            i = self._past(at)
        return i

    def _past(self, i: int) -> int:
        """Offset just past the quote or comment opening at i; i + 1 if none opens there;
        the end of text if it never closes."""
        text, n = self.text, self.n
        c = text[i]
        if c in "'\"`":
            close = close_quote(text, i)
            return n if close == -1 else close + 1
        if c == "#" or (c == "-" and text.startswith("--", i) and dash_comment(text, i)):
            eol = text.find("\n", i)
            return n if eol == -1 else eol + 1
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            return n if end == -1 else end + 2
        return i + 1
