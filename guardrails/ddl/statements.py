"""Read one DDL statement into its target table and its clauses, from sqlglot's tokens.

sqlglot parses column definitions and keys well but falls back to an opaque Command for
table options (``ROW_FORMAT=``, ``CONVERT TO CHARACTER SET``), partition maintenance and
MariaDB's ``WAIT n``; so the statement is split here into top-level clauses by tokens, and
only a clause's column definition goes to sqlglot (guardrails.ddl.clauses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot.tokens import Token, TokenType

from guardrails.sql.partition_ddl import top_level, word
from guardrails.sql.schema_replay import skip_words, table_name_at

# Statements ddl-review judges, by their first words.
ALTER, CREATE_INDEX, DROP_INDEX, CREATE_TABLE, DROP_TABLE, RENAME_TABLE, TRUNCATE = (
    "ALTER TABLE",
    "CREATE INDEX",
    "DROP INDEX",
    "CREATE TABLE",
    "DROP TABLE",
    "RENAME TABLE",
    "TRUNCATE TABLE",
)


@dataclass
class Clause:
    """One comma-separated part of an ALTER TABLE (or the whole of CREATE/DROP INDEX)."""

    tokens: list[Token]
    text: str  # as written
    start: int  # offset in the statement
    end: int

    @property
    def words(self) -> list[str]:
        return [word(t) for t in self.tokens]


@dataclass
class Ddl:
    kind: str  # one of the statement kinds above
    table: str  # as written, without the database
    database: str = ""
    tables: list[tuple[str, str]] = field(default_factory=list)  # DROP/RENAME/TRUNCATE: every (db, name)
    clauses: list[Clause] = field(default_factory=list)
    algorithm: str = ""  # an ALGORITHM= the statement already pins
    lock: str = ""
    wait: bool = False  # MariaDB WAIT n / NOWAIT after the table name
    head_end: int = 0  # offset just past the table name (where WAIT would go)


def read_ddl(text: str, tokens: list[Token]) -> Ddl | None:
    """The DDL statement in ``tokens``, or None for anything else (DML, SET, views, routines)."""
    words = [word(t) for t in tokens[:8]]
    try:
        if words[:1] == ["ALTER"]:
            i = 1
            while i < len(words) and words[i] in ("ONLINE", "OFFLINE", "IGNORE"):
                i += 1
            if words[i : i + 1] == ["TABLE"]:
                return _alter(text, tokens, skip_words(tokens, i + 1, "IF", "EXISTS"))
            return None
        if words[:1] == ["CREATE"]:
            i = 1
            i = skip_words(tokens, i, "OR", "REPLACE")
            while i < len(words) and words[i] in ("ONLINE", "OFFLINE", "UNIQUE", "FULLTEXT", "SPATIAL", "TEMPORARY"):
                i += 1
            if words[i : i + 1] == ["INDEX"]:
                return _create_index(text, tokens, i + 1)
            if words[i : i + 1] == ["TABLE"]:
                _, name, _ = table_name_at(tokens, skip_words(tokens, i + 1, "IF", "NOT", "EXISTS"))
                return Ddl(CREATE_TABLE, name)
            return None
        if words[:2] == ["DROP", "INDEX"] or words[:3] in (["DROP", "ONLINE", "INDEX"], ["DROP", "OFFLINE", "INDEX"]):
            return _drop_index(text, tokens, words.index("INDEX") + 1)
        if words[:1] == ["DROP"] and "TABLE" in words[1:3]:
            return _table_list(DROP_TABLE, tokens, skip_words(tokens, words.index("TABLE") + 1, "IF", "EXISTS"))
        if words[:2] == ["TRUNCATE", "TABLE"] or words[:1] == ["TRUNCATE"]:
            return _table_list(TRUNCATE, tokens, 2 if words[1:2] == ["TABLE"] else 1)
    except IndexError:
        return None
    return None


def read_rename(tokens: list[Token]) -> Ddl | None:
    """RENAME TABLE a TO b[, c TO d]: sqlglot's tokenizer needs the text after RENAME retokenized."""
    if not tokens or word(tokens[0]) != "TABLE":
        return None
    ddl = Ddl(RENAME_TABLE, "")
    i = 1
    while i < len(tokens):
        db, name, i = table_name_at(tokens, i)
        ddl.tables.append((db, name))
        i = skip_words(tokens, i, "TO")
        if i < len(tokens):
            _, _, i = table_name_at(tokens, i)
        if i < len(tokens) and tokens[i].token_type == TokenType.COMMA:
            i += 1
    if ddl.tables:
        ddl.database, ddl.table = ddl.tables[0]
    return ddl


