"""What a partitioning operation does to a table's rows, for the verdict's reasons and rebuild.

Partition maintenance takes no ALGORITHM clause (its verdict is n/a), yet some forms rewrite
every row: ADD PARTITION and COALESCE PARTITION on HASH/KEY partitioning redistribute them,
PARTITION BY and REMOVE PARTITIONING copy the table. Those count as a rebuild, which also
resets MySQL's instant row versions (guardrails.ddl.replay).
"""

from __future__ import annotations

from guardrails.ddl.clauses import Op
from guardrails.sql.schema import HASH, KEY, LINEAR_HASH, LINEAR_KEY, Table

_HASHED = (HASH, LINEAR_HASH, KEY, LINEAR_KEY)


def partition_advice(op: Op, table: Table | None) -> tuple[str, bool]:
    """(a sentence for reasons, whether the table's rows are rewritten) for a partitioning operation."""
    partitioning = table.partitioning if table is not None else None
    kind = partitioning.kind if partitioning is not None else ""
    if op.kind == "add-partition":
        if kind in _HASHED:
            return f"ADD PARTITION on {kind} partitioning redistributes every row over the new count", True
        return "ADD PARTITION on RANGE/LIST partitioning runs directly: a new, empty partition, no row moves", False
    if op.kind == "drop-partition":
        return "DROP PARTITION runs directly and instantly, deleting the partition's rows with its file", False
    if op.kind == "truncate-partition":
        return "TRUNCATE PARTITION deletes the partition's rows at once", False
    if op.kind == "reorganize-partition":
        return f"REORGANIZE PARTITION rewrites only the named partitions ({op.detail.split(' INTO')[0]})", False
    if op.kind == "coalesce-partition":
        return "COALESCE PARTITION rewrites the rows of the HASH/KEY partitions it merges", True
    if op.kind in ("partition-by", "remove-partitioning"):
        return "PARTITION BY and REMOVE PARTITIONING copy the whole table", True
    if op.kind == "exchange-partition":
        return "EXCHANGE PARTITION swaps a table in; WITHOUT VALIDATION trusts its rows to fit", False
    return "", False
