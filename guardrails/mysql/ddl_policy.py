"""What ``guardrails db apply-schema`` agrees to run from a pull request's schema files.

The schema files come from the pull request, and CI often gives apply-schema a powerful
account, so only DDL that builds tables inside the scratch database passes: no statement
that reads data (``CREATE TABLE ... SELECT``, ``CREATE TABLE ... LIKE`` another database),
no name qualified with another database (``RENAME TABLE victim.t ...``, ``DROP TABLE
victim.t``), no function that waits, locks or reads files (``DEFAULT (LOAD_FILE(...))``),
no storage engine that reaches outside the server's own tables (CONNECT, FEDERATED),
no ``DATA DIRECTORY``. Judged from sqlglot's tokens (and its tree for views), never from
regular expressions over the text.
"""

from __future__ import annotations

from typing import Any

from guardrails.mysql.runner import FORBIDDEN_FUNCTIONS

ENGINES = frozenset({"INNODB", "MYISAM", "ARIA", "MEMORY", "HEAP"})
# Words that make a table DDL statement reach outside the scratch database's own tables.
_WORDS = {
    "DIRECTORY": "DATA/INDEX DIRECTORY writes outside the server's data directory",
    "CONNECTION": "CONNECTION= points a table at another server",
    "TABLESPACE": "a TABLESPACE is shared with other databases",
}


def refusal(statement: str, database: str) -> str | None:
    """Why this table DDL statement may not run in ``database``; None when it may."""
    from sqlglot.errors import SqlglotError
    from sqlglot.tokens import TokenType

    from guardrails.sql.dialect import DIALECT

    try:
        tokens = _tokens(statement)
    except SqlglotError:
        return "cannot read the statement"
    words = [t.text.upper() if t.token_type not in (TokenType.STRING, TokenType.IDENTIFIER) else "" for t in tokens]
    view = "VIEW" in words[:8]
    if "SELECT" in words and not view:
        return "... SELECT copies data the schema does not own"
    for i, word in enumerate(words):
        if word in _WORDS:
            return _WORDS[word]
        if word in FORBIDDEN_FUNCTIONS and i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.L_PAREN:
            return f"{word}() waits, locks or reads files"
        if word == "ENGINE":
            name = next((t.text.upper() for t in tokens[i + 1 : i + 3] if t.token_type != TokenType.EQ), "")
            if name not in ENGINES:
                return f"ENGINE={name} is not one of {', '.join(sorted(ENGINES))}"
        if word == "LIKE" and not view:
            qualified = _qualified(tokens[i + 1 : i + 4], database)
            if qualified:
                return f"LIKE {qualified} names a table outside {database!r}"
    if view:
        try:
            trees = [t for t in DIALECT.parse(statement) if t is not None]
        except (SqlglotError, RecursionError):
            trees = []
        if len(trees) != 1:
            return "cannot parse the view"
        tree = trees[0]
        return _view_refusal(tree, database)
    qualified = _qualified(tokens, database)
    return f"{qualified} names an object outside the database {database!r}" if qualified else None


def _tokens(statement: str) -> list[Any]:
    from guardrails.sql.dialect import DIALECT

    tokens = DIALECT.tokenize(statement)
    if tokens and tokens[0].text.upper() == "RENAME":
        # sqlglot's MySQL tokenizer reads what follows RENAME as one string: tokenize it again
        tokens = tokens[:1] + DIALECT.tokenize(statement[tokens[0].end + 1 :])
    return list(tokens)


def _qualified(tokens: list[Any], database: str) -> str | None:
    """The first ``db.name`` among the tokens whose db is not ``database``."""
    from sqlglot.tokens import TokenType

    for i in range(1, len(tokens) - 1):
        if tokens[i].token_type == TokenType.DOT and tokens[i - 1].token_type != TokenType.NUMBER:
            owner = tokens[i - 1].text
            if owner.lower() != database.lower():
                return f"{owner}.{tokens[i + 1].text}"
    return None


def _view_refusal(tree: Any, database: str) -> str | None:
    from sqlglot import exp

    outside = [f"{t.db}.{t.name}" for t in tree.find_all(exp.Table) if t.db and t.db.lower() != database.lower()]
    outside += [f"{c.db}.{c.table}" for c in tree.find_all(exp.Column) if c.db and c.db.lower() != database.lower()]
    if outside:
        return f"{outside[0]} names a table outside the database {database!r}"
    for func in tree.find_all(exp.Func):
        name = func.name if isinstance(func, exp.Anonymous) else func.sql_name()
        if name.upper() in FORBIDDEN_FUNCTIONS:
            return f"{name.upper()}() waits, locks or reads files"
        if isinstance(func.parent, exp.Dot):
            return f"{func.parent.sql()} calls a stored function"
    return None
