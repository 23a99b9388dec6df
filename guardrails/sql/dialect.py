"""sqlglot's MySQL dialect, extended where real MySQL goes beyond it.

sqlglot rejects statement modifiers MySQL accepts (``UPDATE IGNORE``, ``DELETE
LOW_PRIORITY QUICK IGNORE``, ``INSERT DELAYED IGNORE``, ``ALTER IGNORE
TABLE``) and knows only Hive's ``LOAD DATA INPATH``. The compiled parser that
sqlglotc installs cannot be subclassed from Python ("interpreted classes cannot
inherit from compiled"), so this dialect subclass extends sqlglot at the token
level: it takes the modifiers out of the token stream, records them on the
parsed expression (``args["ignore"]``, ``meta["modifiers"]``), and parses
MySQL's ``LOAD DATA ... INFILE`` head from tokens itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import ParseError
from sqlglot.tokens import Token, TokenType

from guardrails.sql.rewrites import opaque_statement, rewrite
from guardrails.sql.routine_kind import routine_kind

# Modifiers between the statement keyword and its target, per statement.
_MODIFIERS = {
    TokenType.INSERT: {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"},
    TokenType.REPLACE: {"LOW_PRIORITY", "DELAYED"},
    TokenType.UPDATE: {"LOW_PRIORITY", "IGNORE"},
    TokenType.DELETE: {"LOW_PRIORITY", "QUICK", "IGNORE"},
    TokenType.ALTER: {"ONLINE", "OFFLINE", "IGNORE"},
}


@dataclass
class Parsed:
    expression: exp.Expr
    tokens: list[Token]
    ignore_token: Token | None  # the IGNORE modifier keyword, where the statement has one
    # CREATE/ALTER TABLE: the partitioning clause or operation, cut off before sqlglot parsed the rest
    partition_clause: list[Token] = field(default_factory=list)


class GuardrailsMySQL(MySQL):
    """MySQL as guardrails reads it; ``parse_statement`` is the entry point."""

    def parse_statement(self, sql: str) -> Parsed:
        tokens = self.tokenize(sql)
        if not tokens:
            raise ParseError("empty statement")
        head = tokens[0].token_type
        if head == TokenType.LOAD:
            return _parse_load_data(tokens, sql)
        opaque = opaque_statement(tokens)
        if opaque:
            # not a query (administration, replication, compound-statement syntax): nothing a
            # rule parses, though insert-ignore reads its tokens (IF ... THEN INSERT IGNORE ...)
            command = exp.Command(this=opaque)
            command.meta["opaque"] = True
            return Parsed(command, tokens, None)
        kind = routine_kind(tokens)
        if kind:
            # compound statements are beyond sqlglot; their bodies are checked statement by
            # statement (guardrails.sql.routines.expand_routine)
            return Parsed(exp.Command(this="CREATE", expression=exp.Literal.string(kind)), tokens, None)
        tokens_for_sqlglot, partition_clause = _split_partition_clause(rewrite(tokens))
        modifiers, ignore, rest = _take_modifiers(tokens_for_sqlglot)
        if ignore is None and not modifiers:
            rest = tokens_for_sqlglot
        elif head == TokenType.INSERT and ignore is not None:
            # sqlglot parses INSERT [hints] IGNORE itself; only the other modifiers are in its way.
            hints = [t for t in rest[1:] if t.token_type == TokenType.HINT]
            rest = [rest[0], *hints, ignore, *rest[1 + len(hints) :]]
        # MySQL accepts one trailing ";" (then only comments): sqlglot makes it an empty statement
        parsed = [e for e in self.parser().parse(rest, sql) if e is not None and not isinstance(e, exp.Semicolon)]
        if len(parsed) != 1:
            raise ParseError(f"expected one statement, found {len(parsed)}")
        expression = parsed[0]
        if ignore is not None:
            expression.set("ignore", True)
        if modifiers:
            expression.meta["modifiers"] = modifiers
        return Parsed(expression, tokens, ignore, partition_clause)


# Words that open a partitioning clause or operation in CREATE TABLE / ALTER TABLE.
_PARTITION_OPENERS = {
    ("PARTITION", "BY"),
    ("ADD", "PARTITION"),
    ("DROP", "PARTITION"),
    ("TRUNCATE", "PARTITION"),
    ("REORGANIZE", "PARTITION"),
    ("COALESCE", "PARTITION"),
    ("REMOVE", "PARTITIONING"),
    ("EXCHANGE", "PARTITION"),
    ("ANALYZE", "PARTITION"),
    ("CHECK", "PARTITION"),
    ("OPTIMIZE", "PARTITION"),
    ("REBUILD", "PARTITION"),
    ("REPAIR", "PARTITION"),
    ("DISCARD", "PARTITION"),
    ("IMPORT", "PARTITION"),
}


def _split_partition_clause(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """Cut the partitioning clause off a CREATE/ALTER TABLE: sqlglot 30 parses few of its
    forms. MySQL allows it only as the last clause, so everything from its first word on
    is the clause; the tokens are kept for the schema model (guardrails.sql.schema)."""
    if len(tokens) < 3 or tokens[0].token_type not in (TokenType.CREATE, TokenType.ALTER):
        return tokens, []
    if not any(t.token_type == TokenType.TABLE for t in tokens[1:4]):
        return tokens, []
    depth = 0
    for i in range(2, len(tokens) - 1):
        kind = tokens[i].token_type
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and not _quoted(tokens[i]):
            word = tokens[i].text.upper()
            # the tokenizer reads "PARTITION BY" as one token
            if word == "PARTITION BY" or (word, tokens[i + 1].text.upper()) in _PARTITION_OPENERS:
                end = i - 1 if tokens[i - 1].token_type == TokenType.COMMA else i
                return tokens[:end], tokens[i:]
    return tokens, []


def _take_modifiers(tokens: list[Token]) -> tuple[list[str], Token | None, list[Token]]:
    """Split leading modifiers off: (modifier words, the IGNORE token, remaining tokens).
    Optimizer hints (``/*+ ... */``) stay where they are; sqlglot reads them."""
    allowed = _MODIFIERS.get(tokens[0].token_type)
    if allowed is None:
        return [], None, tokens
    if tokens[0].token_type == TokenType.INSERT:
        allowed = allowed | {"IGNORE"}
    kept = [tokens[0]]
    modifiers: list[str] = []
    ignore: Token | None = None
    i = 1
    while i < len(tokens):
        token = tokens[i]
        if token.token_type == TokenType.HINT:
            kept.append(token)
        elif token.text.upper() in allowed and not _quoted(token):
            if token.text.upper() == "IGNORE":
                ignore = token
            else:
                modifiers.append(token.text.upper())
        else:
            break
        i += 1
    return modifiers, ignore, kept + tokens[i:]


def _quoted(token: Token) -> bool:
    return token.token_type in (TokenType.IDENTIFIER, TokenType.STRING)


def _parse_load_data(tokens: list[Token], sql: str) -> Parsed:
    """LOAD DATA [LOW_PRIORITY|CONCURRENT] [LOCAL] INFILE 'file' [REPLACE|IGNORE]
    INTO TABLE tbl ... (the clauses after the table do not matter to any rule)."""
    words = [t.text.upper() if not _quoted(t) else None for t in tokens]
    i = 1
    if i >= len(words) or words[i] not in ("DATA", "XML"):
        raise ParseError("expected DATA or XML after LOAD")
    i += 1
    local = False
    while i < len(words) and words[i] in ("LOW_PRIORITY", "CONCURRENT", "LOCAL"):
        local = local or words[i] == "LOCAL"
        i += 1
    # the file: a string, or a placeholder standing for one (``INFILE ?`` in application code)
    file_kinds = (TokenType.STRING, TokenType.PLACEHOLDER, TokenType.VAR, TokenType.PARAMETER)
    if i + 1 >= len(tokens) or words[i] != "INFILE" or tokens[i + 1].token_type not in file_kinds:
        raise ParseError("expected INFILE 'file_name' in LOAD DATA")
    infile = tokens[i + 1].text
    i += 2
    ignore: Token | None = None
    if i < len(words) and words[i] in ("REPLACE", "IGNORE"):
        if words[i] == "IGNORE":
            ignore = tokens[i]
        i += 1
    if words[i : i + 2] != ["INTO", "TABLE"] or i + 2 >= len(tokens):
        raise ParseError("expected INTO TABLE in LOAD DATA")
    i += 2
    name = [tokens[i].text]
    while i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.DOT:
        name.append(tokens[i + 2].text)
        i += 2
    table = exp.to_table(".".join(f"`{part}`" for part in name), dialect="mysql")
    expression = exp.LoadData(this=table, local=local, inpath=exp.Literal.string(infile))
    if ignore is not None:
        expression.set("ignore", True)
    return Parsed(expression, tokens, ignore)


# sqlglot logs a warning for every statement it falls back to an opaque Command for;
# those are not the user's problem, and parse errors are reported as findings.
logging.getLogger("sqlglot").setLevel(logging.ERROR)
DIALECT = GuardrailsMySQL()
