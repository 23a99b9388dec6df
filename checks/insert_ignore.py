"""insert-ignore: IGNORE turns errors into warnings nobody reads, and rows silently vanish."""
# guardrails:ignore-file[insert-ignore] the rule documentation quotes the statement it forbids

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Severity
from guardrails.rules import Rule, RuleContext
from guardrails.sql.code.builders import QueryBuilderCall
from guardrails.sql.statement import SqlParseError, SqlStatement

WHAT_IT_SWALLOWS = (
    "IGNORE turns duplicate keys, truncation, invalid values, NULL into NOT NULL and foreign-key "
    "errors into warnings nobody reads, so rows are silently lost or altered"
)
INSTEAD = {
    "Insert": "use INSERT ... ON DUPLICATE KEY UPDATE, or catch duplicate-key error 1062 explicitly",
    "Update": "use a plain UPDATE and catch duplicate-key error 1062 explicitly",
    "Delete": "use a plain DELETE and handle the foreign-key error explicitly",
    "LoadData": "load without IGNORE into a staging table and check SHOW WARNINGS",
    "Alter": "remove the duplicates first, then ALTER without IGNORE",
}
VERB = {
    "Insert": "INSERT IGNORE",
    "Update": "UPDATE IGNORE",
    "Delete": "DELETE IGNORE",
    "LoadData": "LOAD DATA ... IGNORE",
    "Alter": "ALTER IGNORE TABLE",
}


def check(unit: SqlStatement | QueryBuilderCall, ctx: RuleContext) -> Iterator[Finding]:
    if isinstance(unit, QueryBuilderCall):
        yield from _builder_call(unit, ctx)
        return
    try:
        parsed = unit.parse()
    except SqlParseError:
        return  # the parse-error finding is the engine's; nothing to claim here
    kind = type(parsed.expression).__name__
    if not parsed.expression.args.get("ignore") or parsed.ignore_token is None or kind not in VERB:
        return
    token = parsed.ignore_token
    line, _ = unit.positions(0)
    yield ctx.finding(
        unit.location(token.start, token.end + 1),
        f"{VERB[kind]}: {WHAT_IT_SWALLOWS}; {INSTEAD[kind]}",
        statement_line=str(line),
    )


def _builder_call(call: QueryBuilderCall, ctx: RuleContext) -> Iterator[Finding]:
    """A query builder or ORM call that makes the statement IGNORE without the word in SQL."""
    if call.modifier != "IGNORE":
        return
    yield ctx.finding(
        call.location,
        f"{call.api} builds {call.verb} IGNORE: {WHAT_IT_SWALLOWS}; {call.instead}",
        statement_line=str(call.location.line),
    )


RULE: Rule[SqlStatement | QueryBuilderCall] = Rule(
    id="insert-ignore",
    summary="INSERT/UPDATE/DELETE IGNORE, LOAD DATA ... IGNORE and ALTER IGNORE silently drop rows",
    severity=Severity.ERROR,
    incident=(
        "An incident review found that INSERT IGNORE had silently dropped rows for weeks. IGNORE is "
        "usually meant for duplicate keys, but MySQL applies it to every error the statement raises: "
        "values truncated to fit a column, invalid dates, NULL into NOT NULL columns and foreign-key "
        "violations all become warnings that no application reads. The team deprecated IGNORE; this "
        "rule makes the deprecation stick, in .sql files, in SQL inside application code and through "
        "query builders."
    ),
    bad="INSERT IGNORE INTO user_emails (user_id, email) VALUES (?, ?);",
    good=("INSERT INTO user_emails (user_id, email) VALUES (?, ?)\nON DUPLICATE KEY UPDATE email = VALUES(email);"),
    input="sql",
    units=(SqlStatement, QueryBuilderCall),
    check=check,
)
