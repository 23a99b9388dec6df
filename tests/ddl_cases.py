"""The ALTER TABLE cases ddl-review's verdicts are checked on: operations over tables that flip them.

Each operation carries the MySQL 8.0 (8.0.40) verdict for the plain table, transcribed from
the MySQL 8.0 manual's "Online DDL Operations" tables (the section is named beside it);
tests/test_ddl_agreement.py asks a real MariaDB for its own answer on every (table, operation).
"""

from __future__ import annotations

_USERS = (
    "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, email VARCHAR(50) NOT NULL, display_name VARCHAR(50), "
    "nick VARCHAR(20), bio TEXT, created_at DATETIME NOT NULL, status ENUM('active','banned'), "
    "flags SET('a','b'), score INT NOT NULL DEFAULT 0, note VARCHAR(200), PRIMARY KEY (id), "
    "UNIQUE KEY uq_email (email), KEY idx_created (created_at)"
)
_NOT_PARTITIONED = ", UNIQUE KEY uq_email (email)"

TABLES = {
    "plain": f"CREATE TABLE {{t}} ({_USERS}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "fulltext": f"CREATE TABLE {{t}} ({_USERS}, FULLTEXT KEY ft_bio (bio)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "compressed": f"CREATE TABLE {{t}} ({_USERS}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=COMPRESSED",
    "partitioned": (
        f"CREATE TABLE {{t}} ({_USERS.replace(_NOT_PARTITIONED, '')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
        "PARTITION BY HASH (id) PARTITIONS 4"
    ),
    "latin1": f"CREATE TABLE {{t}} ({_USERS}) ENGINE=InnoDB DEFAULT CHARSET=latin1",
    "redundant": f"CREATE TABLE {{t}} ({_USERS}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=REDUNDANT",
    "utf8mb3": f"CREATE TABLE {{t}} ({_USERS}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3",
}

# (clause, MySQL 8.0 verdict on the plain table, the manual's row)
OPERATIONS: list[tuple[str, str, str]] = [
    ("ADD COLUMN last_seen DATETIME", "INSTANT NONE", "Column Operations: Adding a column"),
    ("ADD COLUMN locale VARCHAR(10) NOT NULL DEFAULT 'en'", "INSTANT NONE", "Column Operations: Adding a column"),
    ("ADD COLUMN age INT NOT NULL", "INSTANT NONE", "Column Operations: Adding a column"),
    ("ADD COLUMN meta JSON", "INSTANT NONE", "Column Operations: Adding a column"),
    ("ADD COLUMN a1 INT, ADD COLUMN a2 TEXT", "INSTANT NONE", "Column Operations: Adding a column"),
    ("ADD COLUMN first_col INT FIRST", "INSTANT NONE", "Column Operations: Adding a column (8.0.29: any position)"),
    ("ADD COLUMN mid INT AFTER email", "INSTANT NONE", "Column Operations: Adding a column (8.0.29: any position)"),
    (
        "ADD COLUMN v_len INT AS (CHAR_LENGTH(email)) VIRTUAL",
        "INSTANT NONE",
        "Generated Column Operations: Adding a VIRTUAL column",
    ),
    (
        "ADD COLUMN s_len INT AS (CHAR_LENGTH(email)) STORED",
        "COPY SHARED rebuild",
        "Generated Column Operations: Adding a STORED column",
    ),
    ("DROP COLUMN bio", "INSTANT NONE", "Column Operations: Dropping a column (8.0.29)"),
    ("DROP COLUMN note", "INSTANT NONE", "Column Operations: Dropping a column (8.0.29)"),
    ("MODIFY created_at DATETIME NOT NULL FIRST", "INSTANT NONE", "Column Operations: Reordering columns (8.0.29)"),
    ("MODIFY note VARCHAR(200) AFTER id", "INSTANT NONE", "Column Operations: Reordering columns (8.0.29)"),
    ("RENAME COLUMN note TO remark", "INSTANT NONE", "Column Operations: Renaming a column (8.0.28)"),
    ("CHANGE note remark VARCHAR(200)", "INSTANT NONE", "Column Operations: Renaming a column (8.0.28)"),
    ("ALTER COLUMN score SET DEFAULT 10", "INSTANT NONE", "Column Operations: Setting a column default value"),
    ("ALTER COLUMN score DROP DEFAULT", "INSTANT NONE", "Column Operations: Dropping the column default value"),
    (
        "MODIFY note VARCHAR(200) COMMENT 'free text'",
        "INSTANT NONE",
        "Column Operations: Setting a column default value",
    ),
    ("MODIFY nick VARCHAR(30)", "INPLACE NONE", "Column Operations: Extending VARCHAR column size"),
    ("MODIFY nick VARCHAR(63)", "INPLACE NONE", "Column Operations: Extending VARCHAR column size"),
    (
        "MODIFY nick VARCHAR(64)",
        "COPY SHARED rebuild",
        "Column Operations: Extending VARCHAR column size (length bytes)",
    ),
    ("MODIFY display_name VARCHAR(63)", "INPLACE NONE", "Column Operations: Extending VARCHAR column size"),
    (
        "MODIFY display_name VARCHAR(80)",
        "COPY SHARED rebuild",
        "Column Operations: Extending VARCHAR column size (length bytes)",
    ),
    (
        "MODIFY display_name VARCHAR(300)",
        "COPY SHARED rebuild",
        "Column Operations: Extending VARCHAR column size (length bytes)",
    ),
    (
        "MODIFY note VARCHAR(300)",
        "INPLACE NONE",
        "Column Operations: Extending VARCHAR column size (800 to 1200 bytes)",
    ),
    ("MODIFY display_name VARCHAR(40)", "COPY SHARED rebuild", "Column Operations: Changing the column data type"),
    ("MODIFY display_name VARCHAR(50) NOT NULL", "INPLACE NONE rebuild", "Column Operations: Making a column NOT NULL"),
    ("MODIFY score INT NULL DEFAULT 0", "INPLACE NONE rebuild", "Column Operations: Making a column NULL"),
    (
        "MODIFY score BIGINT NOT NULL DEFAULT 0",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type",
    ),
    (
        "MODIFY score SMALLINT NOT NULL DEFAULT 0",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type",
    ),
    (
        "MODIFY score INT UNSIGNED NOT NULL DEFAULT 0",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type",
    ),
    (
        "MODIFY created_at DATETIME(3) NOT NULL",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type",
    ),
    ("MODIFY bio MEDIUMTEXT", "COPY SHARED rebuild", "Column Operations: Changing the column data type"),
    (
        "MODIFY status ENUM('active','banned','deleted')",
        "INSTANT NONE",
        "Column Operations: Modifying the definition of an ENUM or SET column",
    ),
    (
        "MODIFY status ENUM('banned','active')",
        "COPY SHARED rebuild",
        "Column Operations: Modifying the definition of an ENUM or SET column",
    ),
    (
        "MODIFY status ENUM('active')",
        "COPY SHARED rebuild",
        "Column Operations: Modifying the definition of an ENUM or SET column",
    ),
    (
        "MODIFY flags SET('a','b','c')",
        "INSTANT NONE",
        "Column Operations: Modifying the definition of an ENUM or SET column",
    ),
    (
        "MODIFY flags SET('a','b','c','d','e','f','g','h','i')",
        "COPY SHARED rebuild",
        "Column Operations: Modifying the definition of an ENUM or SET column (storage grows to 2 bytes)",
    ),
    (
        "ADD COLUMN n2 INT, ADD COLUMN n3 INT AFTER id, DROP COLUMN nick",
        "INSTANT NONE",
        "Column Operations: several instant operations in one ALTER",
    ),
    (
        "ADD INDEX idx_n (nick), ALTER COLUMN score SET DEFAULT 3",
        "INPLACE NONE",
        "Index Operations with Column Operations: the slowest operation wins",
    ),
    (
        "MODIFY note VARCHAR(200) CHARACTER SET latin1",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type",
    ),
    (
        "MODIFY note VARCHAR(200) CHARACTER SET utf8mb4",
        "INSTANT NONE",
        "Column Operations: a definition the column has already (on utf8mb4 tables)",
    ),
    (
        "MODIFY note VARCHAR(200) COLLATE utf8mb4_bin",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type",
    ),
    ("ADD INDEX idx_score (score)", "INPLACE NONE", "Index Operations: Creating or adding a secondary index"),
    (
        "ADD INDEX idx_a (score), ADD INDEX idx_b (nick)",
        "INPLACE NONE",
        "Index Operations: Creating or adding a secondary index",
    ),
    ("ADD INDEX idx_note (note(20))", "INPLACE NONE", "Index Operations: Creating or adding a secondary index"),
    ("DROP INDEX idx_created", "INPLACE NONE", "Index Operations: Dropping an index"),
    ("RENAME INDEX idx_created TO idx_created_at", "INPLACE NONE", "Index Operations: Renaming an index"),
    (
        "DROP INDEX idx_created, ADD INDEX idx_created (created_at, id)",
        "INPLACE NONE",
        "Index Operations: Dropping an index",
    ),
    ("ADD FULLTEXT INDEX ft_note (note)", "INPLACE SHARED rebuild", "Index Operations: Adding a FULLTEXT index"),
    (
        "DROP PRIMARY KEY, ADD PRIMARY KEY (id, created_at)",
        "INPLACE NONE rebuild",
        "Primary Key Operations: Dropping a primary key and adding another",
    ),
    ("ADD CONSTRAINT chk_score CHECK (score >= 0)", "COPY SHARED rebuild", "ALTER TABLE: CHECK constraints"),
    ("ROW_FORMAT=DYNAMIC", "INPLACE NONE rebuild", "Table Operations: Changing ROW_FORMAT"),
    ("ENGINE=InnoDB", "INPLACE NONE rebuild", "Table Operations: Performing a null rebuild"),
    ("FORCE", "INPLACE NONE rebuild", "Table Operations: Rebuilding with the FORCE option"),
    ("AUTO_INCREMENT=1000", "INPLACE NONE", "Column Operations: Changing the auto-increment value"),
    ("COMMENT='accounts'", "INSTANT NONE", "Table Operations: table comment"),
    ("STATS_PERSISTENT=0", "INPLACE NONE", "Table Operations: Setting persistent table statistics"),
    ("DEFAULT CHARSET=latin1", "INPLACE NONE rebuild", "Table Operations: Specifying a character set"),
    ("CONVERT TO CHARACTER SET latin1", "COPY SHARED rebuild", "Table Operations: Converting a character set"),
    (
        "CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        "COPY SHARED rebuild",
        "Table Operations: Converting a character set (a collation only)",
    ),
    ("DEFAULT COLLATE=utf8mb4_bin", "INPLACE NONE rebuild", "Table Operations: Specifying a character set"),
    (
        "MODIFY nick VARCHAR(20) COLLATE utf8mb4_unicode_ci",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type (a collation only)",
    ),
    (
        "MODIFY email VARCHAR(50) NOT NULL COLLATE utf8mb4_bin",
        "COPY SHARED rebuild",
        "Column Operations: Changing the column data type (a collation only, indexed)",
    ),
    (
        "ADD COLUMN z INT, ADD INDEX idx_z (z)",
        "INPLACE NONE rebuild",
        "Column Operations: Adding a column (combined with a non-instant operation)",
    ),
    (
        "ADD COLUMN z INT, DROP INDEX idx_created",
        "INPLACE NONE rebuild",
        "Column Operations: Adding a column (combined with a non-instant operation)",
    ),
    ("DROP COLUMN note, ADD COLUMN z INT", "INSTANT NONE", "Column Operations: Adding and dropping columns"),
    (
        "MODIFY display_name VARCHAR(80), ADD COLUMN z INT",
        "COPY SHARED rebuild",
        "Column Operations: the slowest operation wins",
    ),
    ("DROP COLUMN email", "INPLACE NONE rebuild", "Column Operations: Dropping a column that an index uses"),
]
# Operations a table variant cannot take (the server refuses them whatever the algorithm).
NOT_ON = {
    "partitioned": ("FULLTEXT", "uq_email"),
}
# MariaDB's answers that differ from what the model says: (variant, clause) -> (the MariaDB
# versions, X.Y, where they differ; why).
EXCEPTIONS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("partitioned", "DROP PRIMARY KEY, ADD PRIMARY KEY (id, created_at)"): (
        ("10.6", "10.11"),
        "MariaDB 10.x's partition engine answers the ALGORITHM check for the partitions as a whole and "
        "accepts INSTANT with LOCK=SHARED, yet every partition's clustered index is rebuilt (the InnoDB "
        "table ids change); ddl-review reports the rebuild the manual describes, INPLACE (11.4 and 11.8 "
        "copy, and ddl-review says so)",
    ),
}


