"""Partition clauses of CREATE TABLE and ALTER TABLE, read from sqlglot's tokens.

sqlglot 30 parses ``PARTITION BY LIST`` only: RANGE with ``VALUES LESS THAN``,
RANGE/LIST COLUMNS, ``MAXVALUE`` and ``HASH/KEY ... PARTITIONS n`` fail or fall
back to an opaque Command. Its compiled parser cannot be subclassed from Python
(see guardrails/sql/dialect.py), so this module reads MySQL's grammar for
partition options from the token stream instead::

    PARTITION BY { [LINEAR] HASH(expr) | [LINEAR] KEY [ALGORITHM={1|2}] (column_list)
                 | RANGE {(expr) | COLUMNS(column_list)} | LIST {(expr) | COLUMNS(column_list)} }
    [PARTITIONS n]
    [SUBPARTITION BY { [LINEAR] HASH(expr) | [LINEAR] KEY [ALGORITHM={1|2}] (column_list) }
     [SUBPARTITIONS n]]
    [(PARTITION name [VALUES {LESS THAN {(value_list) | MAXVALUE} | IN (value_list)}]
      [options] [(SUBPARTITION name [options], ...)], ...)]

The partitioning expression itself (``TO_DAYS(created_at)``) is ordinary SQL
and goes to sqlglot. Offsets in errors are offsets in the statement text.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from guardrails.sql.schema import (
    HASH,
    KEY,
    LINEAR_HASH,
    LINEAR_KEY,
    LIST,
    LIST_COLUMNS,
    RANGE,
    RANGE_COLUMNS,
    PartitionDef,
    Partitioning,
)

_QUOTED = (TokenType.IDENTIFIER, TokenType.STRING)


class PartitionSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def word(token: Token) -> str:
    """The keyword a token spells (upper-case), or "" for a quoted name or string."""
    return "" if token.token_type in _QUOTED else token.text.upper()


def top_level(tokens: list[Token], start: int = 0) -> list[int]:
    """Indexes of the tokens outside any parentheses, from ``start``."""
    out = []
    depth = 0
    for i in range(start, len(tokens)):
        kind = tokens[i].token_type
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0:
            out.append(i)
    return out


def closing(tokens: list[Token], i: int) -> int:
    """Index of the parenthesis closing the one at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        kind = tokens[j].token_type
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return j
    raise PartitionSyntaxError("unbalanced parenthesis", tokens[i].start)


class Reader:
    def __init__(self, tokens: list[Token], i: int, sql: str) -> None:
        self.tokens = tokens
        self.i = i
        self.sql = sql

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def at(self, *words: str) -> bool:
        for k, expected in enumerate(words):
            token = self.peek(k)
            if token is None or word(token) != expected:
                return False
        return True

    def take(self, *words: str) -> bool:
        if self.at(*words):
            self.i += len(words)
            return True
        return False

    def expect(self, *words: str) -> None:
        if not self.take(*words):
            self.fail(f"expected {' '.join(words)}")

    def fail(self, message: str) -> None:
        token = self.peek()
        where = token.start if token is not None else len(self.sql)
        got = f", found {token.text!r}" if token is not None else " at the end of the statement"
        raise PartitionSyntaxError(f"{message} in the partition clause{got}", where)

    def name(self) -> str:
        token = self.peek()
        if token is None or token.token_type in (
            TokenType.L_PAREN,
            TokenType.R_PAREN,
            TokenType.COMMA,
        ):
            self.fail("expected a name")
            raise AssertionError  # unreachable: fail raises
        self.i += 1
        return token.text

    def number(self) -> int:
        token = self.peek()
        if token is None or token.token_type != TokenType.NUMBER or not token.text.isdigit():
            self.fail("expected a number")
            raise AssertionError
        self.i += 1
        return int(token.text)

    def group(self) -> tuple[int, int]:
        """Step over ``( ... )``; return the token indexes of its parentheses."""
        token = self.peek()
        if token is None or token.token_type != TokenType.L_PAREN:
            self.fail("expected (")
        start = self.i
        end = closing(self.tokens, start)
        self.i = end + 1
        return start, end

    def text(self, start: int, end: int) -> str:
        """The statement text from token ``start`` to token ``end``, both included."""
        return self.sql[self.tokens[start].start : self.tokens[end].end + 1]

    def name_list(self) -> list[str]:
        start, end = self.group()
        names = []
        for j in range(start + 1, end):
            token = self.tokens[j]
            if token.token_type == TokenType.COMMA:
                continue
            if token.token_type not in (TokenType.VAR, TokenType.IDENTIFIER) and not token.text.isidentifier():
                raise PartitionSyntaxError(f"expected a column name, found {token.text!r}", token.start)
            names.append(token.text.lower())
        return names


def parse_partition_by(tokens: list[Token], i: int, sql: str, primary_key: tuple[str, ...]) -> tuple[Partitioning, int]:
    """Read ``PARTITION BY ...`` starting at token ``i`` (the PARTITION BY token);
    return the partitioning and the index of the first token after it."""
    reader = Reader(tokens, i + 1, sql)
    partitioning = _method(reader, primary_key, sub=False)
    count = reader.number() if reader.take("PARTITIONS") else 0
    sub: Partitioning | None = None
    sub_count = 0
    if reader.take("SUBPARTITION", "BY"):
        sub = _method(reader, primary_key, sub=True)
        sub_count = reader.number() if reader.take("SUBPARTITIONS") else 0
    token = reader.peek()
    if token is not None and token.token_type == TokenType.L_PAREN:
        partitioning.partitions = partition_definitions(reader)
    else:
        partitioning.partitions = [PartitionDef(f"p{n}") for n in range(max(count, 1))]
    if count and count != len(partitioning.partitions):
        raise PartitionSyntaxError(
            f"PARTITIONS {count} but {len(partitioning.partitions)} partitions defined",
            tokens[i].start,
        )
    if sub is not None:
        for part in partitioning.partitions:
            if not part.subpartitions:
                part.subpartitions = [f"{part.name}sp{n}" for n in range(max(sub_count, 1))]
        partitioning.subpartitioning = sub
    if partitioning.kind in (RANGE, RANGE_COLUMNS, LIST, LIST_COLUMNS):
        missing = [p.name for p in partitioning.partitions if not p.values]
        if missing:
            raise PartitionSyntaxError(
                f"{partitioning.kind} needs VALUES for each partition ({missing[0]} has none)",
                tokens[i].start,
            )
    return partitioning, reader.i


