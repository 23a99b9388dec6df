"""Turn each clause of a DDL statement into operations, named as the matrix names them.

A clause is compared with the table as the schema model has it just before the statement:
``MODIFY a VARCHAR(64)`` is "extend VARCHAR" or "VARCHAR crosses the length-byte boundary"
depending on the column's current length and charset. A clause this module does not read
becomes an ``unknown`` operation naming its form, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from guardrails.ddl.columns import STRING_TYPES, compare
from guardrails.ddl.statements import Clause
from guardrails.sql.dialect import DIALECT
from guardrails.sql.partition_ddl import word
from guardrails.sql.schema import Column, Table
from guardrails.sql.schema_replay import column_of

_TABLE_OPTIONS = {
    "ROW_FORMAT": "row-format",
    "KEY_BLOCK_SIZE": "key-block-size",
    "ENGINE": "null-rebuild",
    "AUTO_INCREMENT": "auto-increment-value",
    "COMMENT": "table-comment",
    "STATS_PERSISTENT": "table-stats",
    "STATS_AUTO_RECALC": "table-stats",
    "STATS_SAMPLE_PAGES": "table-stats",
    "ENCRYPTION": "table-encryption",
    "PAGE_COMPRESSED": "row-format",
    "PAGE_COMPRESSION_LEVEL": "row-format",
}
_PARTITION_MAINTENANCE = {
    "ADD": "add-partition",
    "DROP": "drop-partition",
    "TRUNCATE": "truncate-partition",
    "COALESCE": "coalesce-partition",
    "REORGANIZE": "reorganize-partition",
    "EXCHANGE": "exchange-partition",
    "ANALYZE": "partition-maintenance",
    "CHECK": "partition-maintenance",
    "OPTIMIZE": "optimize-partition",
    "REBUILD": "rebuild-partition",
    "REPAIR": "partition-maintenance",
    "DISCARD": "partition-tablespace",
    "IMPORT": "partition-tablespace",
}


@dataclass
class Op:
    kind: str  # a row of guardrails.ddl.matrix
    clause: Clause
    column: str = ""  # the column or index the clause names
    detail: str = ""  # what about it decides the verdict, for the why-sentence
    new: Column | None = None  # ADD/MODIFY/CHANGE: the column as defined by the clause
    old: Column | None = None  # MODIFY/CHANGE/DROP: the column as it was

    @property
    def form(self) -> str:
        return " ".join(self.clause.words[:3]).strip() or self.clause.text[:40]


def operations(clause: Clause, table: Table | None, text: str) -> list[Op]:
    """The operations one clause performs (MODIFY may be several: type and position)."""
    w = clause.words + ["", "", "", ""]
    first = w[0]
    if first in ("ADD", "CREATE"):  # CREATE INDEX is read as its ADD INDEX clause
        return _add(clause, table, text, w)
    if first == "DROP":
        return [_drop(clause, table, w)]
    if first in ("MODIFY", "CHANGE"):
        return _modify(clause, table, text, w)
    if first == "ALTER":
        return [_alter(clause, w)]
    if first == "RENAME":
        if w[1] == "COLUMN":
            return [Op("rename-column", clause, clause.tokens[2].text)]
        if w[1] in ("INDEX", "KEY"):
            return [Op("rename-index", clause, clause.tokens[2].text)]
        return [Op("rename-table", clause)]
    if first == "CONVERT":
        return [_convert(clause, table, w)]
    if first in ("DEFAULT", "CHARACTER", "CHARSET", "COLLATE"):
        return [Op("default-charset", clause)]
    if first in _TABLE_OPTIONS:
        return [Op(_TABLE_OPTIONS[first], clause, detail=" ".join(t.text for t in clause.tokens))]
    if first == "FORCE":
        return [Op("null-rebuild", clause, detail="FORCE")]
    if first == "PARTITION BY":
        return [Op("partition-by", clause)]
    if first == "REMOVE" and w[1] == "PARTITIONING":
        return [Op("remove-partitioning", clause)]
    if first in _PARTITION_MAINTENANCE and w[1] in ("PARTITION", "PARTITIONS"):
        return [Op(_PARTITION_MAINTENANCE[first], clause, detail=" ".join(t.text for t in clause.tokens[2:]))]
    if first in ("DISCARD", "IMPORT") and w[1] == "TABLESPACE":
        return [Op("discard-import-tablespace", clause)]
    if first == "ORDER BY":
        return [Op("order-by", clause)]
    return [Op("unknown", clause, detail=clause.text[:60])]


def _add(clause: Clause, table: Table | None, text: str, w: list[str]) -> list[Op]:
    i = 1
    if w[1] == "CONSTRAINT":
        i = 2 if w[2] in ("PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK") else 3
    key = w[i]
    if key == "PRIMARY KEY":
        return [Op("add-primary-key", clause, detail=_paren_names(clause))]
    if key == "UNIQUE":
        return [Op("add-unique-index", clause, detail=_paren_names(clause))]
    if key == "FULLTEXT":
        return [Op("add-fulltext-index", clause)]
    if key == "SPATIAL":
        return [Op("add-spatial-index", clause)]
    if key in ("INDEX", "KEY"):
        return [Op("add-index", clause, detail=_paren_names(clause))]
    if key == "FOREIGN KEY":
        return [Op("add-foreign-key", clause)]
    if key == "CHECK":
        return [Op("add-check", clause)]
    if key in ("PARTITION", "PARTITIONS"):
        return [Op("add-partition", clause, detail=" ".join(t.text for t in clause.tokens[2:]))]
    start = 2 if w[1] == "COLUMN" else 1
    start += 3 if [x for x in w[start : start + 3]] == ["IF", "NOT", "EXISTS"] else 0
    body = clause.tokens[start:]
    if body and body[0].token_type == TokenType.L_PAREN:  # ADD COLUMN (a INT, b INT)
        inner = body[1:-1]
        return [_added(clause, table, text, part) for part in _comma_parts(inner)]
    return [_added(clause, table, text, body)]


def _added(clause: Clause, table: Table | None, text: str, body: list[Token]) -> Op:
    body, position = _position(body)
    column = _column(text, body)
    if column is None:
        return Op("unknown", clause, detail=clause.text[:60])
    if column.generated:
        kind = "add-virtual-column" if column.generated == "VIRTUAL" else "add-stored-column"
    elif column.auto_increment:
        kind = "add-auto-increment-column"
    else:
        kind = "add-column-positioned" if position else "add-column"
    return Op(kind, clause, column.name, position, new=column)


def _drop(clause: Clause, table: Table | None, w: list[str]) -> Op:
    if w[1] in ("INDEX", "KEY"):
        return Op("drop-index", clause, clause.tokens[-1].text)
    if w[1] == "PRIMARY KEY":
        return Op("drop-primary-key", clause)
    if w[1] == "FOREIGN KEY":
        return Op("drop-foreign-key", clause, clause.tokens[-1].text)
    if w[1] in ("CHECK", "CONSTRAINT"):
        name = clause.tokens[-1].text
        if table is not None and table.index(name) is not None:
            return Op("drop-index", clause, name)
        if table is not None and any(k.name.lower() == name.lower() for k in table.foreign_keys):
            return Op("drop-foreign-key", clause, name)
        return Op("drop-check", clause, name)
    if w[1] in ("PARTITION", "PARTITIONS"):
        return Op("drop-partition", clause, detail=" ".join(t.text for t in clause.tokens[2:]))
    name = clause.tokens[-1].text
    old = table.column(name) if table is not None else None
    if old is not None and old.generated:
        return Op("drop-virtual-column" if old.generated == "VIRTUAL" else "drop-stored-column", clause, name, old=old)
    return Op("drop-column", clause, name, old=old)


def _alter(clause: Clause, w: list[str]) -> Op:
    if w[1] in ("INDEX", "KEY"):
        return Op("index-visibility", clause, clause.tokens[2].text, " ".join(w[3:5]).strip())
    if w[1] in ("CHECK", "CONSTRAINT"):
        return Op("check-enforcement", clause, clause.tokens[2].text)
    i = 2 if w[1] == "COLUMN" else 1
    name = clause.tokens[i].text
    rest = w[i + 1 : i + 3]
    if rest[:1] == ["SET"] and w[i + 2] in ("VISIBLE", "INVISIBLE"):
        return Op("column-visibility", clause, name)
    if rest[:1] in (["SET"], ["DROP"]):
        return Op("set-default" if rest[0] == "SET" else "drop-default", clause, name)
    return Op("unknown", clause, detail=clause.text[:60])


def _modify(clause: Clause, table: Table | None, text: str, w: list[str]) -> list[Op]:
    i = 2 if w[1] == "COLUMN" else 1
    i += 2 if w[i : i + 2] == ["IF", "EXISTS"] else 0
    old_name = clause.tokens[i].text
    body = clause.tokens[i + 1 :] if w[0] == "CHANGE" else clause.tokens[i:]
    body, position = _position(body)
    new = _column(text, body)
    old = table.column(old_name) if table is not None else None
    if new is None:
        return [Op("unknown", clause, detail=clause.text[:60])]
    if old is None:
        return [Op("modify-unknown-column", clause, old_name, new=new)]
    ops = [Op(kind, clause, old.name, detail, new=new, old=old) for kind, detail in compare(old, new, table)]
    if position:
        kind = "reorder-generated-column" if old.generated else "reorder-column"
        ops.append(Op(kind, clause, old.name, position, new=new, old=old))
    return ops or [Op("column-metadata", clause, old.name, "the same definition", new=new, old=old)]


def _convert(clause: Clause, table: Table | None, w: list[str]) -> Op:
    values = [t.text.lower() for t, x in zip(clause.tokens, w, strict=False) if x not in _CONVERT_WORDS]
    charset = values[0] if values else ""
    # CONVERT TO CHARACTER SET cs COLLATE co: the collation is the value after COLLATE
    collation = values[-1] if "COLLATE" in w and len(values) > 1 else ""
    target = f"{charset} COLLATE {collation}" if collation else charset
    if table is None:
        return Op("convert-charset", clause, detail=f"to {target}")
    strings = [c for c in table.columns if c.data_type in STRING_TYPES]
    if not strings:
        return Op("convert-charset-no-strings", clause, detail=f"to {target}: {table.name} has no string columns")
    same = all((c.charset or table.charset) == charset for c in strings) and table.charset
    if same and (not collation or all(c.collation == collation for c in strings)):
        return Op("convert-charset-same", clause, detail=f"its string columns are {charset} already")
    if same:  # a collation the columns are not known to have: their values sort differently
        return Op("convert-collation", clause, detail=f"to {target}: the characters stay, the order changes")
    names = ", ".join(c.name for c in strings[:3])
    return Op("convert-charset", clause, detail=f"to {target}, rewriting {names}")


_CONVERT_WORDS = ("CONVERT", "TO", "CHARACTER", "SET", "CHARSET", "COLLATE", "=")


def _position(body: list[Token]) -> tuple[list[Token], str]:
    """The column definition without a trailing FIRST / AFTER x, and that position."""
    if body and word(body[-1]) == "FIRST":
        return body[:-1], "FIRST"
    if len(body) >= 2 and word(body[-2]) == "AFTER":
        return body[:-2], f"AFTER {body[-1].text}"
    return body, ""


def _column(text: str, body: list[Token]) -> Column | None:
    if not body:
        return None
    definition = text[body[0].start : body[-1].end + 1]
    if body[0].token_type == TokenType.IDENTIFIER:  # keep a quoted name quoted
        definition = "`" + body[0].text.replace("`", "``") + "`" + text[body[0].end + 1 : body[-1].end + 1]
    try:
        parsed = DIALECT.parse_statement(f"CREATE TABLE _t ({definition})").expression
    except (ParseError, TokenError):
        return None
    columns = parsed.this.expressions if isinstance(parsed, exp.Create) and isinstance(parsed.this, exp.Schema) else []
    if len(columns) != 1 or not isinstance(columns[0], exp.ColumnDef):
        return None
    return column_of(columns[0])


def _comma_parts(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        if token.token_type == TokenType.COMMA and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def _paren_names(clause: Clause) -> str:
    """The column list of a key clause, "(user_id, created_at)": the first name of each key part."""
    tokens = clause.tokens
    start = next((k for k, t in enumerate(tokens) if t.token_type == TokenType.L_PAREN), None)
    if start is None:
        return ""
    names = []
    depth = 0
    expect = False
    for token in tokens[start:]:
        kind = token.token_type
        if kind == TokenType.L_PAREN:
            depth += 1
            expect = depth == 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and kind == TokenType.COMMA:
            expect = True
        elif expect:
            names.append(token.text)
            expect = False
    return "(" + ", ".join(names) + ")"
