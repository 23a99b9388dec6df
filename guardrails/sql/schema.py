"""The schema model: every table the repository defines, its columns and how it is partitioned.

Built by replaying the DDL files matched by ``sql.schema`` in file-name order
(``guardrails.sql.schema_source.load_schema``), or, with ``database.dsn``, from information_schema by
``guardrails.mysql.information_schema.load_schema_from_db``, which fills the
same dataclasses. Names are matched case-insensitively, as MySQL does on the
platforms teams deploy to with ``lower_case_table_names=1`` and as column names
always are; the spelling of the definition is kept for messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guardrails.findings import Finding
from guardrails.state import StateKey

if TYPE_CHECKING:
    from guardrails.inputs import SourceFile

# Partitioning kinds, as MySQL spells them in information_schema.PARTITIONS.PARTITION_METHOD.
RANGE = "RANGE"
RANGE_COLUMNS = "RANGE COLUMNS"
LIST = "LIST"
LIST_COLUMNS = "LIST COLUMNS"
HASH = "HASH"
LINEAR_HASH = "LINEAR HASH"
KEY = "KEY"
LINEAR_KEY = "LINEAR KEY"
KINDS = (RANGE, RANGE_COLUMNS, LIST, LIST_COLUMNS, HASH, LINEAR_HASH, KEY, LINEAR_KEY)
# Kinds whose partitions hold ranges or lists of values: MySQL prunes them on ranges too.
ORDERED_KINDS = (RANGE, RANGE_COLUMNS, LIST, LIST_COLUMNS)


@dataclass
class Column:
    name: str
    data_type: str = ""  # base type as COLUMNS.DATA_TYPE: "int", "datetime"
    column_type: str = ""  # the full type, as COLUMNS.COLUMN_TYPE: "int unsigned", "varchar(20)"
    nullable: bool = True
    charset: str = ""  # CHARACTER SET written on the column ("" : the table's default)
    collation: str = ""
    generated: str = ""  # "VIRTUAL" or "STORED" for a generated column, else ""
    expression: str = ""  # a generated column's expression, as written
    auto_increment: bool = False
    values: tuple[str, ...] = ()  # ENUM and SET members, in order
    length: int = 0  # CHAR/VARCHAR/BINARY/VARBINARY length in characters (or bytes)


@dataclass
class Index:
    """A secondary index, the primary key (``kind`` "PRIMARY") or a UNIQUE/FULLTEXT/SPATIAL key."""

    name: str
    kind: str = ""  # "", "UNIQUE", "FULLTEXT", "SPATIAL", "PRIMARY"
    columns: tuple[str, ...] = ()  # lower-case column names, in key order


@dataclass
class ForeignKey:
    name: str
    columns: tuple[str, ...] = ()
    references: str = ""  # the parent table


@dataclass
class PartitionDef:
    name: str
    values: str = ""  # "LESS THAN (10)", "LESS THAN MAXVALUE", "IN (1, 2)"; "" for HASH and KEY
    subpartitions: list[str] = field(default_factory=list)


@dataclass
class Partitioning:
    """How rows are spread over partitions (one level; ``subpartitioning`` is the second)."""

    kind: str  # one of KINDS
    columns: tuple[str, ...]  # the columns the partitioning reads, lower-case, in order
    expression: str = ""  # RANGE/LIST/HASH: the expression as written, e.g. "TO_DAYS(created_at)"
    function: str = ""  # "TO_DAYS" wrapping the one column; "" if bare
    partitions: list[PartitionDef] = field(default_factory=list)
    subpartitioning: Partitioning | None = None
    key_is_primary_key: bool = False  # KEY() with an empty column list: the primary key's columns

    @property
    def partition_names(self) -> list[str]:
        return [p.name for p in self.partitions]

    @property
    def count(self) -> int:
        return len(self.partitions)

    def describe(self) -> str:
        """``RANGE on TO_DAYS(created_at)``, ``KEY on (a, b)``: for messages."""
        if self.expression and self.kind in (RANGE, LIST, HASH, LINEAR_HASH):
            return f"{self.kind} on {self.expression}"
        return f"{self.kind} on ({', '.join(self.columns)})"


@dataclass
class Table:
    name: str
    database: str = ""  # "" when the DDL did not qualify the name
    columns: list[Column] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()  # lower-case column names
    partitioning: Partitioning | None = None
    path: str = ""  # where it was defined ("" from a database)
    line: int = 0
    indexes: list[Index] = field(default_factory=list)  # secondary, UNIQUE, FULLTEXT and SPATIAL keys
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    charset: str = ""  # DEFAULT CHARSET ("" : the server's default)
    row_format: str = ""  # ROW_FORMAT as written, upper-case ("" : the server's default, DYNAMIC)
    row_versions: int = 0  # instant ADD/DROP COLUMNs since the last rebuild (MySQL 8.0.29+ allows 64)
    # False for a table that predates what was replayed (sql.schema): its earlier instant changes are unseen
    row_versions_known: bool = True

    def index(self, name: str) -> Index | None:
        wanted = name.lower()
        return next((i for i in self.indexes if i.name.lower() == wanted), None)

    @property
    def has_fulltext(self) -> bool:
        return any(i.kind == "FULLTEXT" for i in self.indexes)

    def column(self, name: str) -> Column | None:
        wanted = name.lower()
        for column in self.columns:
            if column.name.lower() == wanted:
                return column
        return None

    @property
    def qualified_name(self) -> str:
        return f"{self.database}.{self.name}" if self.database else self.name

    @property
    def partitioned(self) -> bool:
        return self.partitioning is not None and self.partitioning.count != 1


@dataclass
class Schema:
    tables: dict[tuple[str, str], Table] = field(default_factory=dict)  # (db, name) lower-case
    problems: list[Finding] = field(default_factory=list)  # parse-errors in schema files
    sources: list[SourceFile] = field(default_factory=list)  # the schema files it read

    def add(self, table: Table) -> None:
        self.tables[(table.database.lower(), table.name.lower())] = table

    def remove(self, name: str, database: str = "") -> Table | None:
        table = self.lookup(name, database)
        if table is not None:
            del self.tables[(table.database.lower(), table.name.lower())]
        return table

    def lookup(self, name: str, database: str = "") -> Table | None:
        """The table a statement means by ``database.name`` (or ``name``), or None.

        A qualified reference falls back to an unqualified definition of the same
        name (schema files rarely qualify); an unqualified one matches a qualified
        definition only when no other database defines the same name.
        """
        key = (database.lower(), name.lower())
        table = self.tables.get(key)
        if table is not None:
            return table
        if database:
            return self.tables.get(("", key[1]))
        matches = [t for (db, n), t in self.tables.items() if n == key[1]]
        return matches[0] if len(matches) == 1 else None

    def partitioned_tables(self) -> Iterator[Table]:
        return (t for t in self.tables.values() if t.partitioned)


# This run's model, in the run's state: built by guardrails.sql.schema_source, reported by the sql input.
SCHEMA: StateKey[Schema] = StateKey("sql.schema")
