"""Where a query string goes after its literal: the appends that finish it, and where it
leaves what the file shows.

Each language reader follows the variable that holds a literal through its function (and,
when the function returns it, through the callers in the same file) and reports every
``Path`` the text takes to a call that runs it. This module turns those paths into the
statement's ``completions``: the literal with the appends known for certain (a string
appended in the same block), and why the rest is open (an append under a condition or of a
value not written here, a return to code outside the file, a call that does not run it, a
field).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guardrails.sql.code.assemble import Literal, to_statement
from guardrails.sql.statement import Completion, Finish, SqlParseError, SqlStatement

# Callee names (lower-case, leading underscores dropped) that run the query they are given:
# database drivers and the wrappers named after them (db.Query, cursor.execute, $pdo->prepare,
# sqlx.Select, $wpdb->get_results, fetch_all, ...). A query passed to another call has left
# what this file shows: that call may add to it before running it.
RUNS_PREFIXES = (
    "query", "exec", "prepare", "fetch", "select", "must", "raw", "run", "get", "find", "insert",
    "update", "delete", "replace", "count", "scan", "iterate", "stream", "paginate", "mysql",
    "pg_", "db_", "sql", "perform", "do_query", "read", "load", "all", "one", "first",
)  # fmt: skip
# Calls that only look at the text (its length, a copy): a use that neither runs nor changes it.
LOOKS_ONLY = frozenset({"len", "str", "repr", "bool", "isinstance", "strlen", "empty", "isset", "trim", "TrimSpace"})


@dataclass
class Append:
    """Text appended to the query: ``literal`` None when it is not a string written here."""

    literal: Literal | None
    line: int
    conditional: bool  # under an if, a loop, a case or an error handler the literal is not in


@dataclass
class Path:
    """The appends on one way from the literal to where it runs, and where it is still open."""

    appends: list[Append] = field(default_factory=list)
    open_at: str = ""


def runs_query(callee: str) -> bool:
    name = callee.lower().lstrip("_")
    return name.startswith(RUNS_PREFIXES)


def tail(literal: Literal) -> Literal:
    """The literal without its first piece: ``sql + " AND ..."`` without the ``sql``."""
    rest = Literal()
    text = literal.text
    ends = [offset for offset, _, _ in literal.segments[1:]] + [literal.size]
    for (offset, line, column), end in list(zip(literal.segments, ends, strict=True))[1:]:
        rest.verbatim(text[offset:end], line, column)
    return rest


def completions(statement: SqlStatement, base: Literal, paths: list[Path]) -> list[Completion]:
    """The statement's completions; empty when every path runs the literal as written."""
    out: list[Completion] = []
    as_written = False
    for path in paths:
        known = [a for a in path.appends if a.literal is not None and not a.conditional]
        unknown = next((a for a in path.appends if a.literal is None or a.conditional), None)
        open_at = path.open_at
        if unknown is not None and not open_at:
            how = "under a condition" if unknown.conditional else "with a value not written here"
            open_at = f"appended to {how} at line {unknown.line}"
        if not known and not open_at:
            as_written = True
            continue
        out.append(Completion(statement, open_at, _finisher(statement, base, known) if known else None))
    if out and as_written:
        out.append(Completion(statement))  # one way runs the literal as written
    return out


def _finisher(statement: SqlStatement, base: Literal, known: list[Append]) -> Finish:
    def finish() -> tuple[SqlStatement | None, str]:
        whole = Literal()
        whole.extend(base)
        for append in known:
            assert append.literal is not None
            whole.extend(append.literal)
        assembled = to_statement(statement.path, whole, statement.origin)
        if assembled is not None and _parses(assembled):
            return assembled, ""
        return None, f"appended to at line {known[0].line}, and the whole text does not read as SQL"

    return finish


def _parses(statement: SqlStatement) -> bool:
    try:
        statement.parse()
    except SqlParseError:
        return False
    return True