def exception(case: str, version: str) -> str:
    """Why the rule may differ from MariaDB ``version`` (X.Y) on ``case``; "" where it must agree."""
    for (variant, clause), (versions, why) in EXCEPTIONS.items():
        if case == f"{variant}: {clause}" and version in versions:
            return why
    return ""


# Generated columns, in a table of their own (MariaDB's verdicts for other operations change
# when a table has VIRTUAL columns: see guardrails.ddl.verdict).
GENERATED_TABLE = (
    "CREATE TABLE {t} (id INT NOT NULL, price INT, qty INT, note VARCHAR(20), "
    "total INT AS (price * qty) VIRTUAL, total_s INT AS (price * qty + 1) STORED, PRIMARY KEY (id)) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
)
GENERATED_TABLES = {
    "generated": GENERATED_TABLE,
    "generated-partitioned": GENERATED_TABLE + " PARTITION BY HASH (id) PARTITIONS 2",
}
GENERATED_OPERATIONS: list[tuple[str, str, str]] = [
    (
        "ADD COLUMN double_total INT AS (price * qty * 2) VIRTUAL",
        "INSTANT NONE",
        "Generated Column Operations: Adding a VIRTUAL column",
    ),
    (
        "ADD COLUMN double_s INT AS (price * qty * 2) STORED",
        "COPY SHARED rebuild",
        "Generated Column Operations: Adding a STORED column",
    ),
    ("DROP COLUMN total", "INSTANT NONE", "Generated Column Operations: Dropping a VIRTUAL column"),
    ("DROP COLUMN total_s", "INPLACE NONE rebuild", "Generated Column Operations: Dropping a STORED column"),
    (
        "MODIFY total INT AS (price * qty + 5) VIRTUAL",
        "COPY SHARED rebuild",
        "Generated Column Operations: Modifying a VIRTUAL column's expression",
    ),
    (
        "MODIFY total_s INT AS (price * qty + 5) STORED",
        "COPY SHARED rebuild",
        "Generated Column Operations: Modifying a STORED column's expression",
    ),
    ("ADD COLUMN plain_col INT", "INSTANT NONE", "Column Operations: Adding a column"),
    ("ADD COLUMN early INT FIRST", "INSTANT NONE", "Column Operations: Adding a column (8.0.29: any position)"),
    ("DROP COLUMN note", "INSTANT NONE", "Column Operations: Dropping a column (8.0.29)"),
    (
        "ADD COLUMN seq INT NOT NULL AUTO_INCREMENT, ADD KEY (seq)",
        "INPLACE SHARED rebuild",
        "Column Operations: Adding an auto-increment column",
    ),
    ("ADD INDEX idx_total (total)", "INPLACE NONE", "Index Operations: Creating or adding a secondary index"),
    ("MODIFY note VARCHAR(40)", "INPLACE NONE", "Column Operations: Extending VARCHAR column size"),
    (
        "CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        "COPY SHARED rebuild",
        "Table Operations: Converting a character set (a collation only, no string column indexed)",
    ),
]


