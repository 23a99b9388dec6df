"""What running a judged statement takes: the copy-paste fix and the checks before it runs.

- The fix pins the verdict (``ALGORITHM=INSTANT`` or ``ALGORITHM=INPLACE, LOCK=NONE``) so the
  statement fails fast where the server disagrees instead of silently copying; a COPY is
  handed to an online schema-change tool (gh-ost, pt-online-schema-change, Spirit).
- ADD UNIQUE / PRIMARY KEY through gh-ost or pt-osc: both copy rows with INSERT IGNORE, so
  duplicates vanish without an error; the SELECT that finds them comes with the finding.
- ADD PARTITION after a ``LESS THAN MAXVALUE`` partition always fails.
"""

from __future__ import annotations

from guardrails.ddl.clauses import Op
from guardrails.ddl.review import Reviewed
from guardrails.ddl.statements import ALTER, CREATE_INDEX, DROP_INDEX
from guardrails.sql.schema import RANGE, RANGE_COLUMNS, Table

EXECUTORS = ("none", "gh-ost", "pt-osc", "spirit")


def _one_line(text: str) -> str:
    """The clause on one line, unless a comment inside it would swallow what follows."""
    if "--" in text or "#" in text:
        return text.strip()
    return " ".join(text.split())


def alter_body(reviewed: Reviewed) -> str:
    return ", ".join(_one_line(c.text) for c in reviewed.ddl.clauses if c.words[:1] != ["ALGORITHM"])


def pinned(reviewed: Reviewed, text: str, executor: str) -> str:
    """The statement as it should be written: with its verdict pinned, or the tool invocation for a COPY."""
    ddl, verdict = reviewed.ddl, reviewed.verdict
    if ddl.kind not in (ALTER, CREATE_INDEX, DROP_INDEX) or verdict.algorithm in ("n/a", "unknown"):
        return ""
    name = f"{ddl.database}.{ddl.table}" if ddl.database else ddl.table
    if verdict.algorithm == "COPY" and (executor != "none" or verdict.lock != "NONE"):
        return tool_command(reviewed, executor)  # a COPY that blocks writes (MariaDB 11.2+ copies online)
    if ddl.algorithm:
        return ""  # pinned already
    clause = f"ALGORITHM={verdict.algorithm}" + ("" if verdict.algorithm == "INSTANT" else f", LOCK={verdict.lock}")
    if ddl.kind == ALTER:
        return f"ALTER TABLE {name} {alter_body(reviewed)}, {clause};"
    return f"{_one_line(text).rstrip(';')} {clause.replace(',', '')};"


def tool_command(reviewed: Reviewed, executor: str) -> str:
    ddl = reviewed.ddl
    body = alter_body(reviewed).replace('"', '\\"')
    database = ddl.database or "$DB"
    if executor == "pt-osc":
        return f'pt-online-schema-change --alter "{body}" D={database},t={ddl.table} --execute'
    if executor == "spirit":
        return f'spirit --database={database} --table={ddl.table} --alter="{body}"'
    return f'gh-ost --database={database} --table={ddl.table} --alter="{body}" --execute'


def copies_with_insert_ignore(reviewed: Reviewed, executor: str) -> list[tuple[Op, str]]:
    """(op, the SELECT finding the rows a unique key would drop) for ADD UNIQUE/PRIMARY KEY under gh-ost or pt-osc."""
    if executor not in ("gh-ost", "pt-osc"):
        return []
    out = []
    for op in reviewed.ops:
        if op.kind in ("add-unique-index", "add-primary-key", "drop-add-primary-key") and op.detail:
            columns = op.detail.strip("()")
            name = reviewed.ddl.table
            select = f"SELECT {columns}, COUNT(*) FROM {name} GROUP BY {columns} HAVING COUNT(*) > 1;"
            out.append((op, select))
    return out


def maxvalue_blocks(op: Op, table: Table | None) -> str:
    """The partition whose ``LESS THAN MAXVALUE`` makes ADD PARTITION fail, or ""."""
    if op.kind != "add-partition" or table is None or table.partitioning is None:
        return ""
    partitioning = table.partitioning
    if partitioning.kind not in (RANGE, RANGE_COLUMNS) or not partitioning.partitions:
        return ""
    last = partitioning.partitions[-1]
    return last.name if "MAXVALUE" in last.values.upper() else ""
