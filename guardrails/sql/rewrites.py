"""Valid MySQL and MariaDB that sqlglot 30 rejects, made readable at the token level.

sqlglotc's compiled parser cannot be subclassed from Python, so guardrails' dialect
(guardrails.sql.dialect) changes the token stream instead: ``opaque_statement`` names
the statements no rule reads inside (server administration, replication, the
compound-statement syntax of stored programs), which become an opaque Command; the
``rewrite`` functions drop or respell clauses that no rule looks at (index types,
``SELECT ... INTO OUTFILE``, MariaDB's ``IF NOT EXISTS`` on indexes) so the rest parses.
Measured on sqlfluff's own MySQL and MariaDB fixtures: benchmarks/bench_parse_rate.py.
"""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from guardrails.sql.partition_ddl import PartitionSyntaxError, closing
from guardrails.sql.token_level import word

# First words of statements that are not queries: server administration and replication
# (sqlglot misreads some, FLUSH TABLES parses as a column alias), prepared statements, and
# the compound statements of stored programs (DECLARE, IF, LOOP, ... outside CREATE PROCEDURE).
_OPAQUE = {
    "FLUSH", "PURGE", "RESET", "KILL", "SHUTDOWN", "RESTART", "INSTALL", "UNINSTALL", "HANDLER",
    "CHECKSUM", "CLONE", "BINLOG", "CACHE", "CHECK", "REPAIR", "OPTIMIZE", "CHANGE", "XA", "HELP",
    "DEALLOCATE", "DECLARE", "IF", "ELSEIF", "ELSE", "END", "LOOP", "REPEAT", "UNTIL", "WHILE",
    "LEAVE", "ITERATE", "RETURN", "OPEN", "CLOSE", "FETCH", "SIGNAL", "RESIGNAL", "GET",
}  # fmt: skip
_REPLICATION = {"SLAVE", "REPLICA", "GROUP_REPLICATION", "ALL"}  # START/STOP <these>
_COMPOUND_AFTER_LABEL = {"BEGIN", "LOOP", "REPEAT", "WHILE"}
_INDEX_TYPES = {"BTREE", "HASH", "RTREE"}
_AFTER_GROUP_BY = {"WITH", "HAVING", "ORDER BY", "ORDER", "LIMIT", "WINDOW", "UNION", "FOR", "LOCK", "INTO"}
_SELECT_MODIFIERS = {"SQL_CACHE", "SQL_NO_CACHE", "SQL_BUFFER_RESULT", "SQL_SMALL_RESULT", "SQL_BIG_RESULT"}


def opaque_statement(tokens: list[Token]) -> str:
    """The statement's name (``CHECK``, ``START SLAVE``) if no rule reads inside it, else ""."""
    words = [word(t) for t in tokens[:4]]
    head = words[0]
    if head in _OPAQUE:
        return head
    if head in ("START", "STOP") and words[1:2] and words[1] in _REPLICATION:
        return f"{head} {words[1]}"
    if head == "SET" and "TRANSACTION" in words[1:3]:
        return "SET TRANSACTION"
    if head == "DELETE" and words[1:2] == ["HISTORY"]:  # MariaDB system versioning
        return "DELETE HISTORY"
    # a labelled compound statement: `label: BEGIN`, `label: LOOP`
    if len(tokens) > 2 and tokens[1].token_type == TokenType.COLON and words[2] in _COMPOUND_AFTER_LABEL:
        return words[2]
    return ""


def rewrite(tokens: list[Token]) -> list[Token]:
    """Every rewrite of this module that applies to the statement."""
    head = word(tokens[0])
    if head in ("CREATE", "ALTER", "DROP"):
        tokens = _mysql8_column_syntax(_index_options(tokens))
        if head == "ALTER":
            tokens = _alter_table_words(tokens)
    elif head == "DELETE":
        tokens = _multi_table_delete_targets(tokens)
    elif head in ("SELECT", "WITH", "("):
        tokens = _select_into(tokens)
    return tokens


def _index_options(tokens: list[Token]) -> list[Token]:
    """``USING BTREE|HASH`` wherever MySQL allows it (``PRIMARY KEY USING BTREE (id)``,
    ``CREATE INDEX i USING HASH ON t``), and ``ALGORITHM``/``LOCK`` options after DROP INDEX
    ... ON t: dropped; no rule reads them."""
    out: list[Token] = []
    i, n = 0, len(tokens)
    drop_index = [word(t) for t in tokens[:2]] == ["DROP", "INDEX"]
    while i < n:
        w = word(tokens[i])
        if w == "USING" and i + 1 < n and word(tokens[i + 1]) in _INDEX_TYPES:
            i += 2
            continue
        if drop_index and w in ("ALGORITHM", "LOCK") and i + 1 < n:
            i += 3 if tokens[i + 1].token_type == TokenType.EQ and i + 2 < n else 2
            continue
        out.append(tokens[i])
        i += 1
    return out


