"""Judge one DDL statement for one server: the matrix's rows, the conditions that flip them, the slowest wins.

The conditions (each with the sentence a reviewer reads):
- a FULLTEXT index on the table: no instant change of the column list, and a rebuild takes
  at least a shared lock (both flavours);
- ROW_FORMAT=COMPRESSED: no instant change of the column list;
- a partitioned table: adding or dropping a VIRTUAL column copies it;
- MariaDB: a VARCHAR whose old maximum is at most 127 bytes (or ROW_FORMAT=REDUNDANT) can
  grow past 255 bytes instantly, its values' length prefixes being one byte either way;
  ROW_FORMAT=REDUNDANT also makes NOT NULL to NULL instant;
- MySQL 8.0.29+: after 64 instant ADD/DROP COLUMNs the table must be rebuilt (row versions);
- foreign keys: with ``foreign_key_checks=0`` ADD FOREIGN KEY runs in place, otherwise it copies;
- MariaDB 11.2+: a COPY runs online (LOCK=NONE: the writes made meanwhile are replayed), and
  from 11.4 replacing a partitioned table's primary key copies it (10.x answers INSTANT with
  LOCK=SHARED and rebuilds; both checked against the servers, tests/test_ddl_recorded.py);
- MariaDB, a character set or collation change: guardrails.ddl.collations;
- several operations: an instant column change combined with an operation that cannot be
  instant runs in place and rebuilds (MariaDB: combined with ADD INDEX); the slowest wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guardrails.ddl.clauses import Op
from guardrails.ddl.collations import string_change
from guardrails.ddl.columns import indexed, max_bytes
from guardrails.ddl.matrix import ALGORITHMS, LOCKS, MATRIX, NA, Entry, section
from guardrails.ddl.servers import Server
from guardrails.sql.schema import Table

ROW_VERSION_LIMIT = 64


@dataclass
class Verdict:
    algorithm: str
    lock: str
    rebuild: bool
    risks: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # forms the matrix does not know

    @property
    def needs_human(self) -> bool:
        return bool(
            self.algorithm == "COPY"
            or self.lock in ("SHARED", "EXCLUSIVE")
            or self.rebuild
            or self.risks
            or self.unknown
        )


@dataclass
class Session:
    """What earlier statements of the migration file set for the ones after them."""

    foreign_key_checks: bool = True


def judge(ops: list[Op], table: Table | None, server: Server, session: Session) -> Verdict:
    entries: list[tuple[Op, Entry, str]] = []
    unknown: list[str] = []
    ops = _pairs(ops)
    for op in ops:
        if op.kind == "unknown" or op.kind == "modify-unknown-column":
            unknown.append(op.form if op.kind == "unknown" else f"MODIFY {op.column} (column unknown to the schema)")
            continue
        row = MATRIX[op.kind]
        entry = row.entry(server.mariadb, server.version)
        entry, why = _online_copy(*_conditions(op, entry, table, server, session), server)
        entries.append((op, entry, why))
    entries = _combine(entries, server)
    verdict = Verdict(NA, NA, False, unknown=unknown)
    for op, entry, why in entries:
        row = MATRIX[op.kind]
        verdict.risks += [r for r in row.risks if r not in verdict.risks]
        if op.kind == "convert-charset" and "latin1" in op.detail:
            verdict.risks += [] if "destructive" in verdict.risks else ["destructive"]
        source = section(op.kind, server.mariadb, server.version, entry.algorithm)
        target = f" {op.column}" if op.column else ""
        detail = f" ({op.detail})" if op.detail else ""
        lead = f"{row.operation}{target}{detail}: {_says(entry)}"
        verdict.reasons.append(f"{lead}{'; ' + why if why else ''} [{source}]")
        if entry.algorithm != NA:
            if verdict.algorithm == NA or ALGORITHMS.index(entry.algorithm) > ALGORITHMS.index(verdict.algorithm):
                verdict.algorithm = entry.algorithm
            if verdict.lock == NA or LOCKS.index(entry.lock) > LOCKS.index(verdict.lock):
                verdict.lock = entry.lock
        verdict.rebuild = verdict.rebuild or entry.rebuild
    if verdict.algorithm == "COPY":  # the whole statement copies: its lock is the copy's
        verdict.lock = "NONE" if _copies_online(server) else max(verdict.lock, "SHARED", key=LOCKS.index)
    return verdict


def _copies_online(server: Server) -> bool:
    """MariaDB 11.2+ accepts ALGORITHM=COPY, LOCK=NONE (MariaDB KB, ALTER TABLE: online COPY)."""
    return server.mariadb and server.at_least(11, 2)


def _online_copy(entry: Entry, why: str, server: Server) -> tuple[Entry, str]:
    if entry.algorithm != "COPY" or not _copies_online(server):
        return entry, why
    online = "MariaDB 11.2+ copies online, replaying the writes made meanwhile (LOCK=NONE)"
    return Entry("COPY", "NONE", True), f"{why}; {online}" if why else online


def _says(entry: Entry) -> str:
    if entry.algorithm == NA:
        return "takes no ALGORITHM clause"
    rebuild = ", rebuilds the table" if entry.rebuild else ""
    return f"{entry.algorithm}, LOCK={entry.lock}{rebuild}"


def _pairs(ops: list[Op]) -> list[Op]:
    """DROP PRIMARY KEY with ADD PRIMARY KEY is its own row of the manual."""
    kinds = [op.kind for op in ops]
    if "drop-primary-key" in kinds and "add-primary-key" in kinds:
        add = next(op for op in ops if op.kind == "add-primary-key")
        merged = Op("drop-add-primary-key", add.clause, detail=add.detail)
        return [merged if op is add else op for op in ops if op.kind != "drop-primary-key"]
    return ops


def _conditions(op: Op, entry: Entry, table: Table | None, server: Server, session: Session) -> tuple[Entry, str]:
    row = MATRIX[op.kind]
    maria = server.mariadb
    if table is None:
        return entry, ""
    fmt = table.row_format
    if op.kind == "drop-column" and _last_fulltext(op.column, table):
        return Entry("INPLACE", "NONE", True), f"{op.column} holds the last FULLTEXT index, whose removal rebuilds"
    if row.instant_column and entry.algorithm == "INSTANT":
        if table.has_fulltext:
            return Entry("INPLACE", "SHARED", True), "the table has a FULLTEXT index, so it is rebuilt instead"
        if fmt == "COMPRESSED":
            return Entry("INPLACE", "NONE", True), "ROW_FORMAT=COMPRESSED tables cannot change columns instantly"
        if (
            not maria
            and server.at_least(8, 0, 29)
            and op.kind in ("add-column", "add-column-positioned", "drop-column")
        ):
            if table.row_versions >= ROW_VERSION_LIMIT:
                return Entry("INPLACE", "NONE", True), (
                    f"{table.name} has had {table.row_versions} instant column changes: the 64 row versions are used up"
                )
            if not table.row_versions_known:
                return entry, _row_versions_unknown(table)
        if maria and _virtual_quirk(op, table):
            return Entry("COPY", "SHARED", True), "MariaDB copies a table with VIRTUAL columns for this change"
    if op.kind == "drop-column" and indexed(op.column, table) and not (maria and _virtual_quirk(op, table)):
        entry = Entry("NOCOPY", "NONE", False) if maria else Entry("INPLACE", "NONE", True)
        return entry, f"{op.column} is in an index, which is dropped or rebuilt with it"
    if op.kind in ("add-virtual-column", "drop-virtual-column") and table.partitioned:
        return Entry(
            "COPY", "SHARED", True
        ), "the table is partitioned: VIRTUAL columns are added and dropped by copying"
    if entry.rebuild and table.has_fulltext and entry.lock == "NONE" and entry.algorithm == "INPLACE":
        return Entry("INPLACE", "SHARED", True), "rebuilding a table with a FULLTEXT index takes a shared lock"
    if op.kind == "add-fulltext-index" and table.has_fulltext:
        lead = "NOCOPY" if maria else "INPLACE"
        return Entry(lead, "SHARED", False), "the table has a FULLTEXT index already (FTS_DOC_ID exists)"
    if op.kind == "drop-add-primary-key" and table.partitioned and maria and server.at_least(11, 4):
        return Entry("COPY", "SHARED", True), "MariaDB 11.4+ copies a partitioned table to replace its primary key"
    if op.kind == "add-foreign-key" and not session.foreign_key_checks:
        return Entry("NOCOPY" if maria else "INPLACE", "NONE", False), "foreign_key_checks=0: added in place"
    if maria:
        return _mariadb(op, entry, table, server)
    return entry, ""


def _mariadb(op: Op, entry: Entry, table: Table, server: Server) -> tuple[Entry, str]:
    redundant = table.row_format == "REDUNDANT"
    if op.kind == "extend-varchar-length-bytes" and op.old is not None:
        before = max_bytes(op.old, table)
        if redundant or before <= 127:
            why = "ROW_FORMAT=REDUNDANT" if redundant else f"the old maximum ({before} bytes) is at most 127 bytes"
            return Entry("INSTANT", "NONE", False), f"{why}: every value keeps its one-byte length prefix"
    if op.kind == "make-nullable" and redundant:
        return Entry("INSTANT", "NONE", False), "ROW_FORMAT=REDUNDANT stores NULL flags for every column"
    changed = string_change(op, table, server)
    if changed is not None:
        return changed
    return entry, ""


def _row_versions_unknown(table: Table) -> str:
    seen = f"{table.row_versions} seen in the migrations, " if table.row_versions else ""
    return (
        f"INSTANT only while {table.name} has row versions left of 64 ({seen}the count before the migrations "
        f"is unknown): SELECT TOTAL_ROW_VERSIONS FROM INFORMATION_SCHEMA.INNODB_TABLES WHERE NAME LIKE "
        f"'%/{table.name}'; at 64 the pinned ALGORITHM=INSTANT fails and it needs ALGORITHM=INPLACE, a rebuild"
    )


def _last_fulltext(column: str, table: Table) -> bool:
    fulltext = [i for i in table.indexes if i.kind == "FULLTEXT"]
    return bool(fulltext) and all(i.columns == (column.lower(),) for i in fulltext)


def _virtual_quirk(op: Op, table: Table) -> bool:
    """MariaDB refuses to add a column before, or drop an indexed column of, a table with VIRTUAL columns
    without copying ("INPLACE ADD or DROP of virtual columns cannot be combined with other ALTER TABLE actions")."""
    if not any(c.generated == "VIRTUAL" for c in table.columns):
        return False
    if op.kind == "add-column-positioned":
        return True
    return op.kind == "drop-column" and (table.partitioned or indexed(op.column, table))


def _combine(entries: list[tuple[Op, Entry, str]], server: Server) -> list[tuple[Op, Entry, str]]:
    """Instant column changes combined with operations that cannot be instant fall back to a rebuild."""
    slow = [
        op
        for op, entry, _ in entries
        if entry.algorithm not in ("INSTANT", NA)
        and (not server.mariadb or op.kind.startswith("add-") and op.kind.endswith("index") or entry.rebuild)
    ]
    if not slow:
        return entries
    out = []
    for op, entry, why in entries:
        if MATRIX[op.kind].instant_column and entry.algorithm == "INSTANT":
            form = slow[0].form
            out.append(
                (op, Entry("INPLACE", entry.lock, True), f"combined with {form}, it is done in place with a rebuild")
            )
        else:
            out.append((op, entry, why))
    return out