# A table without string columns: CONVERT TO changes only its default character set.
NUMBERS_TABLES = {
    "numbers": (
        "CREATE TABLE {t} (id BIGINT NOT NULL, qty INT NOT NULL, price DECIMAL(10,2), at DATETIME, "
        "PRIMARY KEY (id), KEY idx_at (at)) ENGINE=InnoDB DEFAULT CHARSET=latin1"
    ),
}
NUMBERS_OPERATIONS: list[tuple[str, str, str]] = [
    (
        "CONVERT TO CHARACTER SET utf8mb4",
        "COPY SHARED rebuild",
        "Table Operations: Converting a character set (In Place: No, whatever the columns)",
    ),
    (
        "CONVERT TO CHARACTER SET latin1 COLLATE latin1_bin",
        "COPY SHARED rebuild",
        "Table Operations: Converting a character set (In Place: No, whatever the columns)",
    ),
    ("DEFAULT CHARSET=utf8mb4", "INPLACE NONE rebuild", "Table Operations: Specifying a character set"),
    ("ADD COLUMN note VARCHAR(20)", "INSTANT NONE", "Column Operations: Adding a column"),
]

# Character-set and collation changes, each on the table named: MariaDB's answer depends on
# whether the values' order changes and on the indexes (guardrails.ddl.collations); the MySQL
# manual has no row for a collation, which is part of "Changing the column data type".
COLLATION_TABLES = {
    "collation": (
        "CREATE TABLE {t} (code VARCHAR(20) NOT NULL, s VARCHAR(20), u VARCHAR(20), e ENUM('a','b'), "
        "PRIMARY KEY (code), KEY idx_s (s)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3"
    ),
    "collation-indexed": (
        "CREATE TABLE {t} (id INT NOT NULL, s VARCHAR(20), t TEXT, PRIMARY KEY (id), KEY idx_s (s)) "
        "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
    ),
}
_TYPE = "Column Operations: Changing the column data type (character set or collation)"
_CONVERT = "Table Operations: Converting a character set (In Place: No)"
COLLATION_OPERATIONS: list[tuple[str, str, str, str]] = [
    ("collation", "MODIFY s VARCHAR(20) CHARACTER SET utf8mb4", "COPY SHARED rebuild", _TYPE),
    ("collation", "MODIFY s VARCHAR(20) COLLATE utf8mb4_general_ci", "COPY SHARED rebuild", _TYPE),
    ("collation", "MODIFY s VARCHAR(20) COLLATE utf8mb4_bin", "COPY SHARED rebuild", _TYPE),
    ("collation", "MODIFY u VARCHAR(20) COLLATE utf8mb3_bin", "COPY SHARED rebuild", _TYPE),
    ("collation", "MODIFY e ENUM('a','b') COLLATE utf8mb3_bin", "COPY SHARED rebuild", _TYPE),
    ("collation", "MODIFY code VARCHAR(20) NOT NULL COLLATE utf8mb3_bin", "COPY SHARED rebuild", _TYPE),
    ("collation", "CONVERT TO CHARACTER SET utf8mb3 COLLATE utf8mb3_bin", "COPY SHARED rebuild", _CONVERT),
    ("collation", "CONVERT TO CHARACTER SET utf8mb4", "COPY SHARED rebuild", _CONVERT),
    ("collation-indexed", "CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "COPY SHARED rebuild", _CONVERT),
    ("collation-indexed", "MODIFY t TEXT COLLATE utf8mb4_bin", "COPY SHARED rebuild", _TYPE),
]


def cases() -> list[tuple[str, str, str, str]]:
    """(case id, CREATE TABLE with {t}, clause, MySQL 8.0 verdict or "" where the manual's row is the plain one)."""
    out = []
    for variant, create in TABLES.items():
        for clause, mysql, _ in OPERATIONS:
            if any(word in clause for word in NOT_ON.get(variant, ())):
                continue
            out.append((f"{variant}: {clause}", create, clause, mysql if variant == "plain" else ""))
    for variant, create in GENERATED_TABLES.items():
        for clause, mysql, _ in GENERATED_OPERATIONS:
            out.append((f"{variant}: {clause}", create, clause, mysql if variant == "generated" else ""))
    for variant, create in NUMBERS_TABLES.items():
        for clause, mysql, _ in NUMBERS_OPERATIONS:
            out.append((f"{variant}: {clause}", create, clause, mysql))
    for variant, clause, mysql, _ in COLLATION_OPERATIONS:
        out.append((f"{variant}: {clause}", COLLATION_TABLES[variant], clause, mysql))
    return out
