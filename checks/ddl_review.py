"""ddl-review: each migration DDL statement's algorithm, lock, rebuild and risks: humans read what needs them."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.ddl.unit import DdlStatement
from guardrails.findings import Finding, Location, Severity, Value
from guardrails.rules import Rule, RuleContext

INCIDENT = (
    "DDL migrations were reviewed in a tool so noisy that people stopped reading it, and a "
    "migration that copied a large table under a shared lock went out unread. The measure: cut "
    "the noise so that a human sees only the DDL that needs a human. For every DDL statement of "
    "the migrations, judged against the repository's own schema as it stands just before it, the "
    "rule says how the configured server (sql.server) runs it: INSTANT, NOCOPY, INPLACE or COPY, "
    "the lock, whether the table is rebuilt, and whether it destroys data, depends on the data or "
    "breaks code running now."
)
HELP = (
    "A COPY rewrites the whole table and blocks writes for as long as that takes; a rebuild rewrites "
    "it online but costs I/O and replica lag; LOCK=SHARED blocks writes. Pin the verdict in the "
    "statement (the message gives it: ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE) so it fails "
    "fast where the server disagrees, and run a COPY through an online schema-change tool (gh-ost, "
    "pt-online-schema-change, Spirit). Destructive and backward-incompatible changes need the code "
    "that still uses the column or table gone first; data-dependent ones (ADD UNIQUE, NOT NULL, "
    "narrowing) need the data checked first. Any DDL on an existing table waits for a metadata lock "
    "and queues every later query behind it: set `SET SESSION lock_wait_timeout = 5` (MySQL) or "
    "`ALTER TABLE t WAIT 5 ...` (MariaDB) so it gives up instead."
)
DETAILS = (
    "Sources of the verdict matrix (guardrails/ddl/matrix.py): the MySQL Reference Manual's "
    "'Online DDL Operations' tables for 5.7 (14.13.1), 8.0 (17.12.1) and 8.4 (17.12.1): Index, "
    "Primary Key, Column, Generated Column, Foreign Key, Table, Tablespace and Partitioning "
    "Operations, with the 8.0 point releases where INSTANT changed (8.0.12 ADD COLUMN last, 8.0.23 "
    "invisible columns, 8.0.28 RENAME COLUMN, 8.0.29 ADD/DROP/reorder anywhere and the 64 row "
    "versions); and the MariaDB Knowledge Base's 'InnoDB Online DDL Operations with the INSTANT / "
    "NOCOPY / INPLACE Alter Algorithm' pages, checked against the servers' own answers on 522 "
    "cases: MariaDB 10.11.19 (live, tests/test_ddl_agreement.py), 10.6.23, 11.4.7 and 11.8.9 "
    "(recorded by benchmarks/record_ddl.py into tests/fixtures/ddl/mariadb-answers.tsv, checked by "
    "tests/test_ddl_recorded.py); one listed exception on 10.x. MariaDB 11.2+ copies online "
    "(COPY with LOCK=NONE). The MySQL rows were not run against a MySQL server; where the manual is "
    "vague (CONVERT TO on a table without string columns or to another collation only: COPY, In "
    "Place: No; a collation change: a data type change, COPY) the reason says what the verdict rests "
    "on. Conditions that flip a verdict: a FULLTEXT index, "
    "ROW_FORMAT=COMPRESSED or REDUNDANT, partitioning, the VARCHAR length prefix (255 bytes, in the "
    "column's charset), ENUM/SET appends against reorders and storage-size steps, STORED against "
    "VIRTUAL generated columns, NULL to NOT NULL, foreign_key_checks, 64 instant row versions, and "
    "several operations in one ALTER (the slowest wins). By default a finding is made only for a "
    "statement that needs a human: COPY, a lock stronger than NONE, a rebuild, or a risk; `show: "
    "all` reports every DDL statement. Statements the matrix does not know get an 'unknown: FORM' "
    "finding. Also: a migration with DDL on an existing table and no lock_wait_timeout (or MariaDB "
    "WAIT n); ADD PARTITION after a MAXVALUE partition; ADD UNIQUE through gh-ost or pt-osc "
    "(`executor`), which copy with INSERT IGNORE and silently drop duplicates; a column or table "
    "dropped or renamed while the queries guardrails reads (sql.sources) still use it, and a DROP "
    "INDEX whose leading column the queries' WHERE needs and no other index starts with. The PR "
    "summary (markdown report and summary comment) lists every DDL statement of the pull request in "
    "one table, whatever `show` says: what needs a human first, the rest (and suppressed ones) folded "
    "under one <details> line; it reads the rule's records of every verdict, not its findings. For "
    "MySQL 8.0.29+ the 64 row versions are counted from the migrations; a table from sql.schema has "
    "an unknown count before them, which the reason says (with the query that reads it)."
)


def check(unit: DdlStatement, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.ddl import operational

    reviewed, verdict = unit.reviewed, unit.reviewed.verdict
    executor = str(ctx.options.get("executor", "none"))
    text = unit.statement.text
    where = _head(unit)
    line = str(where.line)
    name = reviewed.ddl.table or "?"
    for op in reviewed.ops:
        blocker = operational.maxvalue_blocks(op, unit.table)
        if blocker:
            yield ctx.finding(
                where,
                f"ADD PARTITION on {name} fails: its last partition {blocker} is LESS THAN MAXVALUE; "
                f"REORGANIZE PARTITION {blocker} INTO (...) instead",
                properties={"check": "maxvalue-partition", "partition": blocker},
                statement_line=line,
            )
    fix = operational.pinned(reviewed, text, executor)
    properties: dict[str, Value] = {
        "server": unit.server.name,
        "algorithm": "unknown" if verdict.unknown else verdict.algorithm,
        "lock": "unknown" if verdict.unknown else verdict.lock,
        "rebuild": verdict.rebuild,
        "risks": list(verdict.risks),
        "reasons": list(verdict.reasons),
        "table": name,
        "statement": reviewed.ddl.kind,
        "needs_human": verdict.needs_human,
    }
    if fix:
        properties["fix"] = fix
    ctx.record(where, properties)  # the PR summary lists every statement, a finding or not
    for form in verdict.unknown:
        yield ctx.finding(
            where,
            f"unknown: {form} on {name}: ddl-review cannot judge it for {unit.server.name}; review it by hand",
            properties=properties,
            statement_line=line,
        )
    if not verdict.unknown and (verdict.needs_human or ctx.options.get("show") == "all"):
        # with show: all, a statement that needs no human is listed as a notice (DESIGN.md)
        cap = {} if verdict.needs_human else {"at_most": "notice"}
        yield ctx.finding(where, _message(unit, fix), properties=properties, statement_line=line, **cap)
    for op, select in operational.copies_with_insert_ignore(reviewed, executor):
        yield ctx.finding(
            where,
            f"{executor} copies {name} with INSERT IGNORE: duplicates of {op.detail} vanish; find them: {select}",
            properties={"check": "executor-unique", "executor": executor, "query": select},
            statement_line=line,
        )
    hide = "ALTER INDEX ... IGNORED" if unit.server.mariadb else "ALTER INDEX ... INVISIBLE"
    for what, queries in unit.uses:
        shown = ", ".join(queries[:3]) + (f" and {len(queries) - 3} more" if len(queries) > 3 else "")
        advice = f"; make it {hide} first and drop it once nothing slows down" if what.startswith("index") else ""
        yield ctx.finding(
            where,
            f"{what} {shown}{advice}",
            properties={"check": "still-used", "queries": queries, "table": name},
            statement_line=line,
        )
    if unit.first_on_existing and not unit.lock_wait_set:
        wait = "ALTER TABLE ... WAIT 5 or " if unit.server.mariadb else ""
        yield ctx.finding(
            where,
            f"DDL on existing table {name} without {wait}SET SESSION lock_wait_timeout = 5 first: "
            "its metadata lock would queue every query behind it",
            properties={"check": "lock-wait-timeout", "table": name},
            statement_line=line,
        )


def _message(unit: DdlStatement, fix: str) -> str:
    verdict = unit.reviewed.verdict
    ddl = unit.reviewed.ddl
    if verdict.algorithm == "n/a":
        how = "no ALGORITHM clause"
    else:
        how = f"{verdict.algorithm}, LOCK={verdict.lock}" + (", rebuilds the table" if verdict.rebuild else "")
    risks = f" ({', '.join(verdict.risks)})" if verdict.risks else ""
    head = f"{ddl.kind} {ddl.table}: {how}{risks} on {unit.server.name}"
    return f"{head}; run: {fix}" if fix else head


def _head(unit: DdlStatement) -> Location:
    """The statement's first line: where a reviewer reads it, and where an ignore comment above counts."""
    text = unit.statement.text
    newline = text.find("\n")
    return unit.statement.location(0, newline if newline > 0 else len(text))


