"""What a MODIFY/CHANGE does to a column: the old definition against the new, in the matrix's terms.

The verdict depends on bytes, not characters: a VARCHAR's length prefix is one byte up to
255 bytes and two beyond, so ``VARCHAR(63)`` to ``VARCHAR(64)`` crosses it in utf8mb4
(252 to 256 bytes) and not in latin1. ENUM and SET keep their storage size up to 255
members (ENUM) or 8/16/24/32/64 members (SET).
"""

from __future__ import annotations

from guardrails.sql.schema import Column, Table

_INTS = ("tinyint", "smallint", "mediumint", "int", "integer", "bigint")
_TEXTS = ("tinytext", "text", "mediumtext", "longtext")
_BLOBS = ("tinyblob", "blob", "mediumblob", "longblob")
_VARLEN = ("varchar", "varbinary")
# Bytes per character of the charsets teams use (the maximum, which sizes a VARCHAR).
CHARSET_BYTES = {"latin1": 1, "ascii": 1, "binary": 1, "utf8": 3, "utf8mb3": 3, "utf8mb4": 4, "ucs2": 2, "utf16": 4}
STRING_TYPES = ("char", "varchar", "text", "tinytext", "mediumtext", "longtext", "enum", "set")
DEFAULT_CHARSET = "utf8mb4"  # MySQL 8.0's default; MariaDB 10.x defaults to latin1 unless configured


def charset_of(column: Column, table: Table | None) -> str:
    if column.charset:
        return column.charset
    if column.collation:
        return column.collation.split("_")[0]
    return (table.charset if table is not None else "") or DEFAULT_CHARSET


def indexed(column: str, table: Table) -> bool:
    """Whether the primary key or any index uses the column."""
    name = column.lower()
    return name in table.primary_key or any(name in index.columns for index in table.indexes)


def max_bytes(column: Column, table: Table | None) -> int:
    if column.data_type == "varbinary":
        return column.length
    return column.length * CHARSET_BYTES.get(charset_of(column, table), 4)


def length_bytes(size: int) -> int:
    return 1 if size <= 255 else 2


def enum_size(column: Column) -> int:
    n = len(column.values)
    if column.data_type == "enum":
        return 1 if n <= 255 else 2
    return next(size for limit, size in ((8, 1), (16, 2), (24, 3), (32, 4), (64, 8)) if n <= limit)


def _base(column: Column) -> str:
    """The type without its length: what decides "same type"."""
    return column.column_type.split("(")[0].strip() + (" unsigned" if "unsigned" in column.column_type else "")


def compare(old: Column, new: Column, table: Table | None) -> list[tuple[str, str]]:
    """(matrix row, detail) for each change the new definition makes; [] for none that matters."""
    out: list[tuple[str, str]] = []
    if old.name.lower() != new.name.lower() or old.name != new.name:
        out.append(("rename-column", f"{old.name} to {new.name}"))
    out += _type_change(old, new, table)
    if old.nullable and not new.nullable:
        out.append(("make-not-null", f"{new.name} becomes NOT NULL"))
    elif not old.nullable and new.nullable:
        out.append(("make-nullable", f"{new.name} becomes NULL"))
    return out


def _type_change(old: Column, new: Column, table: Table | None) -> list[tuple[str, str]]:
    if old.generated != new.generated:
        return [("change-type", f"{old.generated or 'stored data'} to {new.generated or 'stored data'}")]
    if old.generated:
        if old.expression != new.expression or old.column_type != new.column_type:
            kind = "modify-virtual-expression" if old.generated == "VIRTUAL" else "modify-stored-expression"
            return [(kind, f"{new.name} AS ({new.expression})")]
        return []
    old_cs, new_cs = charset_of(old, table), charset_of(new, table)
    strings = old.data_type in ("char", "varchar", *_TEXTS, "enum", "set")
    charset_changed = strings and old_cs != new_cs
    if old.column_type == new.column_type and old.auto_increment == new.auto_increment:
        if charset_changed:
            return [("change-charset", f"{old_cs} to {new_cs}")]
        if strings and (old.collation or "") != (new.collation or "") and new.collation:
            return [("change-collation", f"collation {new.collation}")]
        return []
    if old.auto_increment != new.auto_increment:
        return [("change-type", f"{old.column_type} to {new.column_type} AUTO_INCREMENT")]
    detail = f"{old.column_type.upper()} to {new.column_type.upper()}"
    if old.data_type in _VARLEN and old.data_type == new.data_type and not charset_changed:
        before, after = max_bytes(old, table), max_bytes(new, table)
        bytes_detail = f"{detail}: {before} to {after} bytes in {new_cs}"
        if after < before:
            return [("narrow-type", bytes_detail)]
        if length_bytes(before) != length_bytes(after):
            return [("extend-varchar-length-bytes", bytes_detail)]
        return [("extend-varchar", bytes_detail)]
    if old.data_type in ("enum", "set") and old.data_type == new.data_type:
        if new.values[: len(old.values)] != old.values:
            return [("enum-reorder", f"{detail}: members reordered or removed")]
        if enum_size(new) != enum_size(old):
            return [("enum-storage-step", f"{detail}: {enum_size(old)} to {enum_size(new)} bytes")]
        return [("enum-append", f"{detail}: members appended")]
    if _narrower(old, new):
        return [("narrow-type", detail)]
    return [("change-type", detail)]


def _narrower(old: Column, new: Column) -> bool:
    for family in (_INTS, _TEXTS, _BLOBS):
        if old.data_type in family and new.data_type in family:
            return family.index(new.data_type) < family.index(old.data_type)
    if old.data_type in ("char", "varchar", "binary", "varbinary") and new.data_type == old.data_type:
        return new.length < old.length
    return False
