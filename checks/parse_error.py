"""parse-error: input that could not be parsed is reported, never a crash."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Severity
from guardrails.rules import Rule, RuleContext
from guardrails.sql.statement import SqlParseError, SqlStatement, StatementTooLarge


def check(unit: SqlStatement, ctx: RuleContext) -> Iterator[Finding]:
    """Statements that do not parse. (Loaders report unreadable files and other inputs
    themselves.) SQL in application code counts when it is clearly a statement
    (guardrails.sql.token_level): often a template whose placeholder stands for a clause,
    so it is a notice there, whatever the configured severity."""
    try:
        unit.parse()
    except StatementTooLarge as exc:
        yield from _too_large(unit, ctx, str(exc))
    except SqlParseError as exc:
        first_line, _ = unit.positions(0)
        location = unit.location(exc.offset, exc.offset + 1)
        if unit.origin == "sql":
            yield ctx.finding(location, f"cannot parse this statement as MySQL: {exc}", statement_line=str(first_line))
        else:
            yield ctx.finding(
                location,
                f"SQL read by keyword only ({exc})",
                statement_line=str(first_line),
                at_most="notice",
            )


def _too_large(unit: SqlStatement, ctx: RuleContext, message: str) -> Iterator[Finding]:
    """A notice that the statement was read by its tokens only, and a finding at every piece
    of it the tokenizer could not read either."""
    first_line, _ = unit.positions(0)
    read = unit.read_tokens()
    properties = {"characters": len(unit.text), "pieces": read.pieces, "unreadable_pieces": len(read.unreadable)}
    # "distinct": a dump's statement is one line, and the engine keeps one parse-error per line
    # unless told these are separate facts
    location = unit.location(0, 1)
    yield ctx.finding(
        location, message, statement_line=str(first_line), at_most="notice", properties=properties, distinct="1"
    )
    for offset, reason in read.unreadable:
        location = unit.location(offset, offset + 1)
        yield ctx.finding(location, f"cannot read this part of a too-large statement: {reason}", distinct="1")


RULE: Rule[SqlStatement] = Rule(
    id="parse-error",
    summary="Input that could not be parsed (reported, never a crash)",
    severity=Severity.WARNING,
    incident=(
        "A check that silently skips a file it cannot read gives a false all-clear: the one "
        "statement it could not parse may be the one that causes the outage. Every file guardrails "
        "could not read or parse is reported at the place it failed, and the other files are still "
        "checked. The default severity is warning so that a parser gap in guardrails never blocks "
        "a merge on its own; raise it to error to insist on parseable input."
    ),
    bad="INSERT INTO t VALUES (1;",
    good="INSERT INTO t VALUES (1);",
    input="sql",
    units=(SqlStatement,),
    check=check,
    help=(
        "What guardrails could not read, it could not check: rules that need the parsed statement "
        "(partition-pruning, explain-plan) skipped it; insert-ignore still read its keywords. "
        "Fix the syntax, or suppress with a reason if MySQL accepts it. SQL in code that is a "
        "template (a placeholder standing for a table, a clause or a sub-select) is reported as a "
        "notice: the IGNORE keyword is still found in it, the rest is unchecked. A statement over "
        "1 MB is not parsed (parsing takes about 170 MB of memory per MB): a notice says so, "
        "insert-ignore still reads its tokens, and the rules that need the parsed statement skip "
        "it. Split it (for a dump: mysqldump --net-buffer-length) to have it checked in full."
    ),
    details=(
        "A statement of a .sql file that sqlglot's MySQL dialect (as extended by guardrails) "
        "rejects is reported at the token where parsing failed, saying in SQL's words what could not "
        "be read there (a parenthesis not closed, an incomplete comparison, an unterminated quote; "
        "guardrails.sql.parse_errors), never the parser's own class names. A string "
        "in application code is reported only when its keywords stand where a statement's grammar "
        "puts them (INSERT ... INTO ... VALUES/SELECT/SET, UPDATE ... SET ... =, DELETE ... FROM, "
        "SELECT ... FROM, ALTER TABLE, CREATE/DROP of an object, LOAD DATA ... INFILE), and then as "
        "a notice. Files that cannot be read (binary, too large, a syntax error in the code itself) "
        "are reported by the input that reads them. A statement longer than 1,048,576 characters "
        "is a notice (whatever the configured severity) and is read in pieces of about 64 K "
        "characters cut outside quotes and comments, so memory stays bounded; a piece the "
        "tokenizer cannot read is a finding at that piece, at the configured severity."
    ),
    properties={
        "characters": "too-large notice: the statement's length in characters",
        "pieces": "too-large notice: how many pieces its tokens were read in",
        "unreadable_pieces": "too-large notice: how many of those the tokenizer could not read",
    },
)
