"""The schema model: every MySQL partition form, and DDL replayed in file-name order."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.sql.schema import Schema, Table
from guardrails.sql.schema_replay import replay_text
from tests.helpers import Repo, guardrails

FIXTURES = Path(__file__).parent / "fixtures" / "schema"


def _replay(text: str, path: str = "schema.sql") -> Schema:
    schema = Schema()
    replay_text(schema, path, text)
    return schema


def _table(schema: Schema, name: str) -> Table:
    table = schema.lookup(name)
    assert table is not None, f"{name} not in the model: {sorted(schema.tables)}"
    return table


@pytest.fixture(scope="module")
def skeema() -> Schema:
    schema = _replay((FIXTURES / "skeema_partition.sql").read_text(), "skeema_partition.sql")
    assert not schema.problems, [f.message for f in schema.problems]
    return schema


@pytest.mark.parametrize(
    ("name", "kind", "columns", "names"),
    [
        ("prange", "RANGE", ("customer_id",), ["p0", "p1", "p2"]),
        ("prangecol", "RANGE COLUMNS", ("a", "d", "c"), ["p0", "p1", "p2", "p3"]),
        ("plist", "LIST", ("id",), ["r0", "r1", "r2", "r3"]),
        ("plistcol", "LIST COLUMNS", ("a", "b"), ["p0", "p1", "p2", "p3"]),
        ("pkey", "KEY", ("col3", "col1"), ["p0", "p1", "p2", "p3", "p4"]),
        ("pkeyalgo1", "KEY", ("col3",), ["p0", "p1"]),
        ("plinearkeyexplicit", "LINEAR KEY", ("col3", "col1"), ["p0", "p1", "p2", "p3", "p4"]),
        ("pkeypk", "KEY", ("a", "b"), ["p0", "p1", "p2"]),  # KEY(): the primary key
        ("plinearkey", "LINEAR KEY", ("col1",), ["p0", "p1"]),  # MariaDB ALGORITHM = XXH32
        ("plinearkeynocount", "LINEAR KEY", ("col1",), ["p0"]),
        ("phash", "HASH", ("c1", "c2"), ["p0", "p1", "p2"]),
        ("plinearhash", "LINEAR HASH", ("c1",), ["p0", "p1", "p2", "p3"]),
        ("phashexplicit", "HASH", ("c1", "c2"), ["p0", "p1", "p2", "p3"]),
    ],
)
def test_every_partition_kind_in_skeemas_fixture(
    skeema: Schema, name: str, kind: str, columns: tuple[str, ...], names: list[str]
) -> None:
    partitioning = _table(skeema, name).partitioning
    assert partitioning is not None
    assert (partitioning.kind, partitioning.columns, partitioning.partition_names) == (
        kind,
        columns,
        names,
    )


def test_values_maxvalue_and_the_primary_key_of_key_partitioning(skeema: Schema) -> None:
    prange = _table(skeema, "prange")
    assert prange.partitioning is not None
    assert [p.values for p in prange.partitioning.partitions] == [
        "LESS THAN (123)",
        "LESS THAN (456)",
        "LESS THAN MAXVALUE",
    ]
    assert prange.primary_key == ("id", "customer_id")
    assert [(c.name, c.column_type, c.nullable) for c in prange.columns] == [
        ("id", "int unsigned", False),
        ("customer_id", "int unsigned", False),
        ("info", "text", True),
    ]
    prangecol = _table(skeema, "prangecol").partitioning
    assert prangecol is not None and prangecol.partitions[-1].values == "LESS THAN (MAXVALUE,MAXVALUE,MAXVALUE)"
    pkeypk = _table(skeema, "pkeypk").partitioning
    assert pkeypk is not None and pkeypk.key_is_primary_key
    assert not _table(skeema, "plinearkeynocount").partitioned  # one partition: nothing to prune


def test_partitioning_inside_a_mysqldump_version_comment() -> None:
    schema = _replay((FIXTURES / "employees_partitioned_titles.sql").read_text())
    assert not schema.problems
    titles = _table(schema, "titles")
    assert titles.partitioning is not None
    assert titles.partitioning.kind == "RANGE COLUMNS"
    assert titles.partitioning.columns == ("from_date",)
    assert titles.partitioning.count == 19
    assert titles.partitioning.partitions[-1].values == "LESS THAN (MAXVALUE)"
    assert titles.primary_key == ("emp_no", "title", "from_date")


@pytest.mark.parametrize(
    ("expression", "columns", "function"),
    [
        ("YEAR(created)", ("created",), "YEAR"),
        ("TO_DAYS(created)", ("created",), "TO_DAYS"),
        ("TO_SECONDS(`created`)", ("created",), "TO_SECONDS"),
        ("UNIX_TIMESTAMP(created)", ("created",), "UNIX_TIMESTAMP"),
        ("created_id", ("created_id",), ""),
        ("created_id DIV 1000", ("created_id",), "(expression)"),
    ],
)
def test_range_expressions(expression: str, columns: tuple[str, ...], function: str) -> None:
    schema = _replay(
        "CREATE TABLE t (created TIMESTAMP NOT NULL, created_id INT NOT NULL)\n"
        f"PARTITION BY RANGE ({expression}) (PARTITION p0 VALUES LESS THAN (1000),\n"
        "PARTITION p1 VALUES LESS THAN MAXVALUE);"
    )
    assert not schema.problems, [f.message for f in schema.problems]
    partitioning = _table(schema, "t").partitioning
    assert partitioning is not None
    assert (partitioning.columns, partitioning.function) == (columns, function)


def test_subpartitions_in_an_alter_with_other_changes() -> None:
    schema = _replay(
        "CREATE TABLE subscriptions (user_id int NOT NULL, post_id int NOT NULL);\n"
        "ALTER TABLE subscriptions\n"
        "  ADD COLUMN subscription_id int(10) unsigned NOT NULL AUTO_INCREMENT FIRST,\n"
        "  ADD KEY sub_id_user (subscription_id, user_id),\n"
        "  AUTO_INCREMENT=456\n"
        "  PARTITION BY RANGE (user_id)\n"
        "  SUBPARTITION BY HASH(post_id)\n"
        "  SUBPARTITIONS 2 (\n"
        "    PARTITION p0 VALUES LESS THAN (123),\n"
        "    PARTITION p1 VALUES LESS THAN MAXVALUE\n"
        "  );"
    )
    assert not schema.problems, [f.message for f in schema.problems]
    table = _table(schema, "subscriptions")
    assert table.column("subscription_id") is not None
    partitioning = table.partitioning
    assert partitioning is not None and partitioning.subpartitioning is not None
    assert partitioning.subpartitioning.kind == "HASH"
    assert partitioning.subpartitioning.columns == ("post_id",)
    assert [p.subpartitions for p in partitioning.partitions] == [
        ["p0sp0", "p0sp1"],
        ["p1sp0", "p1sp1"],
    ]


def test_alter_table_partition_operations_in_order() -> None:
    base = (
        "CREATE TABLE t (id int NOT NULL, d date NOT NULL) PARTITION BY RANGE COLUMNS (d) (\n"
        "  PARTITION p1 VALUES LESS THAN ('2024-01-01'),\n"
        "  PARTITION p2 VALUES LESS THAN ('2025-01-01'));\n"
    )
    schema = _replay(
        base + "ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN ('2026-01-01'));\n"
        "ALTER TABLE t DROP PARTITION p1;\n"
        "ALTER TABLE t REORGANIZE PARTITION p3 INTO (\n"
        "  PARTITION p3a VALUES LESS THAN ('2025-06-01'),\n"
        "  PARTITION p3b VALUES LESS THAN ('2026-01-01'));\n"
        "ALTER TABLE t TRUNCATE PARTITION p2;\n"
    )
    assert not schema.problems, [f.message for f in schema.problems]
    partitioning = _table(schema, "t").partitioning
    assert partitioning is not None and partitioning.partition_names == ["p2", "p3a", "p3b"]

    hashed = _replay(
        "CREATE TABLE h (id int) PARTITION BY HASH (id) PARTITIONS 6;\n"
        "ALTER TABLE h COALESCE PARTITION 2;\nALTER TABLE h ADD PARTITION PARTITIONS 1;"
    )
    partitioning = _table(hashed, "h").partitioning
    assert partitioning is not None and partitioning.count == 5

    removed = _replay(base + "ALTER TABLE t REMOVE PARTITIONING;")
    assert _table(removed, "t").partitioning is None


def test_rename_and_drop_follow_the_table() -> None:
    schema = _replay(
        "CREATE TABLE a (id int) PARTITION BY HASH (id) PARTITIONS 4;\n"
        "CREATE TABLE b (id int);\n"
        "RENAME TABLE a TO a2, b TO b2;\n"
        "ALTER TABLE a2 RENAME TO shop.orders;\n"
        "DROP TABLE IF EXISTS b2;\n"
        "CREATE TABLE c LIKE shop.orders;\n"
    )
    assert schema.lookup("a") is None and schema.lookup("a2") is None and schema.lookup("b2") is None
    orders = schema.lookup("orders", "shop")
    assert orders is not None and orders.partitioned and orders.database == "shop"
    assert schema.lookup("orders") is orders  # unqualified: the only table of that name
    copy = schema.lookup("c")
    assert copy is not None and copy.partitioned


def test_a_broken_partition_clause_is_a_parse_error_and_the_rest_is_still_read() -> None:
    schema = _replay(
        "CREATE TABLE ok1 (id int) PARTITION BY HASH (id) PARTITIONS 2;\n"
        "CREATE TABLE bad (id int)\n"
        "PARTITION BY RANGE (id) (PARTITION p0 VALUES FROM (10));\n"
        "CREATE TABLE ok2 (id int) PARTITION BY KEY (id) PARTITIONS 2;\n",
        "db/schema.sql",
    )
    assert schema.lookup("ok1") is not None and schema.lookup("ok2") is not None
    [problem] = schema.problems
    assert problem.rule == "parse-error"
    assert (problem.path, problem.line, problem.location.column) == (
        "db/schema.sql",
        3,
        46,
    )  # at FROM
    assert "expected LESS THAN or IN after VALUES" in problem.message


def test_schema_files_are_replayed_in_file_name_order(repo: Repo) -> None:
    repo.write(
        ".guardrails.yml",
        "version: 1\nsql:\n  schema: ['db/migrations/*.sql']\nrules:\n  partition-pruning: error\n",
    )
    # 010 runs after 002 (file-name order), so the final table is partitioned
    repo.write(
        "db/migrations/010_partition.sql",
        "ALTER TABLE events PARTITION BY HASH (region) PARTITIONS 8;\n",
    )
    repo.write("db/migrations/002_create.sql", "CREATE TABLE events (id int, region int);\n")
    repo.write(
        "db/migrations/001_old.sql",
        "CREATE TABLE events (id int, region int) PARTITION BY HASH (id) PARTITIONS 2;\nDROP TABLE events;\n",
    )
    repo.write("q.sql", "SELECT * FROM events WHERE id = 1;\nSELECT * FROM events WHERE region = 2;\n")
    repo.commit()
    run = guardrails(repo.root, "run", "--format", "json", "--select", "partition-pruning")
    findings = [f for f in run.json()["findings"] if f["rule"] == "partition-pruning"]
    assert [(f["path"], f["line"]) for f in findings] == [("q.sql", 1)], run.stdout
    assert "8 partitions" in findings[0]["message"] and findings[0]["properties"]["partitioning"] == "HASH on region"


def test_a_table_created_like_another_is_a_copy_that_changes_on_its_own() -> None:
    schema = _replay(
        "CREATE TABLE a (id int NOT NULL, d date NOT NULL) PARTITION BY RANGE COLUMNS (d) (\n"
        "  PARTITION p1 VALUES LESS THAN ('2024-01-01'),\n"
        "  PARTITION p2 VALUES LESS THAN MAXVALUE);\n"
        "CREATE TABLE b LIKE a;\n"
        "ALTER TABLE b DROP PARTITION p1;\n"
        "ALTER TABLE b RENAME COLUMN id TO ident;\n"
    )
    assert not schema.problems, [f.message for f in schema.problems]
    original, copy = _table(schema, "a"), _table(schema, "b")
    assert original.partitioning is not None and original.partitioning.partition_names == [
        "p1",
        "p2",
    ]
    assert original.partitioned and not copy.partitioned
    assert [c.name for c in original.columns] == ["id", "d"]
    assert [c.name for c in copy.columns] == ["ident", "d"]


def test_added_partitions_are_named_as_the_server_names_them() -> None:
    schema = _replay(
        "CREATE TABLE h (id int) PARTITION BY HASH (id) PARTITIONS 4;\nALTER TABLE h ADD PARTITION PARTITIONS 2;\n"
    )
    partitioning = _table(schema, "h").partitioning
    # MariaDB's information_schema.PARTITIONS after the same two statements
    assert partitioning is not None
    assert partitioning.partition_names == ["p0", "p1", "p2", "p3", "p4", "p5"]


BROKEN_DDL = (
    "CREATE TABLE orders (\n"
    "  id INT NOT NULL,\n"
    "  created_at DATETIME NOT NULL,\n"
    "  PRIMARY KEY USING BTREE (id, created_at)\n"
    ") PARTITION BY RANGE (TO_DAYS(created_at)) (\n"
    "  PARTITION p0 VALUES LESS THAN (738000), PARTITION p1 VALUES LESS THAN MAXVALUE);\n"
    "CREATE TABLE audit (\n"
    "  id INT NOT NULL DEFAULT,\n"
    "  note TEXT\n"
    ");\n"
)


@pytest.mark.parametrize("in_sources", [True, False])
def test_broken_schema_ddl_is_one_finding_at_its_place_in_the_users_words(in_sources: bool) -> None:
    from guardrails.testing import run

    config = {
        "sql": {"schema": ["db/schema/*.sql"], "sources": ["**/*.sql"] if in_sources else ["app/**/*.sql"]},
        "rules": {"partition-pruning": "error"},
    }
    files = {"db/schema/001.sql": BROKEN_DDL, "app/q.sql": "SELECT id FROM orders WHERE created_at >= NOW();\n"}
    findings = run(files, config)
    (error,) = findings  # the partitioned table with USING BTREE was read: its query prunes
    assert (error.rule, error.path, error.line, error.location.column) == ("parse-error", "db/schema/001.sql", 8, 26)
    assert error.message == "cannot parse this statement as MySQL: an incomplete DEFAULT: part of it is missing"
