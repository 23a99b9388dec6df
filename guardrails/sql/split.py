"""Split a SQL script into statements the way the mysql command-line client does.

``DELIMITER`` is a client command, not SQL, so no SQL parser knows it; this
scanner follows the client's rules instead: quotes, backtick identifiers and
comments hide delimiters, ``DELIMITER x`` changes the delimiter for what
follows, and ``/*! ... */`` version comments are code, not comments (MySQL
executes them). Their markers are blanked to spaces in the statement text so
that offsets in the text are offsets in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

_LINE_COMMANDS = ("delimiter", "source", "use", "\\.")


@dataclass(frozen=True)
class Chunk:
    start: int  # offset in the file of the statement's first code character
    end: int  # offset just past its last character (the delimiter excluded)
    text: str  # file[start:end] with version-comment markers blanked
    unterminated: str = ""  # "quote", "comment" or "identifier" when the file ended inside one
    unterminated_at: int = 0  # where that quote or comment opens


class _Scan:
    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self.chunks: list[Chunk] = []
        self.next_of = NextOf(src)

    def run(self) -> list[Chunk]:
        src, n = self.src, self.n
        delimiter = ";"
        i = 0
        while i < n:
            i = self._skip_space_and_comments(i)
            if i >= n:
                break
            command = self._line_command(i)
            if command:
                eol = src.find("\n", i)
                eol = n if eol == -1 else eol
                if command == "delimiter":
                    words = src[i:eol].split()
                    if len(words) >= 2:
                        # the client takes a quoted delimiter without its quotes
                        word = words[1]
                        quoted = len(word) > 2 and word[0] == word[-1] and word[0] in "'\"`"
                        delimiter = word[1:-1] if quoted else word
                i = eol + 1
                continue
            i = self._statement(i, delimiter)
        return self.chunks

    def _line_command(self, i: int) -> str:
        """The client command starting at i (the start of a statement), if there is one."""
        head = self.src[i : i + 10].lower()
        for command in _LINE_COMMANDS:
            if head.startswith(command):
                after = self.src[i + len(command) : i + len(command) + 1]
                if command == "\\." or after == "" or after.isspace():
                    return command
        return ""

    def _skip_space_and_comments(self, i: int) -> int:
        src, n = self.src, self.n
        while i < n:
            c = src[i]
            if c.isspace():
                i += 1
            elif c == "#" or (c == "-" and src.startswith("--", i)):
                # Before a statement starts, `--x` cannot be an expression, so it is a comment
                # even without MySQL's required space (migration tools write `--split` markers).
                eol = src.find("\n", i)
                i = n if eol == -1 else eol + 1
            elif c == "/" and src.startswith("/*", i) and not src.startswith("/*!", i):
                end = src.find("*/", i + 2)
                if end == -1:
                    self.chunks.append(Chunk(i, n, src[i:n], "comment", i))
                    return n
                i = end + 2
            else:
                return i
        return i

    def _statement(self, start: int, delimiter: str) -> int:
        """Scan one statement from ``start``; return the offset after its delimiter."""
        src, n = self.src, self.n
        blanks: list[tuple[int, int]] = []  # version-comment markers to blank
        in_version = False
        d0 = delimiter[0]
        interesting = d0 + "'\"`#-/*\\"
        i = start
        while i < n:
            c = src[i]
            if c == d0 and src.startswith(delimiter, i):
                self._emit(start, i, blanks)
                return i + len(delimiter)
            if c in "'\"`":
                close = close_quote(src, i)
                if close == -1:
                    kind = "identifier" if c == "`" else "quote"
                    self._emit(start, n, blanks, kind, i)
                    return n
                i = close + 1
            elif c == "#" or (c == "-" and src.startswith("--", i) and dash_comment(src, i)):
                eol = src.find("\n", i)
                i = n if eol == -1 else eol
            elif c == "/" and src.startswith("/*", i):
                # MySQL runs /*!NNNNN ... */; MariaDB's /*M! ... */ is a comment to MySQL
                if src.startswith("/*!", i):
                    j = i + 3
                    while j < n and src[j].isdigit():
                        j += 1
                    blanks.append((i, j))
                    in_version = True
                    i = j
                else:
                    end = src.find("*/", i + 2)
                    if end == -1:
                        self._emit(start, n, blanks, "comment", i)
                        return n
                    i = end + 2
            elif c == "*" and in_version and src.startswith("*/", i):
                blanks.append((i, i + 2))
                in_version = False
                i += 2
            elif c == "\\" and src.startswith("\\G", i) and delimiter == ";":
                self._emit(start, i, blanks)  # mysql client: \G ends a statement
                return i + 2
            else:
                # nothing between here and the next character that can matter does
                i = self.next_of.first(i + 1, interesting)
        self._emit(start, n, blanks)
        return n

    def _emit(
        self, start: int, end: int, blanks: list[tuple[int, int]], unterminated: str = "", unterminated_at: int = 0
    ) -> None:
        src = self.src
        while end > start and src[end - 1].isspace():
            end -= 1
        if end <= start:
            return
        if blanks:
            parts = []
            pos = start
            for b0, b1 in blanks:
                parts.append(src[pos:b0])
                parts.append(" " * (b1 - b0))
                pos = b1
            parts.append(src[pos:end])
            text = "".join(parts)
        else:
            text = src[start:end]
        if not text.strip():
            return
        self.chunks.append(Chunk(start, end, text, unterminated, unterminated_at))


def dash_comment(src: str, i: int) -> bool:
    """MySQL needs whitespace or end of input after ``--`` for a comment."""
    after = src[i + 2 : i + 3]
    return after == "" or after.isspace()


def close_quote(src: str, i: int) -> int:
    """Offset of the quote closing the string or identifier opened at i, or -1.

    A quote is escaped when an odd run of backslashes stands right before it (each pair is one
    escaped backslash), so each candidate quote is judged by counting that run, in C: a string
    of a million backslashes, or a million short strings, is one pass over the text."""
    q = src[i]
    j = i + 1
    find = src.find
    while True:
        close = find(q, j)
        if close == -1:
            return -1
        if q != "`":
            before = src[j:close]
            if (len(before) - len(before.rstrip("\\"))) % 2:
                j = close + 1  # the escaped quote stands for itself
                continue
        if src.startswith(q, close + 1):  # a doubled quote stands for itself
            j = close + 2
            continue
        return close


class NextOf:
    """Where the next of some characters is, for a scan that only moves forward: each
    character is looked for again only once the scan has passed where it was last found, so
    the whole scan costs one pass per character looked for, not one per step."""

    __slots__ = ("src", "n", "_at")

    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self._at: dict[str, int] = {}  # character -> its next offset (-1: none left)

    def first(self, i: int, chars: str) -> int:
        """The offset of the first of chars at or after i (len(src) if none); i never decreases."""
        best = self.n
        at_of = self._at
        for c in chars:
            at = at_of.get(c, -2)
            if at == -2 or (at != -1 and at < i):
                at = at_of[c] = self.src.find(c, i)
            if at != -1 and at < best:
                best = at
        return best


def split_statements(src: str) -> list[Chunk]:
    return _Scan(src).run()
