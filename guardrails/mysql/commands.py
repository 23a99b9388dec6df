"""``guardrails db apply-schema``: build a scratch database from the repository's ``sql.schema``.

CI runs it before ``guardrails run`` so the live checks EXPLAIN against the
repository's own tables. It is an operator's command, run on purpose against a
throw-away database, and the only code besides the EXPLAIN runner that opens a
connection: it executes table DDL only (CREATE/ALTER/DROP/RENAME TABLE,
CREATE/DROP INDEX, CREATE/DROP VIEW) from the schema files in file-name order,
skips anything else (data, procedures, grants) with a note, refuses table DDL that
reaches outside the scratch database (guardrails.mysql.ddl_policy), limits each
statement to STATEMENT_TIME_LIMIT_S, refuses a database
that already has tables unless ``--reset`` (which drops and re-creates it), and
never prints the DSN password. Exit 0 when every statement applied, 2 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any, TextIO

from guardrails.sql.settings import SqlSettings

TABLE_OBJECTS = ("TABLE", "INDEX", "VIEW")
STATEMENT_TIME_LIMIT_S = 10
# Words between CREATE/DROP and the object they create or drop.
_QUALIFIERS = {
    "TEMPORARY",
    "OR",
    "REPLACE",
    "UNIQUE",
    "FULLTEXT",
    "SPATIAL",
    "ONLINE",
    "OFFLINE",
    "ALGORITHM",
    "=",
    "UNDEFINED",
    "MERGE",
    "TEMPTABLE",
    "IGNORE",
}


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    apply = sub.add_parser(
        "apply-schema",
        help="create the database.dsn database from the sql.schema files (for live checks in CI)",
    )
    apply.add_argument("--dsn", help="mysql://user:pass@host:port/db (default: database.dsn)")
    apply.add_argument("--reset", action="store_true", help="drop and re-create the database if it has tables")


def main(args: argparse.Namespace, config: Any, root: Path) -> int:
    if getattr(args, "db_command", None) != "apply-schema":
        print("guardrails db: expected a command: apply-schema", file=sys.stderr)
        return 2
    return apply_schema(args.dsn or SqlSettings.of(config).dsn, config, root, reset=args.reset)


def apply_schema(dsn_text: str | None, config: Any, root: Path, reset: bool = False, out: TextIO | None = None) -> int:
    from guardrails.mysql.ddl_policy import refusal
    from guardrails.mysql.dsn import DsnError, parse_dsn
    from guardrails.workspace import open_workspace

    out = sys.stdout if out is None else out  # looked up per call: the stream may be redirected
    err = sys.stderr
    if not dsn_text:
        print("guardrails db apply-schema: set database.dsn in .guardrails.yml or pass --dsn", file=err)
        return 2
    try:
        dsn = parse_dsn(dsn_text)
    except DsnError as exc:
        print(f"guardrails db apply-schema: {exc}", file=err)
        return 2
    workspace = open_workspace(root, config.exclude)
    paths = sorted(workspace.select_all(SqlSettings.of(config).schema))
    if not paths:
        print("guardrails db apply-schema: sql.schema matches no file", file=err)
        return 2
    try:
        conn = _connect(dsn)
    except Exception as exc:
        print(f"guardrails db apply-schema: cannot connect to {dsn.display()}: {dsn.error_text(exc)}", file=err)
        return 2
    failed = applied = skipped = 0
    with contextlib.closing(conn), conn.cursor() as cur:
        name = dsn.database.replace("`", "``")
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s", (dsn.database,))
        if cur.fetchone()[0] and not reset:
            print(
                f"guardrails db apply-schema: database {dsn.database!r} already has tables; "
                "pass --reset to drop and re-create it",
                file=err,
            )
            return 2
        if reset:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cur.execute(f"CREATE DATABASE IF NOT EXISTS `{name}`")
        cur.execute(f"USE `{name}`")
        _limit_session(cur)
        for path in paths:
            for statement, line in _statements(workspace, path, err):
                if not _is_table_ddl(statement):
                    skipped += 1
                    print(f"{path}:{line}: skipped (not table DDL)", file=out)
                    continue
                reason = refusal(statement, dsn.database)
                if reason:
                    failed += 1
                    print(f"{path}:{line}: refused: {reason}", file=err)
                    continue
                try:
                    cur.execute(statement)
                    applied += 1
                except Exception as exc:
                    failed += 1
                    print(f"{path}:{line}: error: {dsn.error_text(exc)}", file=err)
    print(
        f"applied {applied} statements from {len(paths)} files to {dsn.display()} ({skipped} skipped, {failed} failed)",
        file=out,
    )
    return 2 if failed else 0


def _limit_session(cur: Any) -> None:
    """A statement time limit and short lock waits: a schema file must not hold the server."""
    cur.execute("SELECT VERSION()")
    if "mariadb" in str(cur.fetchone()[0]).lower():
        cur.execute(f"SET SESSION max_statement_time = {STATEMENT_TIME_LIMIT_S}")
    cur.execute(f"SET SESSION lock_wait_timeout = {STATEMENT_TIME_LIMIT_S}")
    cur.execute(f"SET SESSION innodb_lock_wait_timeout = {STATEMENT_TIME_LIMIT_S}")


def _connect(dsn: Any) -> Any:
    import pymysql

    return pymysql.connect(
        **dsn.connect_args(),
        autocommit=True,
        connect_timeout=10,
        read_timeout=STATEMENT_TIME_LIMIT_S * 3,
        write_timeout=STATEMENT_TIME_LIMIT_S * 3,
        local_infile=False,
        client_flag=0,  # one statement per call
    )


def _statements(workspace: Any, path: str, err: TextIO) -> list[tuple[str, int]]:
    from guardrails.sql.positions import FileOffsets, line_starts
    from guardrails.sql.split import split_statements
    from guardrails.workspace import UnreadableFile

    try:
        text = workspace.read_text(path)
    except UnreadableFile as exc:
        print(f"{path}: {exc}", file=err)
        return []
    starts = line_starts(text)
    out = []
    for chunk in split_statements(text):
        line = FileOffsets(starts, 0)(chunk.start)[0]
        if chunk.unterminated:
            print(f"{path}:{line}: unterminated {chunk.unterminated}; rest of file skipped", file=err)
            break
        out.append((chunk.text, line))
    return out


def _is_table_ddl(statement: str) -> bool:
    """CREATE/ALTER/DROP/RENAME of a table, index or view, judged from sqlglot's tokens."""
    from guardrails.sql.dialect import DIALECT

    try:
        tokens = DIALECT.tokenize(statement)
        if tokens and tokens[0].text.upper() == "RENAME":
            # sqlglot's MySQL tokenizer reads what follows RENAME as one string: tokenize it again
            tokens = tokens[:1] + DIALECT.tokenize(statement[tokens[0].end + 1 :])
        words = [t.text.upper() for t in tokens[:8]]
    except Exception:
        return False
    if not words or words[0] not in ("ALTER", "RENAME", "CREATE", "DROP"):
        return False
    objects = TABLE_OBJECTS if words[0] in ("CREATE", "DROP") else ("TABLE",)
    rest = [w for w in words[1:] if w not in _QUALIFIERS]
    return bool(rest) and rest[0] in objects
