"""The safe EXPLAIN runner: the only code in guardrails that talks to a database.

Text from a pull request decides what it sends, so it is a security boundary.
It sends ``EXPLAIN`` followed by exactly one SELECT, INSERT, UPDATE, DELETE or
REPLACE and nothing else the user wrote; :func:`vet` refuses everything else
before a connection is even opened. Three independent readers must agree that
the text is one harmless statement:

1. the mysql-client splitter (``guardrails.sql.split``) sees exactly one
   statement and no ``/*! ... */`` executable comment (MySQL runs those);
2. sqlglot parses it into one statement of an allowed kind, with no
   ``INTO OUTFILE/DUMPFILE/@var``, no ``:=`` assignment and no function from
   :data:`FORBIDDEN_FUNCTIONS` (sleeping, locking, file access, sequences);
3. the text sent is rebuilt from sqlglot's tokens, with every comment replaced
   by a space, so the server sees exactly the tokens that were checked.

Every EXPLAIN runs in a transaction that is rolled back, read-only
(``START TRANSACTION READ ONLY``) wherever the server allows it: MariaDB
refuses EXPLAIN of INSERT/UPDATE/DELETE in a read-only transaction (error
1792). The session has a statement time limit (MySQL ``max_execution_time``,
MariaDB ``max_statement_time``), short lock waits, connect/read/write
timeouts, no multi-statements and no ``LOAD DATA LOCAL``. Errors never carry
the DSN password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from guardrails.mysql.dsn import Dsn, parse_dsn

ALLOWED = {
    "Select": "SELECT",
    "Union": "SELECT",
    "Intersect": "SELECT",
    "Except": "SELECT",
    "Insert": "INSERT",
    "Update": "UPDATE",
    "Delete": "DELETE",
}
# Functions that wait, lock, touch files or change server state even when only
# the optimizer evaluates them (it folds constant subqueries during EXPLAIN).
FORBIDDEN_FUNCTIONS = frozenset(
    {
        "SLEEP",
        "BENCHMARK",
        "GET_LOCK",
        "RELEASE_LOCK",
        "RELEASE_ALL_LOCKS",
        "IS_FREE_LOCK",
        "IS_USED_LOCK",
        "LOAD_FILE",
        "MASTER_POS_WAIT",
        "SOURCE_POS_WAIT",
        "MASTER_GTID_WAIT",
        "WAIT_FOR_EXECUTED_GTID_SET",
        "WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS",
        "NEXTVAL",
        "SETVAL",
        "LASTVAL",
        "NEXT",
        "SYS_EXEC",
        "SYS_EVAL",
        "SYS_SET",
        "SYS_GET",
        "LO_IMPORT",
        "LO_EXPORT",
        "UUID_SHORT",
        "LAST_INSERT_ID",
        "SET_USER_VAR",
    }
)
# Words that never belong in a statement sent to EXPLAIN, whatever the parser thinks.
FORBIDDEN_WORDS = frozenset({"OUTFILE", "DUMPFILE", "PROCEDURE", "ANALYZE", "HANDLER", "DELIMITER"})
DEFAULT_TIME_LIMIT_MS = 2000
# The session's sql_mode: quotes and backslashes read as sqlglot's MySQL dialect reads them.
SQL_MODE = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION = 1792


class Refused(ValueError):
    """The runner will not send this text; the message says why."""


class DatabaseError(RuntimeError):
    """The server could not be reached or rejected the EXPLAIN (message redacted)."""

    def __init__(self, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.code = code  # the server's error number, 0 when there is none


@dataclass(frozen=True)
class Vetted:
    kind: str  # SELECT | INSERT | UPDATE | DELETE | REPLACE
    text: str  # what follows EXPLAIN on the wire
    functions: frozenset[str] = frozenset()  # upper-case names of every function the text calls
    tables: frozenset[str] = frozenset()  # lower-case names of the tables (or views) it names


@dataclass(frozen=True)
class PlanRow:
    """One row of tabular EXPLAIN output, the same shape for MySQL and MariaDB."""

    id: int | None
    select_type: str
    table: str | None
    partitions: list[str] | None  # None: the table is not partitioned (or the server did not say)
    access_type: str | None
    possible_keys: list[str]
    key: str | None
    rows: int | None
    extra: str

    @property
    def extras(self) -> list[str]:
        return [part.strip() for part in self.extra.split(";") if part.strip()]


@dataclass(frozen=True)
class Plan:
    statement: str
    rows: list[PlanRow] = field(default_factory=list)


@dataclass(frozen=True)
class ServerInfo:
    flavor: str  # "mysql" | "mariadb"
    version: str
    version_tuple: tuple[int, ...]


# The only queries besides EXPLAIN: the schema model from information_schema (bound database name).
CATALOG_QUERIES = {
    "columns": "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE"
    " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s"
    " ORDER BY TABLE_NAME, ORDINAL_POSITION",
    "primary_keys": "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
    " WHERE TABLE_SCHEMA = %s AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX",
    "partitions": "SELECT TABLE_NAME, PARTITION_NAME, SUBPARTITION_NAME, PARTITION_METHOD,"
    " SUBPARTITION_METHOD, PARTITION_EXPRESSION, SUBPARTITION_EXPRESSION, PARTITION_DESCRIPTION"
    " FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = %s"
    " ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION",
}


# What the server defines that a statement could call (fixed text, no user input).
SERVER_CODE_QUERIES = {
    "functions": "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_TYPE = 'FUNCTION'",
    "loadable": "SELECT name FROM mysql.func",
    "views": "SELECT TABLE_NAME FROM information_schema.VIEWS",
}


# -- vetting ------------------------------------------------------------------------------------
def vet(sql: str) -> Vetted:
    """Check that sql is exactly one explainable statement; return what to send. Raises Refused."""
    from guardrails.sql.split import split_statements

    chunks = split_statements(sql)
    if not chunks:
        raise Refused("no statement to explain")
    if len(chunks) > 1:
        raise Refused(f"{len(chunks)} statements: only one statement can be explained at a time")
    chunk = chunks[0]
    if chunk.unterminated:
        raise Refused(f"unterminated {chunk.unterminated}")
    if chunk.text != sql[chunk.start : chunk.end]:
        raise Refused("executable /*! ... */ comment: MySQL runs its content, so it is not sent")
    return _vet_one(chunk.text)


def _vet_one(text: str) -> Vetted:
    import logging

    from sqlglot import exp
    from sqlglot.errors import SqlglotError
    from sqlglot.tokens import TokenType

    from guardrails.sql.dialect import DIALECT

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    replace = _starts_with_replace(text)
    if replace:  # sqlglot reads MySQL's REPLACE as an opaque command; it has INSERT's grammar
        text = "INSERT " + text[len("REPLACE") :]
    try:
        tokens = DIALECT.tokenize(text)
    except SqlglotError as exc:
        raise Refused(f"cannot read the statement: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise Refused("statement nested too deeply to read") from None
    if not tokens:
        raise Refused("no statement to explain")
    for token in tokens:
        word = token.text.upper() if token.token_type not in (TokenType.STRING, TokenType.IDENTIFIER) else ""
        if token.token_type == TokenType.SEMICOLON:
            raise Refused("';' inside the statement: only one statement can be explained")
        if token.token_type == TokenType.COLON_EQ:
            raise Refused("':=' assigns a variable: only side-effect-free statements are explained")
        if word in FORBIDDEN_WORDS:
            raise Refused(f"{word} is not allowed in a statement to explain")
    try:
        expressions = [e for e in DIALECT.parser().parse(tokens, text) if e is not None]
    except SqlglotError as exc:
        raise Refused(f"cannot parse the statement: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise Refused("statement nested too deeply to parse") from None
    if len(expressions) != 1:
        raise Refused(f"{len(expressions)} statements: only one statement can be explained at a time")
    tree = expressions[0]
    kind = "REPLACE" if replace else ALLOWED.get(type(tree).__name__)
    if kind is None:
        raise Refused(f"only SELECT, INSERT, UPDATE, DELETE and REPLACE are explained, not {_first_word(tokens)}")
    if any(isinstance(node, exp.Command) for node in tree.walk()):
        raise Refused("part of the statement could not be parsed, so it is not sent")
    if any(node.args.get("into") is not None for node in tree.find_all(exp.Select)) or tree.find(exp.Into):
        raise Refused("SELECT ... INTO writes a file or variables: not explained")
    functions = set()
    for node in tree.find_all(exp.Func):
        name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
        if name.upper() in FORBIDDEN_FUNCTIONS:
            raise Refused(f"{name.upper()}() waits, locks, reads files or changes state: not explained")
        if isinstance(node.parent, exp.Dot) and node.parent.expression is node:
            # db.f(): built-in functions are never qualified, so this is one the server defines
            raise Refused(f"{node.parent.sql(dialect=DIALECT)}: a stored function may change state: not explained")
        functions.add(name.upper())
    tables = frozenset(t.name.lower() for t in tree.find_all(exp.Table) if t.name)
    sent = _without_comments(text, tokens)
    if replace:
        sent = "REPLACE" + sent[len("INSERT ") :] if sent.startswith("INSERT  ") else "REPLACE" + sent[6:]
    return Vetted(kind, sent, frozenset(functions), tables)


def _starts_with_replace(text: str) -> bool:
    """Whether the statement's first word is REPLACE (followed by a non-word character)."""
    head = text[: len("REPLACE")]
    rest = text[len("REPLACE") : len("REPLACE") + 1]
    return head.upper() == "REPLACE" and (not rest or not (rest.isalnum() or rest in "_$"))


