"""Does a block pasted in a description look like EXPLAIN output of MySQL or MariaDB?

A five-line ``| table |`` block naming the query's tables is not a plan anyone read. Client
output has a fixed vocabulary: the tabular (and ``\\G``, and batch) forms print the
traditional columns, MySQL's ``id select_type table partitions type possible_keys key
key_len ref rows filtered Extra`` and MariaDB's variant without ``partitions`` and
``filtered`` (``EXPLAIN EXTENDED``/``PARTITIONS`` add them back; ``ANALYZE`` adds
``r_rows`` and ``r_filtered``); a JSON plan's ``query_block`` carries its ``select_id``.
Each function returns what is wrong, in words for the finding, or "" when nothing is.
"""

from __future__ import annotations

from collections.abc import Iterable

# Every column MySQL 5.7-8.4 and MariaDB 10.x-11.x print in tabular EXPLAIN / ANALYZE output.
TABULAR_COLUMNS = frozenset(
    {
        "id",
        "select_type",
        "table",
        "partitions",
        "type",
        "possible_keys",
        "key",
        "key_len",
        "ref",
        "rows",
        "r_rows",
        "filtered",
        "r_filtered",
        "extra",
    }
)
# Printed by every one of those servers, in every variant.
REQUIRED_COLUMNS = ("id", "select_type", "table", "type", "possible_keys", "key", "rows")


def header_problem(columns: Iterable[str]) -> str:
    """What keeps a header (lower-case column names) from being tabular EXPLAIN output."""
    names = [c.strip().lower() for c in columns]
    unknown = [c for c in names if c not in TABULAR_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if len(unknown) == 1:
        return f"column {_quoted(unknown)} is not an EXPLAIN column"
    if unknown:
        return f"columns {_quoted(unknown)} are not EXPLAIN columns"
    if missing:
        return f"it has no {_quoted(missing)} column" + ("s" if len(missing) > 1 else "")
    return ""


def json_problem(doc: dict[str, object]) -> str:
    """What keeps a JSON document with a plan's top-level key from being EXPLAIN FORMAT=JSON."""
    block = doc.get("query_block")
    if "query_block" in doc and not (isinstance(block, dict) and "select_id" in block):
        return "its query_block has no select_id"
    return ""


def _quoted(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:4])
    return shown + (", …" if len(names) > 4 else "")
