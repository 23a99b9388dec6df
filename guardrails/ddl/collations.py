"""MariaDB's answer to a change of a string column's character set or collation.

Checked against MariaDB 10.6.23, 10.11.19, 11.4.7 and 11.8.9 (tests/test_ddl_recorded.py):
- the values keep their order (utf8mb3_general_ci to utf8mb4_general_ci, a collation the
  column has already): metadata only, INSTANT, indexed or not;
- otherwise the values sort differently: an ENUM or SET column, or one in the primary key
  (the clustered index), is copied; one in a secondary index has that index rebuilt (NOCOPY);
  one no index uses changes instantly.
The server's default collation for utf8mb3/utf8mb4 is ``*_general_ci`` up to 11.4 and
``*_uca1400_ai_ci`` from 11.5 (11.8 widens ``COLLATE utf8mb4_general_ci`` with a rebuilt index).
"""

from __future__ import annotations

from guardrails.ddl.clauses import Op
from guardrails.ddl.columns import STRING_TYPES, charset_of, indexed
from guardrails.ddl.matrix import Entry
from guardrails.ddl.servers import Server
from guardrails.sql.schema import Column, Table

_DEFAULTS = {"latin1": "latin1_swedish_ci", "ascii": "ascii_general_ci", "binary": "binary"}


def default_collation(charset: str, server: Server) -> str:
    if charset in ("utf8", "utf8mb3", "utf8mb4") and server.at_least(11, 5):
        return f"{charset}_uca1400_ai_ci"
    return _DEFAULTS.get(charset, f"{charset}_general_ci")


def sort_order(column: Column, table: Table, server: Server) -> str:
    """The collation without its character set ("general_ci"): values compare alike within one."""
    charset = charset_of(column, table)
    collation = column.collation or default_collation(charset, server)
    return collation.split("_", 1)[1] if "_" in collation else collation


def string_change(op: Op, table: Table, server: Server) -> tuple[Entry, str] | None:
    """The verdict for change-charset, change-collation and convert-collation; None for other operations."""
    if op.kind == "convert-collation":
        return _resorted([c for c in table.columns if c.data_type in STRING_TYPES], table)
    if op.kind not in ("change-charset", "change-collation") or op.old is None or op.new is None:
        return None
    old_cs, new_cs = charset_of(op.old, table), charset_of(op.new, table)
    if op.kind == "change-charset" and not (old_cs in ("utf8", "utf8mb3") and new_cs == "utf8mb4"):
        return None  # not a widening to utf8mb4: every value is converted (the matrix's COPY)
    if sort_order(op.old, table, server) == sort_order(op.new, table, server):
        return Entry("INSTANT", "NONE", False), f"{op.column}'s values keep their order: metadata only"
    return _resorted([op.new], table)


def _resorted(columns: list[Column], table: Table) -> tuple[Entry, str]:
    copied = [c.name for c in columns if c.data_type in ("enum", "set") or c.name.lower() in table.primary_key]
    if copied:
        return Entry("COPY", "SHARED", True), f"{copied[0]} is an ENUM/SET or in the primary key: copied to re-sort"
    rebuilt = [c.name for c in columns if indexed(c.name, table)]
    if rebuilt:
        return Entry("NOCOPY", "NONE", False), f"{rebuilt[0]} is indexed: the index is rebuilt in the new order"
    return Entry("INSTANT", "NONE", False), "no index uses the re-sorted columns: metadata only"