def _first_word(tokens: list[Any]) -> str:
    return str(tokens[0].text.upper()) if tokens else "nothing"


def _without_comments(text: str, tokens: list[Any]) -> str:
    """The tokens as written; each gap that is not plain whitespace (a comment) becomes a space."""
    out: list[str] = []
    previous_end = -1
    for token in tokens:
        gap = text[previous_end + 1 : token.start]
        if previous_end >= 0:
            out.append(gap if gap.strip() == "" else " ")
        out.append(text[token.start : token.end + 1])
        previous_end = token.end
    return "".join(out)


# -- the connection -------------------------------------------------------------------------------
class ExplainRunner:
    """A read-only, time-limited connection that only ever sends EXPLAIN of one vetted statement."""

    def __init__(
        self,
        dsn: Dsn | str,
        *,
        time_limit_ms: int = DEFAULT_TIME_LIMIT_MS,
        connect_timeout_s: int = 5,
        read_timeout_s: int = 15,
    ) -> None:
        self.dsn = parse_dsn(dsn) if isinstance(dsn, str) else dsn
        self.time_limit_ms = time_limit_ms
        self.connect_timeout_s = connect_timeout_s
        self.read_timeout_s = read_timeout_s
        self._conn: Any = None
        self._server: ServerInfo | None = None
        self._functions: frozenset[str] | None = None
        self._view_names: frozenset[str] | None = None

    def __enter__(self) -> ExplainRunner:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # already gone; nothing to release
                pass
            self._conn = None

    @property
    def server(self) -> ServerInfo:
        self._connect()
        assert self._server is not None
        return self._server

    def explain(self, sql: str) -> Plan:
        """Tabular EXPLAIN (with partitions) of one statement. Raises Refused or DatabaseError."""
        vetted = vet(sql)
        self._refuse_server_code(vetted)
        prefix = "EXPLAIN PARTITIONS" if self.server.flavor == "mariadb" else "EXPLAIN"
        columns, rows = self._run(f"{prefix} {vetted.text}", vetted.kind)
        return Plan(vetted.text, [_plan_row(dict(zip(columns, row, strict=False))) for row in rows])

    def catalog(self) -> dict[str, list[tuple[Any, ...]]]:
        """The DSN database's columns, primary keys and partitions from information_schema.

        Fixed queries with the database name as a bound parameter, in the same
        read-only, time-limited session as EXPLAIN.
        """
        self._connect()
        out: dict[str, list[tuple[Any, ...]]] = {}
        for name, query in CATALOG_QUERIES.items():
            out[name] = self._in_transaction(query, read_only=True, args=(self.dsn.database,))[1]
        return out

    # -- internals ----------------------------------------------------------------------------
    def _refuse_server_code(self, vetted: Vetted) -> None:
        """Refuse a statement that calls code the server defines, directly or through a view.

        The optimizer evaluates a DETERMINISTIC stored function with constant arguments while
        planning, so EXPLAIN alone runs its body: an insert into a MyISAM table, NEXTVAL,
        GET_LOCK or SELECT ... INTO OUTFILE would happen even in a read-only transaction
        (which does not cover non-transactional tables, locks or files)."""
        stored = self._stored_functions()
        called = sorted(vetted.functions & stored)
        if called:
            raise Refused(f"{called[0]}() is a function the server defines; it may change state: not explained")
        if stored and vetted.tables & self._views():
            raise Refused("the statement reads a view and the server defines functions a view may call: not explained")

    def _stored_functions(self) -> frozenset[str]:
        if self._functions is None:
            self._connect()
            rows = self._in_transaction(SERVER_CODE_QUERIES["functions"], read_only=True)[1]
            names = {str(r[0]).upper() for r in rows}
            try:  # loadable functions (CREATE FUNCTION ... SONAME); unreadable without privileges
                names |= {str(r[0]).upper() for r in self._in_transaction(SERVER_CODE_QUERIES["loadable"], True)[1]}
            except DatabaseError:
                pass
            self._functions = frozenset(names)
        return self._functions

    def _views(self) -> frozenset[str]:
        if self._view_names is None:
            rows = self._in_transaction(SERVER_CODE_QUERIES["views"], read_only=True)[1]
            self._view_names = frozenset(str(r[0]).lower() for r in rows)
        return self._view_names

    def _connect(self) -> None:
        if self._conn is not None:
            return
        import pymysql

        dsn = self.dsn
        try:
            self._conn = pymysql.connect(
                **dsn.connect_args(),
                database=dsn.database,
                connect_timeout=self.connect_timeout_s,
                read_timeout=self.read_timeout_s,
                write_timeout=self.read_timeout_s,
                autocommit=True,
                local_infile=False,
                # no CLIENT.MULTI_STATEMENTS: the server itself refuses a second statement
                client_flag=0,
                program_name="guardrails",
            )
        except Exception as exc:
            raise DatabaseError(f"cannot connect to {dsn.display()}: {dsn.error_text(exc)}") from None
        version = str(self._query("SELECT VERSION()")[1][0][0])
        flavor = "mariadb" if "mariadb" in version.lower() else "mysql"
        numbers = tuple(int(p) for p in version.split("-")[0].split(".") if p.isdigit())
        self._server = ServerInfo(flavor, version, numbers)
        seconds = max(self.time_limit_ms, 1) / 1000
        # sqlglot vetted the text as MySQL reads it by default; a server-wide ANSI_QUOTES or
        # NO_BACKSLASH_ESCAPES would read the same quotes differently (a call hidden in a string).
        self._query(f"SET SESSION sql_mode = '{SQL_MODE}'")
        mode = str(self._query("SELECT @@SESSION.sql_mode")[1][0][0]).upper()
        if any(word in mode for word in ("ANSI_QUOTES", "NO_BACKSLASH_ESCAPES")):
            self.close()
            raise DatabaseError(f"{dsn.display()}: the session sql_mode stays {mode!r}: not used")
        self._query("SET SESSION lock_wait_timeout = 5")
        self._query("SET SESSION innodb_lock_wait_timeout = 5")
        if flavor == "mariadb":
            self._query(f"SET SESSION max_statement_time = {seconds:.3f}")
        else:
            self._query(f"SET SESSION max_execution_time = {int(self.time_limit_ms)}")

    def _run(self, statement: str, kind: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        self._connect()
        # MariaDB refuses EXPLAIN of INSERT/UPDATE/DELETE inside a READ ONLY transaction
        # (error 1792), so those are explained in a transaction that is always rolled back
        # (and only after _refuse_server_code: no stored function runs). A SELECT the server
        # refuses read-only wants to write: it is never retried read-write.
        read_only = kind == "SELECT" or self.server.flavor != "mariadb"
        try:
            return self._in_transaction(statement, read_only)
        except DatabaseError as exc:
            if kind == "SELECT" or not read_only or exc.code != ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:
                raise
        return self._in_transaction(statement, read_only=False)

    def _in_transaction(
        self, statement: str, read_only: bool, args: tuple[Any, ...] = ()
    ) -> tuple[list[str], list[Any]]:
        self._query("START TRANSACTION READ ONLY" if read_only else "START TRANSACTION")
        try:
            return self._query(statement, args)
        finally:
            try:
                self._query("ROLLBACK")
            except DatabaseError:
                self.close()

    def _query(self, statement: str, args: tuple[Any, ...] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        try:
            with self._conn.cursor() as cur:
                cur.execute(statement, args or None)
                columns = [str(d[0]).lower() for d in cur.description or ()]
                return columns, list(cur.fetchall())
        except Exception as exc:
            if _connection_lost(exc):
                self.close()
            code = getattr(exc, "args", (0,))[0]
            raise DatabaseError(
                f"{self.dsn.display()}: {self.dsn.error_text(exc)}", code if isinstance(code, int) else 0
            ) from None


def _connection_lost(exc: BaseException) -> bool:
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    return bool(args) and args[0] in (2006, 2013, 2014, 2055)


def _plan_row(row: dict[str, Any]) -> PlanRow:
    def text(key: str) -> str | None:
        value = row.get(key)
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    def words(key: str) -> list[str]:
        value = text(key)
        return [w for w in value.split(",") if w] if value else []

    rows = text("rows")
    partitions = text("partitions")
    ident = text("id")
    return PlanRow(
        id=int(ident) if ident and ident.isdigit() else None,
        select_type=text("select_type") or "",
        table=text("table"),
        partitions=partitions.split(",") if partitions else None,
        access_type=text("type"),
        possible_keys=words("possible_keys"),
        key=text("key"),
        rows=int(rows) if rows and rows.isdigit() else None,
        extra=text("extra") or "",
    )
