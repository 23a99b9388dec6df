"""A partition operation that rewrites every row resets MySQL's 64 instant row versions.

MySQL 8.0.29+ allows 64 instant ADD/DROP COLUMNs on a table; after that an ADD COLUMN rebuilds
it, until something rewrites the rows. COALESCE PARTITION and ADD PARTITION on HASH/KEY
partitioning redistribute every row, so the next ADD COLUMN is INSTANT again; ADD PARTITION on
RANGE adds an empty partition and leaves the count as it was.
"""

from __future__ import annotations

import pytest

from guardrails.findings import Finding
from guardrails.testing import run

CONFIG = {
    "version": 1,
    "extends": "none",
    "sql": {"server": "mysql-8.0.35", "migrations": ["db/migrations/*.sql"]},
    "rules": {"ddl-review": {"severity": "warning", "show": "all"}},
}
HASHED = "CREATE TABLE events (id BIGINT NOT NULL PRIMARY KEY, body TEXT) PARTITION BY HASH(id) PARTITIONS 8;\n"
RANGED = (
    "CREATE TABLE events (id BIGINT NOT NULL, day DATE NOT NULL, body TEXT, PRIMARY KEY (id, day))\n"
    "PARTITION BY RANGE COLUMNS(day) (PARTITION p2024 VALUES LESS THAN ('2025-01-01'));\n"
)
# 64 statements, one instant column each: the last row version is used up
FILL = "".join(f"ALTER TABLE events ADD COLUMN c{i} INT;\n" for i in range(64))
LAST = "ALTER TABLE events ADD COLUMN note VARCHAR(100);\n"


def reasons(finding: Finding) -> list[str]:
    value = finding.properties["reasons"]
    assert isinstance(value, list)
    return value


def verdicts(create: str, partition_op: str) -> dict[str, Finding]:
    files = {
        "db/migrations/001_create.sql": create,
        "db/migrations/002_columns.sql": FILL,
        "db/migrations/003_partitions.sql": f"ALTER TABLE events {partition_op};\n",
        "db/migrations/004_note.sql": LAST,
    }
    found = [f for f in run(files, CONFIG) if f.rule == "ddl-review" and "algorithm" in f.properties]
    return {f.path.rsplit("/", 1)[-1]: f for f in found}


@pytest.mark.parametrize("partition_op", ["COALESCE PARTITION 4", "ADD PARTITION PARTITIONS 2"])
def test_redistributing_hash_partitions_makes_the_next_add_column_instant_again(partition_op: str) -> None:
    found = verdicts(HASHED, partition_op)
    partitions, note = found["003_partitions.sql"], found["004_note.sql"]
    assert partitions.properties["rebuild"] is True
    assert any("every row" in r or "rewrites the rows" in r for r in reasons(partitions))
    assert (note.properties["algorithm"], note.properties["rebuild"]) == ("INSTANT", False)
    assert not any("row versions" in r for r in reasons(note))


def test_an_empty_range_partition_leaves_the_row_versions_used_up() -> None:
    found = verdicts(RANGED, "ADD PARTITION (PARTITION p2025 VALUES LESS THAN ('2026-01-01'))")
    assert found["003_partitions.sql"].properties["rebuild"] is False
    note = found["004_note.sql"]
    assert (note.properties["algorithm"], note.properties["rebuild"]) == ("INPLACE", True)
    assert any("64 row versions are used up" in r for r in reasons(note))