RULE: Rule[DdlStatement] = Rule(
    id="ddl-review",
    summary="Migration DDL that locks, copies, destroys or depends on data, summarised for a human",
    severity=Severity.WARNING,
    incident=INCIDENT,
    bad="-- users.display_name is VARCHAR(50), utf8mb4: 200 bytes, crossing 255 copies the table\n"
    "ALTER TABLE users MODIFY display_name VARCHAR(80);",
    good="-- a new column is instant (MySQL 8.0.12+, MariaDB 10.3+), pinned so it fails fast otherwise\n"
    "SET SESSION lock_wait_timeout = 5;\nALTER TABLE users ADD COLUMN nickname VARCHAR(80), ALGORITHM=INSTANT;",
    input="migrations",
    units=(DdlStatement,),
    check=check,
    recommended=False,
    help=HELP,
    details=DETAILS,
    options={
        "show": {
            "enum": ["needs-human", "all"],
            "default": "needs-human",
            "description": "needs-human: statements that copy, lock, rebuild or risk data; all: every DDL statement",
        },
        "executor": {
            "enum": ["none", "gh-ost", "pt-osc", "spirit"],
            "default": "none",
            "description": "the online schema-change tool COPY migrations run through",
        },
    },
    properties={
        "server": "the sql.server judged for",
        "algorithm": "INSTANT, NOCOPY (MariaDB), INPLACE, COPY, n/a (no ALGORITHM clause) or unknown",
        "lock": "the least LOCK= accepted with that algorithm: NONE, SHARED, EXCLUSIVE, n/a or unknown",
        "rebuild": "whether the table is rebuilt",
        "risks": "destructive, data-dependent, backward-incompatible",
        "reasons": "why-sentences, each naming the manual's table",
        "fix": "the statement with its verdict pinned, or the online schema-change invocation for a COPY",
        "table": "the table the statement changes",
        "statement": "ALTER TABLE, CREATE INDEX, DROP TABLE, ...",
        "needs_human": "COPY, a lock stronger than NONE, a rebuild or a risk",
        "check": "operational findings: lock-wait-timeout, maxvalue-partition, executor-unique, still-used",
        "queries": "still-used: the queries (path:line) that read the column or table, or need the index",
    },
)
