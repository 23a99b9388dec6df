"""The schema model read from a live database (``database.dsn``) instead of replayed DDL.

information_schema.COLUMNS gives the columns, STATISTICS the primary key and
PARTITIONS how each table is partitioned. The partitioning is rebuilt as the
``PARTITION BY`` clause the server would print and read by the same reader
that replays DDL files (``guardrails.sql.partition_ddl``), so a table means the
same thing whichever way it was learnt. The rows come through the EXPLAIN
runner's fixed catalog queries: no other code talks to the database.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from guardrails.findings import parse_error
from guardrails.mysql.dsn import Dsn
from guardrails.sql.schema import KINDS, RANGE, Column, Partitioning, Schema, Table


def load_schema_from_db(dsn: str | Dsn) -> Schema:
    """Every table of the DSN's database. A connection failure is a finding, not a crash."""
    from guardrails.mysql.runner import DatabaseError, ExplainRunner

    schema = Schema()
    try:
        with ExplainRunner(dsn) as runner:
            catalog = runner.catalog()
            database = runner.dsn.database
    except DatabaseError as exc:
        schema.problems.append(parse_error("", f"cannot read the schema from the database: {exc}"))
        return schema
    return schema_from_catalog(catalog, database)


def schema_from_catalog(catalog: dict[str, list[tuple[Any, ...]]], database: str) -> Schema:
    """Build the model from the rows of ExplainRunner.catalog()."""
    schema = Schema()
    columns: dict[str, list[Column]] = defaultdict(list)
    for table, name, data_type, column_type, nullable in catalog["columns"]:
        columns[table].append(Column(name, data_type.lower(), column_type.lower(), nullable == "YES"))
    primary: dict[str, list[str]] = defaultdict(list)
    for table, name in catalog["primary_keys"]:
        primary[table].append(name.lower())
    partitions: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in catalog["partitions"]:
        partitions[row[0]].append(row[1:])
    for table_name, table_columns in columns.items():
        table = Table(table_name, "", table_columns, tuple(primary.get(table_name, ())))
        rows = partitions.get(table_name)
        if rows and rows[0][0] is not None:
            try:
                table.partitioning = _partitioning(rows, table.primary_key)
            except Exception as exc:  # a form the reader does not know: report it, keep the table
                schema.problems.append(parse_error("", f"{database}.{table_name}: cannot read its partitioning: {exc}"))
        schema.add(table)
    return schema


def _partitioning(rows: list[tuple[Any, ...]], primary_key: tuple[str, ...]) -> Partitioning | None:
    """From rows of (partition, subpartition, method, submethod, expression, subexpression,
    description), one per partition or subpartition, in order."""
    from guardrails.sql.dialect import DIALECT
    from guardrails.sql.partition_ddl import parse_partition_by

    method, submethod, expression, subexpression = rows[0][2], rows[0][3], rows[0][4], rows[0][5]
    if method not in KINDS:  # MariaDB's SYSTEM_TIME (history partitions) does not prune on data
        return None
    clause = f"PARTITION BY {_method(method, expression)}"
    if submethod:
        clause += f" SUBPARTITION BY {_method(submethod, subexpression)}"
    # partition -> (its description, its subpartitions), in the rows' order
    definitions: dict[str, tuple[str | None, list[str]]] = {}
    for partition, subpartition, *_, description in rows:
        _, subs = definitions.setdefault(partition, (description, []))
        if subpartition:
            subs.append(subpartition)
    parts = []
    for partition, (description, subs) in definitions.items():
        text = f"PARTITION `{partition}`{_values(method, description)}"
        if subs:
            text += " (" + ", ".join(f"SUBPARTITION `{s}`" for s in subs) + ")"
        parts.append(text)
    clause += " (" + ", ".join(parts) + ")"
    tokens = DIALECT.tokenize(clause)
    partitioning, _ = parse_partition_by(tokens, 0, clause, primary_key)
    return partitioning


def _method(method: str, expression: str | None) -> str:
    if method.endswith("COLUMNS"):
        return f"{method} ({expression})"
    return f"{method} ({expression or ''})"


def _values(method: str, description: str | None) -> str:
    if method.startswith("LIST"):
        return f" VALUES IN ({description})"
    if method.startswith(RANGE):
        if description == "MAXVALUE":
            return " VALUES LESS THAN MAXVALUE"
        return f" VALUES LESS THAN ({description})"
    return ""
