"""A file of sql.sources is extracted once per run, however many inputs read its SQL: the sql
input (insert-ignore), clock_reads (direct-clock) and the migrations input's cross-check of a
dropped column (ddl-review)."""

from __future__ import annotations

from typing import Any

from pytest import MonkeyPatch

from guardrails.testing import run

USERS = "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, seen_at DATETIME, legacy_flag TINYINT);\n"
STORE = (
    "package orders\n\nfunc load(db *sql.DB) {\n"
    '\tdb.Query("SELECT id, legacy_flag FROM users WHERE id = ?", 1)\n'
    '\tdb.Exec("INSERT IGNORE INTO users (id, seen_at) VALUES (?, NOW())", 2)\n}\n'
)


def counted_extractions(monkeypatch: MonkeyPatch) -> list[str]:
    """The paths guardrails.sql.source.units_in_file extracts from, one entry per extraction."""
    import guardrails.sql.source as source

    extracted: list[str] = []
    units_in_file = source.units_in_file

    def counted(workspace: Any, path: str, include_generated: bool = False) -> Any:
        extracted.append(path)
        return units_in_file(workspace, path, include_generated)

    monkeypatch.setattr(source, "units_in_file", counted)
    return extracted


def test_the_dropped_column_cross_check_shares_what_it_extracts_with_the_sql_and_clock_inputs(
    monkeypatch: MonkeyPatch,
) -> None:
    extracted = counted_extractions(monkeypatch)
    files = {
        "db/schema/users.sql": USERS,
        "db/migrations/001.sql": "SET SESSION lock_wait_timeout = 5;\nALTER TABLE users DROP COLUMN legacy_flag;\n",
        "internal/orders/store.go": STORE,
    }
    config = {
        "sql": {"schema": ["db/schema/*.sql"], "migrations": ["db/migrations/*.sql"]},
        "rules": {"ddl-review": "warning", "insert-ignore": "error", "direct-clock": "error"},
    }
    findings = run(files, config)
    assert sorted(extracted) == sorted(files)  # store.go was extracted twice: by ddl-review, then again
    got = {(f.rule, f.path, f.line) for f in findings}
    assert {
        ("insert-ignore", "internal/orders/store.go", 5),
        ("direct-clock", "internal/orders/store.go", 5),
    } <= got
    (used,) = [f for f in findings if f.properties.get("check") == "still-used"]
    assert used.message == "column `legacy_flag` is still read by internal/orders/store.go:4"
