"""insert-ignore: IGNORE turns errors into warnings nobody reads, and rows silently vanish."""
# guardrails:ignore-file[insert-ignore] the rule documentation quotes the statement it forbids

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Severity
from guardrails.rules import Rule, RuleContext
from guardrails.sql.code.builders import QueryBuilderCall
from guardrails.sql.statement import SqlParseError, SqlStatement

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
CONSEQUENCE = "errors become warnings, rows silently lost or changed"
HELP = (
    "IGNORE is usually meant for duplicate keys, but MySQL applies it to every error the statement "
    "raises: duplicate keys, values truncated to fit a column, invalid values, NULL into NOT NULL "
    "columns and foreign-key violations all become warnings that no application reads, so rows are "
    "silently lost or altered. Instead: "
    + "; ".join(f"{VERB[kind]}: {advice}" for kind, advice in INSTEAD.items())
    + ". Through a query builder or ORM, use its upsert (the finding's `fix` property names it)."
)


def check(unit: SqlStatement | QueryBuilderCall, ctx: RuleContext) -> Iterator[Finding]:
    if isinstance(unit, QueryBuilderCall):
        yield from _builder_call(unit, ctx)
        return
    try:
        parsed = unit.parse()
    except SqlParseError:
        # A statement that does not parse (a template, a placeholder standing for a clause)
        # still shows its IGNORE keyword to the tokenizer; parse-error says what was not read.
        yield from _by_keyword(unit, ctx)
        return
    if parsed.expression.meta.get("opaque"):
        # compound-statement syntax outside a routine (IF ... THEN INSERT IGNORE ...): tokens only
        yield from _by_keyword(unit, ctx)
        return
    kind = type(parsed.expression).__name__
    if not parsed.expression.args.get("ignore") or parsed.ignore_token is None or kind not in VERB:
        return
    yield _finding(unit, ctx, kind, parsed.ignore_token.start, parsed.ignore_token.end, "parsed")


def _by_keyword(unit: SqlStatement, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.sql.token_level import ignore_keywords, tokens_of

    if unit.too_large:  # read piece by piece, so memory stays bounded (guardrails.sql.token_stream)
        for kind, start, end in unit.read_tokens().ignores:
            yield _finding(unit, ctx, kind, start, end, "keywords")
        return
    for kind, token in ignore_keywords(tokens_of(unit.text) or []):
        yield _finding(unit, ctx, kind, token.start, token.end, "keywords")


def _finding(unit: SqlStatement, ctx: RuleContext, kind: str, start: int, end: int, read: str) -> Finding:
    line, _ = unit.positions(0)
    return ctx.finding(
        unit.location(start, end + 1),
        f"{VERB[kind]}: {CONSEQUENCE}",
        properties={"verb": VERB[kind], "fix": INSTEAD[kind], "read": read},
        statement_line=str(line),
        subject=unit.subject,  # the fingerprint follows the statement, wherever it moves
    )


def _builder_call(call: QueryBuilderCall, ctx: RuleContext) -> Iterator[Finding]:
    """A query builder or ORM call that makes the statement IGNORE without the word in SQL."""
    if call.modifier != "IGNORE":
        return
    yield ctx.finding(
        call.location,
        f"{call.api} builds {call.verb} IGNORE on MySQL: rows silently lost",
        properties={"verb": f"{call.verb} IGNORE", "fix": call.instead, "api": call.api, "read": "builder"},
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
    help=HELP,
    details=(
        "Flagged: the IGNORE modifier of INSERT, UPDATE and DELETE (after LOW_PRIORITY, DELAYED, "
        "HIGH_PRIORITY, QUICK and optimizer hints), LOAD DATA/XML ... INFILE 'f' IGNORE, and ALTER "
        "[ONLINE] IGNORE TABLE; in .sql files (inside /*!NNNNN */ version comments and stored-program "
        "bodies too), in SQL strings of Go, Python, Java, PHP, Ruby, TypeScript and JavaScript, and "
        "through builders and ORMs that render IGNORE on MySQL (squirrel, GORM, SQLAlchemy, Django, "
        "peewee, Laravel, Sequel, activerecord-import, knex, kysely, TypeORM, jOOQ, core-ng). A "
        "statement that does not parse (a template whose placeholder stands for a clause) is read "
        "token by token: IGNORE right after the statement keyword and its modifiers is still found, "
        "at its exact place; so is a statement too large to parse (over 1 MB), in bounded pieces. "
        "Not flagged: IGNORE n LINES, a column named `ignore`, text in quotes "
        "and comments, log messages."
    ),
    properties={
        "verb": "the statement form, e.g. INSERT IGNORE",
        "fix": "what to write instead, with the same API where the IGNORE comes from a builder",
        "api": "the builder or ORM call that sets IGNORE (builder findings only)",
        "read": "parsed (the statement parsed), keywords (read from its tokens) or builder",
    },
)
