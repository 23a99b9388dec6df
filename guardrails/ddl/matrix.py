"""The verdict matrix, as data: per operation, what each server accepts, with the manual's section.

MySQL rows transcribe the tables of the MySQL Reference Manual's "Online DDL Operations"
section (5.7: 14.13.1, 8.0: 17.12.1, 8.4: 17.12.1): Index Operations, Primary Key
Operations, Column Operations, Generated Column Operations, Foreign Key Operations, Table
Operations, Tablespace Operations and Partitioning Operations, with the point releases
where INSTANT arrived (8.0.12 ADD COLUMN last, 8.0.28 RENAME COLUMN, 8.0.29 ADD/DROP
COLUMN anywhere). MariaDB rows follow the MariaDB Knowledge Base pages "InnoDB Online DDL
Operations with the INSTANT / NOCOPY / INPLACE Alter Algorithm" and were checked against
the own answers of MariaDB 10.11 (live, tests/test_ddl_agreement.py) and 10.6, 11.4 and 11.8
(recorded, tests/test_ddl_recorded.py). Where a manual is vague, the row's ``notes`` say what
its verdict rests on. The conditions that flip a
verdict (FULLTEXT, ROW_FORMAT=COMPRESSED, partitioning, ...) are in guardrails.ddl.verdict.

A verdict is written ``"ALGORITHM LOCK"`` plus ``" rebuild"`` when the table is rebuilt;
each row lists ``(since version, verdict)`` pairs, the last one not newer than the server
applying.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALGORITHMS = ("INSTANT", "NOCOPY", "INPLACE", "COPY")
LOCKS = ("NONE", "SHARED", "EXCLUSIVE")
NA = "n/a"
DESTRUCTIVE, DATA_DEPENDENT, INCOMPATIBLE = "destructive", "data-dependent", "backward-incompatible"

MYSQL_MANUAL = "MySQL {major} manual, Online DDL Operations, {table}: {operation}"
MARIADB_KB = "MariaDB KB, InnoDB Online DDL Operations with the {algorithm} Alter Algorithm: {operation}"


@dataclass(frozen=True)
class Entry:
    algorithm: str
    lock: str
    rebuild: bool

    @classmethod
    def of(cls, text: str) -> Entry:
        words = text.split()
        return cls(words[0], words[1], "rebuild" in words[2:])

    def __str__(self) -> str:
        return f"{self.algorithm} {self.lock}" + (" rebuild" if self.rebuild else "")


@dataclass(frozen=True)
class Row:
    table: str  # the manual's table: "Column Operations"
    operation: str  # the manual's operation: "Adding a column"
    mysql: tuple[tuple[tuple[int, ...], str], ...]
    mariadb: tuple[tuple[tuple[int, ...], str], ...]
    risks: tuple[str, ...] = ()
    # an instant change of the column list: FULLTEXT, COMPRESSED and combinations undo it
    instant_column: bool = False
    maintenance: bool = False  # partition maintenance: no ALGORITHM clause, judged as n/a
    # where the manual is vague: what the verdict rests on, per flavour (MYSQL / MARIADB_FLAVOR)
    notes: dict[str, str] = field(default_factory=dict)

    def entry(self, mariadb: bool, version: tuple[int, ...]) -> Entry:
        chosen = ""
        for since, verdict in self.mariadb if mariadb else self.mysql:
            if version >= since:
                chosen = verdict
        return Entry.of(chosen or (self.mariadb if mariadb else self.mysql)[0][1])


MYSQL_FLAVOR, MARIADB_FLAVOR = "mysql", "mariadb"
_CONVERT_NOTE = "the manual's row says In Place: No for CONVERT TO, with no exception"
_CHECKED = "checked against MariaDB 10.6, 10.11, 11.4 and 11.8"
_57, _80, _8012, _8023, _8028, _8029 = (5, 7), (8, 0), (8, 0, 12), (8, 0, 23), (8, 0, 28), (8, 0, 29)
_M = (10, 3)
INSTANT = "INSTANT NONE"
INPLACE = "INPLACE NONE"
REBUILD = "INPLACE NONE rebuild"
COPY = "COPY SHARED rebuild"
NOCOPY = "NOCOPY NONE"
MAINT = f"{NA} {NA}"

IDX, PK, COL, GEN, FK, TBL, TS, PART = (
    "Index Operations",
    "Primary Key Operations",
    "Column Operations",
    "Generated Column Operations",
    "Foreign Key Operations",
    "Table Operations",
    "Tablespace Operations",
    "Partitioning Operations",
)

MATRIX: dict[str, Row] = {
    # Index Operations
    "add-index": Row(IDX, "Creating or adding a secondary index", ((_57, INPLACE),), ((_M, NOCOPY),)),
    "add-unique-index": Row(
        IDX, "Creating or adding a secondary index (UNIQUE)", ((_57, INPLACE),), ((_M, NOCOPY),), (DATA_DEPENDENT,)
    ),
    "drop-index": Row(IDX, "Dropping an index", ((_57, INPLACE),), ((_M, NOCOPY),)),
    "rename-index": Row(IDX, "Renaming an index", ((_57, INPLACE),), ((_M, INSTANT),)),
    "add-fulltext-index": Row(
        IDX, "Adding a FULLTEXT index", ((_57, "INPLACE SHARED rebuild"),), ((_M, "INPLACE SHARED rebuild"),)
    ),
    "add-spatial-index": Row(IDX, "Adding a SPATIAL index", ((_57, "INPLACE SHARED"),), ((_M, "NOCOPY SHARED"),)),
    "index-visibility": Row(IDX, "Making an index invisible (ignored)", ((_80, INSTANT),), ((_M, INSTANT),)),
    # Primary Key Operations
    "add-primary-key": Row(PK, "Adding a primary key", ((_57, REBUILD),), ((_M, REBUILD),), (DATA_DEPENDENT,)),
    "drop-primary-key": Row(PK, "Dropping a primary key", ((_57, COPY),), ((_M, COPY),)),
    "drop-add-primary-key": Row(
        PK, "Dropping a primary key and adding another", ((_57, REBUILD),), ((_M, REBUILD),), (DATA_DEPENDENT,)
    ),
    # Column Operations
    "add-column": Row(
        COL, "Adding a column", ((_57, REBUILD), (_8012, INSTANT)), ((_M, INSTANT),), instant_column=True
    ),
    "add-column-positioned": Row(
        COL,
        "Adding a column (FIRST or AFTER: not last)",
        ((_57, REBUILD), (_8029, INSTANT)),
        ((_M, REBUILD), ((10, 4), INSTANT)),
        instant_column=True,
    ),
    "add-auto-increment-column": Row(
        COL, "Adding an AUTO_INCREMENT column", ((_57, "INPLACE SHARED rebuild"),), ((_M, "INPLACE SHARED rebuild"),)
    ),
    "drop-column": Row(
        COL,
        "Dropping a column",
        ((_57, REBUILD), (_8029, INSTANT)),
        ((_M, REBUILD), ((10, 4), INSTANT)),
        (DESTRUCTIVE, INCOMPATIBLE),
        instant_column=True,
    ),
    "rename-column": Row(
        COL, "Renaming a column", ((_57, INPLACE), (_8028, INSTANT)), ((_M, INSTANT),), (INCOMPATIBLE,)
    ),
    "reorder-column": Row(
        COL,
        "Reordering columns",
        ((_57, REBUILD), (_8029, INSTANT)),
        ((_M, REBUILD), ((10, 4), INSTANT)),
        instant_column=True,
    ),
    "set-default": Row(COL, "Setting a column default value", ((_57, INPLACE), (_80, INSTANT)), ((_M, INSTANT),)),
    "drop-default": Row(COL, "Dropping the column default value", ((_57, INPLACE), (_80, INSTANT)), ((_M, INSTANT),)),
    "column-metadata": Row(
        COL, "Changing a column's comment or default only", ((_57, INPLACE), (_80, INSTANT)), ((_M, INSTANT),)
    ),
    "change-type": Row(COL, "Changing the column data type", ((_57, COPY),), ((_M, COPY),), (DATA_DEPENDENT,)),
    "narrow-type": Row(
        COL, "Changing the column data type (narrowing)", ((_57, COPY),), ((_M, COPY),), (DESTRUCTIVE, DATA_DEPENDENT)
    ),
    "extend-varchar": Row(COL, "Extending VARCHAR column size", ((_57, INPLACE),), ((_M, INSTANT),)),
    "extend-varchar-length-bytes": Row(
        COL,
        "Extending VARCHAR column size across 255 bytes (length prefix 1 to 2 bytes)",
        ((_57, COPY),),
        ((_M, COPY),),
    ),
    "make-nullable": Row(COL, "Making a column NULL", ((_57, REBUILD),), ((_M, REBUILD),)),
    "make-not-null": Row(COL, "Making a column NOT NULL", ((_57, REBUILD),), ((_M, REBUILD),), (DATA_DEPENDENT,)),
    "enum-append": Row(
        COL,
        "Modifying the definition of an ENUM or SET column (appending)",
        ((_57, INPLACE), (_80, INSTANT)),
        ((_M, INSTANT),),
    ),
    "enum-storage-step": Row(
        COL, "Modifying an ENUM or SET column (the storage size changes)", ((_57, COPY),), ((_M, COPY),)
    ),
    "enum-reorder": Row(
        COL,
        "Modifying an ENUM or SET column (reordering or removing members)",
        ((_57, COPY),),
        ((_M, COPY),),
        (DATA_DEPENDENT,),
    ),
    "change-charset": Row(
        COL, "Changing the column data type (character set)", ((_57, COPY),), ((_M, COPY),), (DATA_DEPENDENT,)
    ),
    "change-collation": Row(
        COL,
        "Changing the column data type (collation)",
        ((_57, COPY),),
        ((_M, INSTANT),),
        notes={
            MYSQL_FLAVOR: "the manual has no collation row: a collation is part of the data type, whose change copies",
            MARIADB_FLAVOR: f"{_CHECKED}; see guardrails.ddl.collations for indexed, ENUM/SET and key columns",
        },
    ),
    "column-visibility": Row(COL, "Making a column invisible", ((_8023, INSTANT),), ((_M, INSTANT),)),
    "modify-unknown-column": Row(
        COL,
        "Modifying a column the schema model does not know",
        ((_57, "unknown unknown"),),
        ((_M, "unknown unknown"),),
    ),
    # Generated Column Operations
    "add-stored-column": Row(GEN, "Adding a STORED column", ((_57, COPY),), ((_M, COPY),)),
    "add-virtual-column": Row(GEN, "Adding a VIRTUAL column", ((_57, INPLACE), (_80, INSTANT)), ((_M, INSTANT),)),
    "drop-stored-column": Row(
        GEN,
        "Dropping a STORED column",
        ((_57, REBUILD),),
        ((_M, REBUILD), ((10, 4), INSTANT)),
        (DESTRUCTIVE, INCOMPATIBLE),
        instant_column=True,
    ),
    "drop-virtual-column": Row(
        GEN, "Dropping a VIRTUAL column", ((_57, INPLACE), (_80, INSTANT)), ((_M, INSTANT),), (INCOMPATIBLE,)
    ),
    "reorder-generated-column": Row(GEN, "Modifying STORED or VIRTUAL column order", ((_57, COPY),), ((_M, COPY),)),
    "modify-stored-expression": Row(GEN, "Modifying a STORED column's expression", ((_57, COPY),), ((_M, COPY),)),
    "modify-virtual-expression": Row(GEN, "Modifying a VIRTUAL column's expression", ((_57, COPY),), ((_M, INSTANT),)),
    # Foreign Key Operations
    "add-foreign-key": Row(
        FK, "Adding a foreign key constraint (foreign_key_checks=1)", ((_57, COPY),), ((_M, COPY),), (DATA_DEPENDENT,)
    ),
    "drop-foreign-key": Row(FK, "Dropping a foreign key constraint", ((_57, INPLACE),), ((_M, INSTANT),)),
    # CHECK constraints (MySQL 8.0.16+ enforces them; ALTER TABLE statement's notes)
    "add-check": Row(TBL, "Adding a CHECK constraint", ((_57, COPY),), ((_M, COPY),), (DATA_DEPENDENT,)),
    "drop-check": Row(TBL, "Dropping a CHECK constraint", ((_57, INPLACE),), ((_M, INSTANT),)),
    "check-enforcement": Row(TBL, "Enforcing a CHECK constraint", ((_57, COPY),), ((_M, COPY),), (DATA_DEPENDENT,)),
    # Table Operations
    "row-format": Row(TBL, "Changing ROW_FORMAT", ((_57, REBUILD),), ((_M, REBUILD),)),
    "key-block-size": Row(TBL, "Changing KEY_BLOCK_SIZE", ((_57, REBUILD),), ((_M, REBUILD),)),
    "table-stats": Row(TBL, "Setting persistent table statistics", ((_57, INPLACE),), ((_M, INSTANT),)),
    "default-charset": Row(TBL, "Specifying a character set", ((_57, REBUILD),), ((_M, INSTANT),)),
    "convert-charset": Row(TBL, "Converting a character set", ((_57, COPY),), ((_M, COPY),), (DATA_DEPENDENT,)),
    "convert-charset-no-strings": Row(
        TBL,
        "Converting a character set (no string columns)",
        ((_57, COPY),),
        ((_M, INSTANT),),
        notes={MYSQL_FLAVOR: f"{_CONVERT_NOTE}: a table without string columns included", MARIADB_FLAVOR: _CHECKED},
    ),
    # the manual's row has no exception for a collation-only conversion (In Place: No); MariaDB
    # changes the metadata only, unless an index must be re-sorted (guardrails.ddl.verdict)
    "convert-collation": Row(
        TBL,
        "Converting a character set (the same character set, another collation)",
        ((_57, COPY),),
        ((_M, INSTANT),),
        (DATA_DEPENDENT,),
        notes={
            MYSQL_FLAVOR: f"{_CONVERT_NOTE}: a collation-only conversion included",
            MARIADB_FLAVOR: f"{_CHECKED}; an index on a re-sorted column is rebuilt, an ENUM/SET one copied",
        },
    ),
    "convert-charset-same": Row(
        TBL,
        "Converting a character set (to the one the columns have)",
        ((_57, COPY),),
        ((_M, INSTANT),),
        notes={MYSQL_FLAVOR: _CONVERT_NOTE, MARIADB_FLAVOR: _CHECKED},
    ),
    "null-rebuild": Row(TBL, "Performing a null rebuild (ENGINE=InnoDB, FORCE)", ((_57, REBUILD),), ((_M, REBUILD),)),
    "auto-increment-value": Row(TBL, "Changing the auto-increment value", ((_57, INPLACE),), ((_M, INSTANT),)),
    "table-comment": Row(TBL, "Changing the table comment", ((_57, INPLACE), (_80, INSTANT)), ((_M, INSTANT),)),
    "rename-table": Row(
        TBL, "Renaming a table", ((_57, INPLACE), (_80, INSTANT)), ((_M, "INSTANT EXCLUSIVE"),), (INCOMPATIBLE,)
    ),
    "order-by": Row(TBL, "ORDER BY (rewrites the rows in order)", ((_57, COPY),), ((_M, COPY),)),
    # Tablespace Operations
    "table-encryption": Row(
        TS, "Enabling or disabling file-per-table tablespace encryption", ((_57, COPY),), ((_M, REBUILD),)
    ),
    "discard-import-tablespace": Row(
        TS, "Discarding or importing a tablespace", ((_57, MAINT),), ((_M, MAINT),), (DESTRUCTIVE,), maintenance=True
    ),
    # Partitioning Operations
    "partition-by": Row(PART, "PARTITION BY", ((_57, COPY),), ((_M, COPY),)),
    "remove-partitioning": Row(PART, "REMOVE PARTITIONING", ((_57, COPY),), ((_M, COPY),)),
    "add-partition": Row(PART, "ADD PARTITION", ((_57, MAINT),), ((_M, MAINT),), maintenance=True),
    "drop-partition": Row(PART, "DROP PARTITION", ((_57, MAINT),), ((_M, MAINT),), (DESTRUCTIVE,), maintenance=True),
    "truncate-partition": Row(
        PART, "TRUNCATE PARTITION", ((_57, MAINT),), ((_M, MAINT),), (DESTRUCTIVE,), maintenance=True
    ),
    "coalesce-partition": Row(PART, "COALESCE PARTITION", ((_57, MAINT),), ((_M, MAINT),), maintenance=True),
    "reorganize-partition": Row(PART, "REORGANIZE PARTITION", ((_57, MAINT),), ((_M, MAINT),), maintenance=True),
    "exchange-partition": Row(
        PART, "EXCHANGE PARTITION", ((_57, MAINT),), ((_M, MAINT),), (DATA_DEPENDENT,), maintenance=True
    ),
    "partition-maintenance": Row(
        PART, "ANALYZE, CHECK or REPAIR PARTITION", ((_57, MAINT),), ((_M, MAINT),), maintenance=True
    ),
    "optimize-partition": Row(PART, "OPTIMIZE PARTITION", ((_57, MAINT),), ((_M, MAINT),), maintenance=True),
    "rebuild-partition": Row(PART, "REBUILD PARTITION", ((_57, MAINT),), ((_M, MAINT),), maintenance=True),
    "partition-tablespace": Row(
        PART, "DISCARD or IMPORT PARTITION TABLESPACE", ((_57, MAINT),), ((_M, MAINT),), maintenance=True
    ),
}


def section(kind: str, mariadb: bool, version: tuple[int, ...], algorithm: str) -> str:
    """The manual's section a verdict comes from, for the why-sentence."""
    row = MATRIX[kind]
    note = row.notes.get(MARIADB_FLAVOR if mariadb else MYSQL_FLAVOR)
    if mariadb:
        kb = algorithm if algorithm in ALGORITHMS else "INPLACE"
        text = MARIADB_KB.format(algorithm=kb, operation=row.operation)
    else:
        major = "5.7" if version < (8, 0) else "8.4" if version >= (8, 4) else "8.0"
        text = MYSQL_MANUAL.format(major=major, table=row.table, operation=row.operation)
    return f"{text} ({note})" if note else text