def _method(reader: Reader, primary_key: tuple[str, ...], sub: bool) -> Partitioning:
    linear = reader.take("LINEAR")
    if reader.take("HASH"):
        start, end = reader.group()
        return _expression_partitioning(reader, LINEAR_HASH if linear else HASH, start, end)
    if reader.take("KEY"):
        if reader.take("ALGORITHM"):
            reader.take("=")
            reader.name()  # 1 or 2 in MySQL; MariaDB 12.3 adds names such as XXH32
        columns = reader.name_list()
        kind = LINEAR_KEY if linear else KEY
        if not columns:
            return Partitioning(kind, primary_key, key_is_primary_key=True)
        return Partitioning(kind, tuple(columns))
    if linear or sub:
        reader.fail("expected HASH or KEY")
    for kind, columns_kind in ((RANGE, RANGE_COLUMNS), (LIST, LIST_COLUMNS)):
        if reader.take(kind):
            if reader.take("COLUMNS"):
                return Partitioning(columns_kind, tuple(reader.name_list()))
            start, end = reader.group()
            return _expression_partitioning(reader, kind, start, end)
    reader.fail("expected RANGE, LIST, HASH or KEY")
    raise AssertionError


def _expression_partitioning(reader: Reader, kind: str, start: int, end: int) -> Partitioning:
    """RANGE/LIST/HASH (expr): the columns it reads and the function wrapping a single column."""
    from guardrails.sql.tokens import parse_expression

    if end == start + 1:
        raise PartitionSyntaxError(f"{kind} needs an expression", reader.tokens[start].start)
    text = reader.text(start + 1, end - 1)
    try:
        parsed = parse_expression(text)
    except Exception as exc:  # sqlglot raises several error types; all mean "not an expression"
        raise PartitionSyntaxError(
            f"cannot read the partitioning expression {text!r}: {exc}", reader.tokens[start].start
        ) from None
    columns: list[str] = []
    for column in parsed.find_all(exp.Column):
        if column.name.lower() not in columns:
            columns.append(column.name.lower())
    if not columns:
        raise PartitionSyntaxError(f"the partitioning expression {text!r} reads no column", reader.tokens[start].start)
    inner = reader.tokens[start + 1 : end]
    function = ""
    if not isinstance(parsed, exp.Column):
        # FUNC(col) is the one shape MySQL prunes ranges through (for monotonic functions);
        # the name comes from the tokens because sqlglot renames some functions (TO_DAYS).
        kinds = [t.token_type for t in inner]
        if (
            len(inner) == 4
            and kinds[1] == TokenType.L_PAREN
            and kinds[3] == TokenType.R_PAREN
            and kinds[2] in (TokenType.VAR, TokenType.IDENTIFIER)
        ):
            function = inner[0].text.upper()
        else:
            function = "(expression)"
    return Partitioning(kind, tuple(columns), expression=text, function=function)


def partition_definitions(reader: Reader) -> list[PartitionDef]:
    """``(PARTITION p0 VALUES ..., ...)`` at the reader's position."""
    start, end = reader.group()
    inner = Reader(reader.tokens[:end], start + 1, reader.sql)
    parts: list[PartitionDef] = []
    while inner.i < end:
        inner.expect("PARTITION")
        part = PartitionDef(inner.name())
        if inner.take("VALUES"):
            if inner.take("LESS", "THAN"):
                if inner.take("MAXVALUE"):
                    part.values = "LESS THAN MAXVALUE"
                else:
                    g0, g1 = inner.group()
                    part.values = f"LESS THAN {inner.text(g0, g1)}"
            elif inner.take("IN"):
                g0, g1 = inner.group()
                part.values = f"IN {inner.text(g0, g1)}"
            else:
                inner.fail("expected LESS THAN or IN after VALUES")
        _skip_options(inner, end)
        token = inner.peek()
        if token is not None and inner.i < end and token.token_type == TokenType.L_PAREN:
            g0, g1 = inner.group()
            sub = Reader(reader.tokens[:g1], g0 + 1, reader.sql)
            while sub.i < g1:
                sub.expect("SUBPARTITION")
                part.subpartitions.append(sub.name())
                _skip_options(sub, g1)
                sub.take(",")
        parts.append(part)
        if inner.i < end and not inner.take(","):
            inner.fail("expected , or ) after a partition definition")
    if not parts:
        raise PartitionSyntaxError("empty partition list", reader.tokens[start].start)
    return parts


def _skip_options(reader: Reader, end: int) -> None:
    """ENGINE, COMMENT, DATA DIRECTORY, MAX_ROWS ...: irrelevant to pruning, skipped."""
    while reader.i < end:
        token = reader.tokens[reader.i]
        if token.token_type in (TokenType.COMMA, TokenType.L_PAREN):
            return
        reader.i += 1