def _table_list(kind: str, tokens: list[Token], i: int) -> Ddl:
    ddl = Ddl(kind, "")
    while i < len(tokens) and word(tokens[i]) not in ("RESTRICT", "CASCADE"):
        db, name, i = table_name_at(tokens, i)
        ddl.tables.append((db, name))
        if i < len(tokens) and tokens[i].token_type == TokenType.COMMA:
            i += 1
    if ddl.tables:
        ddl.database, ddl.table = ddl.tables[0]
    return ddl


def _alter(text: str, tokens: list[Token], i: int) -> Ddl:
    database, name, i = table_name_at(tokens, i)
    ddl = Ddl(ALTER, name, database)
    ddl.head_end = tokens[i - 1].end + 1
    if i < len(tokens) and word(tokens[i]) in ("WAIT", "NOWAIT"):
        ddl.wait = True
        i += 2 if word(tokens[i]) == "WAIT" else 1
    _split(ddl, text, tokens, i)
    return ddl


def _create_index(text: str, tokens: list[Token], i: int) -> Ddl | None:
    """CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name [USING t] ON table (cols) [options]: an ADD clause."""
    on = next((k for k in range(i, len(tokens)) if word(tokens[k]) == "ON"), None)
    if on is None:
        return None
    database, name, after = table_name_at(tokens, on + 1)
    ddl = Ddl(CREATE_INDEX, name, database)
    modifiers = [t for t in tokens[1:i] if word(t) in ("UNIQUE", "FULLTEXT", "SPATIAL")]
    index_name = tokens[i : on if on > i else i]
    # rewritten as the ALTER clause it is: ADD [kind] INDEX name (cols) [options]
    rest = tokens[after:]
    clause_tokens = [tokens[0], *modifiers, tokens[i - 1], *index_name, *rest]  # CREATE reads as ADD
    ddl.clauses.append(Clause(clause_tokens, text[tokens[0].start :], tokens[0].start, len(text)))
    _pinned(ddl, rest)
    return ddl


def _drop_index(text: str, tokens: list[Token], i: int) -> Ddl | None:
    on = next((k for k in range(i, len(tokens)) if word(tokens[k]) == "ON"), None)
    if on is None:
        return None
    database, name, after = table_name_at(tokens, on + 1)
    ddl = Ddl(DROP_INDEX, name, database)
    ddl.clauses.append(Clause([tokens[0], tokens[i - 1], *tokens[i:on]], text, 0, len(text)))
    _pinned(ddl, tokens[after:])
    return ddl


def _pinned(ddl: Ddl, tokens: list[Token]) -> None:
    for k, token in enumerate(tokens):
        w = word(token)
        if w in ("ALGORITHM", "LOCK"):
            j = k + 1 + (k + 1 < len(tokens) and tokens[k + 1].token_type == TokenType.EQ)
            if j < len(tokens):
                setattr(ddl, w.lower(), tokens[j].text.upper())


def _split(ddl: Ddl, text: str, tokens: list[Token], i: int) -> None:
    """The clauses between top-level commas; ALGORITHM= and LOCK= are recorded, not clauses.

    PARTITION BY and partition maintenance run to the end of the statement (their own
    parenthesised lists hold the commas)."""
    cuts = [k for k in top_level(tokens, i) if tokens[k].token_type == TokenType.COMMA]
    start = i
    for end in [*cuts, len(tokens)]:
        part = tokens[start:end]
        start = end + 1
        if not part:
            continue
        if word(part[0]) in ("ALGORITHM", "LOCK"):
            _pinned(ddl, part)
            continue
        if len(part) == 1 and ddl.clauses and ddl.clauses[-1].words[1:2] == ["PARTITION"]:
            last = ddl.clauses[-1]  # DROP PARTITION p1, p2: the names belong to one clause
            last.tokens.extend(part)
            last.end = part[-1].end + 1
            last.text = text[last.start : last.end]
            continue
        ddl.clauses.append(Clause(part, text[part[0].start : part[-1].end + 1], part[0].start, part[-1].end + 1))
