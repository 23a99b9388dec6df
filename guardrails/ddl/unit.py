"""The unit the ``migrations`` input yields: one DDL statement of a migration, judged."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guardrails.ddl.review import Reviewed
    from guardrails.ddl.servers import Server
    from guardrails.sql.schema import Table
    from guardrails.sql.statement import SqlStatement


@dataclass(eq=False)
class DdlStatement:
    """One DDL statement of a migration, judged for ``server``."""

    path: str
    statement: SqlStatement
    reviewed: Reviewed
    server: Server
    existed: bool  # the table existed before the statement (DDL on it takes a metadata lock)
    lock_wait_set: bool  # SET lock_wait_timeout earlier in the file, or MariaDB's WAIT n on it
    first_on_existing: bool  # the file's first DDL on an existing table (where the lock_wait finding goes)
    table_after: Table | None = field(default=None, repr=False)  # the model once applied
    # (what, the queries at path:line) for a dropped or renamed column or table, a dropped index
    uses: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def table(self) -> Table | None:
        return self.reviewed.table


def table_copy(table: Table | None) -> Table | None:
    """The table as it stood, for the checks that look at it after the replay moved on.

    Shallow where the replay replaces rather than mutates (a deep copy of every table for every
    statement was half the run time): the lists are new, the column and index objects shared.
    """
    if table is None:
        return None
    snapshot = copy.copy(table)
    snapshot.columns, snapshot.indexes, snapshot.foreign_keys = (
        list(table.columns),
        list(table.indexes),
        list(table.foreign_keys),
    )
    if table.partitioning is not None:
        snapshot.partitioning = copy.copy(table.partitioning)
        snapshot.partitioning.partitions = list(table.partitioning.partitions)
    return snapshot