def _alter_table_words(tokens: list[Token]) -> list[Token]:
    """``RENAME AS x`` is ``RENAME TO x``; MariaDB's ``ADD INDEX IF NOT EXISTS`` (and KEY,
    FOREIGN KEY, FULLTEXT/SPATIAL INDEX) loses the IF NOT EXISTS sqlglot rejects there."""
    out: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        w = word(token)
        if w == "AS" and out and word(out[-1]) == "RENAME":
            out.append(Token(TokenType.VAR, "TO", token.line, token.col, token.start, token.end))
            i += 1
            continue
        if (
            w == "IF"
            and out
            and word(out[-1]) in ("INDEX", "KEY")
            and [word(t) for t in tokens[i + 1 : i + 3]]
            == [
                "NOT",
                "EXISTS",
            ]
        ):
            i += 3
            continue
        out.append(token)
        i += 1
    return out


def _multi_table_delete_targets(tokens: list[Token]) -> list[Token]:
    """``DELETE t1.*, t2.* FROM ...`` and ``DELETE FROM t1.*, t2.* USING ...``: sqlglot
    takes only ``t1, t2`` there, which means the same."""
    words = [word(t) for t in tokens]
    if "USING" in words and "FROM" in words and words.index("FROM") < words.index("USING"):
        end = words.index("USING")
    elif "FROM" in words:
        end = words.index("FROM")
    else:
        return tokens
    out: list[Token] = []
    for i, token in enumerate(tokens[:end]):
        if token.token_type == TokenType.STAR and out and out[-1].token_type == TokenType.DOT:
            out.pop()
            continue
        out.append(token)
        del i
    return out + tokens[end:]


def _select_into(tokens: list[Token]) -> list[Token]:
    """``SELECT ... INTO OUTFILE 'f' [FIELDS ...]``, ``INTO DUMPFILE 'f'`` and ``INTO @a, @b``,
    before FROM or at the end: the INTO clause is cut (it says where rows go, not which rows
    are read); ``SQL_CACHE``-style modifiers and ASC/DESC in GROUP BY are dropped."""
    out: list[Token] = []
    depth = 0
    grouping = -1  # the depth of the GROUP BY list being read, -1 outside one
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        kind = token.token_type
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
        w = word(token)
        if w in _SELECT_MODIFIERS or (w in ("ASC", "DESC") and grouping == depth):
            i += 1  # MariaDB's GROUP BY a DESC orders the groups; no rule reads the order
            continue
        if w == "GROUP BY" or (w == "BY" and out and word(out[-1]) == "GROUP"):
            grouping = depth
        elif w in _AFTER_GROUP_BY or kind == TokenType.R_PAREN:
            grouping = -1
        if w == "INTO" and depth == 0:
            j = i + 1
            while j < n and not (depth == 0 and word(tokens[j]) in ("FROM", "UNION", "FOR", "LOCK")):
                j += 1
            i = j
            continue
        out.append(token)
        i += 1
    return out


_SPATIAL_TYPES = {
    "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
    "GEOMETRYCOLLECTION", "GEOMCOLLECTION",
}  # fmt: skip


def _mysql8_column_syntax(tokens: list[Token]) -> list[Token]:
    """Column syntax of CREATE/ALTER TABLE that sqlglot 30 rejects, made acceptable: spatial
    types other than GEOMETRY (read as GEOMETRY), ``SRID n``, CHECK's ``[NOT] ENFORCED``,
    ``VISIBLE``/``INVISIBLE`` after a column type and MariaDB's ``PERSISTENT`` (read as
    STORED); ``ZEROFILL UNSIGNED`` is read in the order sqlglot knows."""
    out: list[Token] = []
    skip = 0
    for i, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        w = word(token)
        previous = out[-1].token_type if out else None
        if w == "SRID" and i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.NUMBER:
            skip = 1
            continue
        if w == "ENFORCED" and previous in (TokenType.R_PAREN, TokenType.NOT):
            if previous == TokenType.NOT:
                out.pop()
            continue
        if w in ("VISIBLE", "INVISIBLE") and previous not in (TokenType.L_PAREN, TokenType.COMMA, None):
            if i + 1 < len(tokens) and tokens[i + 1].token_type in (TokenType.COMMA, TokenType.R_PAREN):
                continue
        if w == "PERIOD" and previous == TokenType.COMMA and [word(t) for t in tokens[i + 1 : i + 2]] == ["FOR"]:
            # MariaDB's application-time period `, PERIOD FOR p (a, b)`: no rule reads it
            opening = next((j for j in range(i, len(tokens)) if tokens[j].token_type == TokenType.L_PAREN), -1)
            try:
                close = closing(tokens, opening) if opening != -1 else -1
            except PartitionSyntaxError:
                close = -1
            if close != -1:
                out.pop()
                skip = close - i
                continue
        if w == "PERSISTENT" and previous == TokenType.R_PAREN:
            token = Token(TokenType.VAR, "STORED", token.line, token.col, token.start, token.end)
        if w == "UNSIGNED" and out and word(out[-1]) == "ZEROFILL":
            out.insert(len(out) - 1, token)
            continue
        if (
            w in _SPATIAL_TYPES
            and len(out) >= 2
            and out[-1].token_type in (TokenType.IDENTIFIER, TokenType.VAR)
            and out[-2].token_type in (TokenType.L_PAREN, TokenType.COMMA, TokenType.COLUMN)
        ):
            token = Token(TokenType.GEOMETRY, "GEOMETRY", token.line, token.col, token.start, token.end)
        out.append(token)
    return out
