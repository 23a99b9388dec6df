"""One DDL statement, judged against the schema as it stands just before it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guardrails.ddl.clauses import Op, operations
from guardrails.ddl.partition_rows import partition_advice
from guardrails.ddl.servers import Server
from guardrails.ddl.statements import (
    ALTER,
    CREATE_INDEX,
    CREATE_TABLE,
    DROP_INDEX,
    DROP_TABLE,
    RENAME_TABLE,
    TRUNCATE,
    Ddl,
    read_ddl,
    read_rename,
)
from guardrails.ddl.verdict import Session, Verdict, judge
from guardrails.sql.dialect import DIALECT
from guardrails.sql.partition_ddl import word
from guardrails.sql.schema import Schema, Table
from guardrails.sql.schema_replay import tokens_after_rename

if TYPE_CHECKING:
    from sqlglot.tokens import Token

# Statements without an ALGORITHM clause: what they risk, and why.
_WHOLE_TABLE = {
    DROP_TABLE: (["destructive", "backward-incompatible"], "DROP TABLE deletes the table and its rows"),
    TRUNCATE: (["destructive"], "TRUNCATE TABLE deletes every row"),
    RENAME_TABLE: (["backward-incompatible"], "RENAME TABLE breaks code that still uses the old name"),
    CREATE_TABLE: ([], "CREATE TABLE makes a new, empty table"),
}


@dataclass
class Reviewed:
    ddl: Ddl
    table: Table | None  # as it stood before the statement (a copy)
    ops: list[Op] = field(default_factory=list)
    verdict: Verdict = field(default_factory=lambda: Verdict("n/a", "n/a", False))


def read_statement(text: str, tokens: list[Token] | None = None) -> Ddl | None:
    """The statement's DDL (``tokens``: its tokens, where the caller has them already)."""
    tokens = DIALECT.tokenize(text) if tokens is None else tokens
    if not tokens:
        return None
    if word(tokens[0]) == "RENAME":
        return read_rename(tokens_after_rename(text, tokens))
    return read_ddl(text, tokens)


def review(ddl: Ddl, text: str, schema: Schema, server: Server, session: Session) -> Reviewed:
    table = schema.lookup(ddl.table, ddl.database) if ddl.table else None
    reviewed = Reviewed(ddl, table)
    if ddl.kind in _WHOLE_TABLE:
        risks, why = _WHOLE_TABLE[ddl.kind]
        reviewed.verdict = Verdict("n/a", "n/a", False, list(risks), [why])
        return reviewed
    assert ddl.kind in (ALTER, CREATE_INDEX, DROP_INDEX)
    if ddl.kind == DROP_INDEX:
        reviewed.ops = [Op("drop-index", ddl.clauses[0], ddl.clauses[0].tokens[-1].text)]
    else:
        for clause in ddl.clauses:
            reviewed.ops += operations(clause, table, text)
    reviewed.verdict = judge(reviewed.ops, table, server, session)
    for op in reviewed.ops:  # here, not in the rule: the replay resets row versions on this verdict's rebuild
        advice, rewrites = partition_advice(op, table)
        if advice:
            reviewed.verdict.reasons.append(advice)
            reviewed.verdict.rebuild = reviewed.verdict.rebuild or rewrites
    if table is None and ddl.kind == ALTER:
        reviewed.verdict.reasons.append(f"the schema model does not know {ddl.table}: judged without its columns")
    return reviewed
