"""ddl-review end to end: migrations judged against the replayed schema, the findings a reviewer reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guardrails.findings import Finding
from guardrails.testing import check, run
from tests.helpers import Repo, guardrails

USERS = (
    "CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, display_name VARCHAR(50), email VARCHAR(100) NOT NULL, "
    "legacy_flag TINYINT, KEY idx_user_created (id, email)) DEFAULT CHARSET=utf8mb4;\n"
    "CREATE TABLE counters (id INT PRIMARY KEY, n INT);\n"
    "CREATE TABLE events (id INT NOT NULL, created DATE NOT NULL, PRIMARY KEY (id, created)) "
    "PARTITION BY RANGE (TO_DAYS(created)) (PARTITION p1 VALUES LESS THAN (10), PARTITION pmax VALUES LESS THAN MAXVALUE);\n"
)
HYDRA = Path(__file__).parent / "fixtures" / "ddl" / "hydra"


def _config(server: str = "mysql-8.0", **options: Any) -> dict[str, Any]:
    return {
        "sql": {"schema": ["db/schema/*.sql"], "migrations": ["db/migrations/*.sql"], "server": server},
        "rules": {"ddl-review": {"severity": "warning", **options}},
    }


def _review(migration: str, server: str = "mysql-8.0", **options: Any) -> list[Finding]:
    files = {"db/schema/users.sql": USERS, "db/migrations/001_change.sql": migration}
    return [f for f in run(files, _config(server, **options)) if f.rule == "ddl-review"]


def _verdicts(findings: list[Finding]) -> list[tuple[int, Any, Any, Any]]:
    return [
        (f.line, f.properties["algorithm"], f.properties["lock"], f.properties["rebuild"])
        for f in findings
        if "algorithm" in f.properties
    ]


WAIT = "SET SESSION lock_wait_timeout = 5;\n"


def test_varchar_crossing_255_bytes_copies_on_mariadb_and_the_message_gives_the_tool_command() -> None:
    findings = _review(WAIT + "ALTER TABLE users MODIFY display_name VARCHAR(80);", "mariadb-10.11")
    assert _verdicts(findings) == [(2, "COPY", "SHARED", True)]
    (finding,) = findings
    assert 'gh-ost --database=$DB --table=users --alter="MODIFY display_name VARCHAR(80)" --execute' in finding.message
    assert any("200 to 320 bytes in utf8mb4" in r and "MariaDB KB" in r for r in finding.properties["reasons"])


def test_instant_changes_are_silent_by_default_and_notices_with_show_all() -> None:
    migration = (
        WAIT
        + "ALTER TABLE users ADD COLUMN nickname VARCHAR(20);\nALTER TABLE counters CONVERT TO CHARACTER SET utf8mb4;"
    )
    assert _review(migration, "mariadb-10.11") == []
    shown = _review(migration, "mariadb-10.11", show="all")
    assert _verdicts(shown) == [(2, "INSTANT", "NONE", False), (3, "INSTANT", "NONE", False)]
    assert "ALTER TABLE users ADD COLUMN nickname VARCHAR(20), ALGORITHM=INSTANT;" in shown[0].message
    assert shown[1].properties["needs_human"] is False
    assert {str(f.severity) for f in shown} == {"notice"}  # listed, never failing the build


def test_the_server_decides_mysql_57_rebuilds_where_80_is_instant() -> None:
    migration = WAIT + "ALTER TABLE users ADD COLUMN nickname VARCHAR(20);"
    assert _verdicts(_review(migration, "mysql-5.7")) == [(2, "INPLACE", "NONE", True)]
    assert _verdicts(_review(migration, "mysql-8.0.12", show="all")) == [(2, "INSTANT", "NONE", False)]
    # before 8.0.29 only the last position is instant
    positioned = WAIT + "ALTER TABLE users ADD COLUMN nickname VARCHAR(20) AFTER id;"
    assert _verdicts(_review(positioned, "mysql-8.0.28")) == [(2, "INPLACE", "NONE", True)]
    assert _verdicts(_review(positioned, "mysql-8.0.29", show="all")) == [(2, "INSTANT", "NONE", False)]


def test_risks_destructive_and_backward_incompatible() -> None:
    findings = _review(WAIT + "ALTER TABLE users DROP COLUMN legacy_flag;\nDROP TABLE counters;")
    assert [(f.line, f.properties["risks"]) for f in findings] == [
        (2, ["destructive", "backward-incompatible"]),
        (3, ["destructive", "backward-incompatible"]),
    ]


def test_the_schema_evolves_through_earlier_migrations() -> None:
    files = {
        "db/schema/users.sql": USERS,
        "db/migrations/001_ft.sql": WAIT + "ALTER TABLE users ADD FULLTEXT INDEX ft_name (display_name);",
        "db/migrations/002_col.sql": WAIT + "ALTER TABLE users ADD COLUMN nickname VARCHAR(20);",
    }
    findings = [f for f in run(files, _config()) if f.rule == "ddl-review"]
    later = [f for f in findings if f.path == "db/migrations/002_col.sql"]
    # a table with a FULLTEXT index cannot add a column instantly: it is rebuilt under a shared lock
    assert _verdicts(later) == [(2, "INPLACE", "SHARED", True)]
    assert "FULLTEXT" in " ".join(later[0].properties["reasons"])


def test_missing_lock_wait_timeout_is_a_finding_once_per_file() -> None:
    findings = _review("ALTER TABLE users MODIFY display_name VARCHAR(80);\nALTER TABLE users DROP COLUMN legacy_flag;")
    waits = [f for f in findings if f.properties.get("check") == "lock-wait-timeout"]
    assert [(f.line, f.properties["table"]) for f in waits] == [(1, "users")]
    maria = _review("ALTER TABLE users WAIT 5 MODIFY display_name VARCHAR(80);", "mariadb-10.11")
    assert not [f for f in maria if f.properties.get("check") == "lock-wait-timeout"]


def test_add_partition_after_maxvalue_fails_before_it_runs() -> None:
    findings = _review(WAIT + "ALTER TABLE events ADD PARTITION (PARTITION p3 VALUES LESS THAN (30));")
    (blocker,) = [f for f in findings if f.properties.get("check") == "maxvalue-partition"]
    assert "pmax" in blocker.message and "REORGANIZE PARTITION pmax" in blocker.message


def test_add_unique_through_gh_ost_gives_the_select_that_finds_duplicates() -> None:
    findings = _review(WAIT + "ALTER TABLE users ADD UNIQUE KEY uq_email (email);", executor="gh-ost")
    (dupes,) = [f for f in findings if f.properties.get("check") == "executor-unique"]
    assert dupes.properties["query"] == "SELECT email, COUNT(*) FROM users GROUP BY email HAVING COUNT(*) > 1;"


def test_an_unknown_form_is_said_not_guessed() -> None:
    findings = _review(WAIT + "ALTER TABLE users DISABLE KEYS;")
    assert [f.message.split(" on ")[0] for f in findings] == ["unknown: DISABLE KEYS"]


def test_real_migrations_each_get_a_verdict_or_an_unknown_finding_never_a_crash() -> None:
    files = {f"db/migrations/{p.name}": p.read_text() for p in sorted(HYDRA.glob("*.sql"))}
    config = _config(show="all")
    del config["sql"]["schema"]  # the migrations build every table; a glob matching nothing is an error
    result = check(files, config)
    assert result.internal_errors == []
    judged = [f for f in result.findings if f.rule == "ddl-review" and "algorithm" in f.properties]
    alters = sum(text.upper().count("ALTER TABLE") for text in files.values())
    assert len({(f.path, f.line) for f in judged}) >= alters * 0.9
    assert all(f.properties["algorithm"] in ("INSTANT", "INPLACE", "COPY", "n/a", "unknown") for f in judged)


def _repo(root: Path, server: str, migration: str) -> None:
    """A committed repository with USERS as its schema and one migration, for the CLI tests."""
    repo = Repo(root)
    repo.write(".guardrails.yml", json.dumps(_config(server)))
    repo.write("db/schema/users.sql", USERS)
    repo.write("db/migrations/001.sql", WAIT + migration)
    repo.commit()


def test_cli_json_carries_the_properties(tmp_path: Path) -> None:
    _repo(tmp_path, "mariadb-10.11", "ALTER TABLE users MODIFY display_name VARCHAR(80);")
    result = guardrails(tmp_path, "run", "--format", "json", "--select", "ddl-review", "--fail-on", "warning")
    assert result.code == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert {k: finding["properties"][k] for k in ("server", "algorithm", "lock", "rebuild", "risks")} == {
        "server": "mariadb-10.11",
        "algorithm": "COPY",
        "lock": "SHARED",
        "rebuild": True,
        "risks": [],
    }


@pytest.mark.parametrize("server", ["mysql-9.x", "oracle-19"])
def test_an_unknown_server_is_a_clear_finding(server: str) -> None:
    findings = run({"db/migrations/1.sql": "ALTER TABLE t ADD COLUMN c INT;"}, _config(server))
    assert [f.rule for f in findings] == ["parse-error"]
    assert "sql.server" in findings[0].message


def test_pr_summary_lists_every_ddl_statement_what_needs_a_human_first() -> None:
    from guardrails.github.comment import summary

    files = {
        "db/schema/users.sql": USERS,
        "db/migrations/001.sql": WAIT
        + "ALTER TABLE users ADD COLUMN nickname VARCHAR(20);\nALTER TABLE users MODIFY display_name VARCHAR(80);",
    }
    text = summary(check(files, _config("mariadb-10.11", show="all")))
    section = text[text.index("#### DDL review") :]
    assert section.startswith("#### DDL review (1 of 2 statements need a human)")
    human, folded = section.split("<details>")
    assert "| `db/migrations/001.sql:3:1` | ALTER TABLE | `users` | COPY | SHARED | yes |" in human
    assert "1 more DDL statement(s) run instantly" in folded
    assert "| `db/migrations/001.sql:2:1` | ALTER TABLE | `users` | INSTANT | NONE | no |" in folded


def test_pr_summary_lists_every_statement_by_default_while_only_those_needing_a_human_are_findings() -> None:
    from guardrails.github.comment import summary

    base = {"db/schema/users.sql": USERS, "db/migrations/000.sql": "ALTER TABLE counters ADD COLUMN old INT;\n"}
    files = {
        **base,
        "db/migrations/001.sql": WAIT
        + "ALTER TABLE users ADD COLUMN nickname VARCHAR(20);\n"
        + "ALTER TABLE users MODIFY display_name VARCHAR(80);\n"
        + "-- guardrails:ignore[ddl-review] reviewed: the table has 40 rows\n"
        + "ALTER TABLE counters MODIFY n BIGINT;\n"
        + "ALTER TABLE counters ADD INDEX idx_n (n);\n",
    }
    result = check(files, _config("mariadb-10.11"), base=base)
    findings = [f for f in result.findings if f.rule == "ddl-review" and "algorithm" in f.properties]
    assert [(f.line, f.suppressed) for f in findings] == [(3, False), (5, True)]  # the default: no notices
    section = summary(result)[summary(result).index("#### DDL review") :]
    assert section.startswith("#### DDL review (1 of 4 statements need a human)")  # 000.sql is not in the PR
    human, folded = section.split("<details>")
    assert "| `db/migrations/001.sql:3:1` | ALTER TABLE | `users` | COPY | SHARED | yes |" in human
    assert "3 more DDL statement(s): 2 run instantly or online with no risk, 1 suppressed" in folded
    for line, verdict in ((2, "INSTANT | NONE | no"), (5, "COPY | SHARED | yes"), (6, "NOCOPY | NONE | no")):
        assert f"| `db/migrations/001.sql:{line}:1` | ALTER TABLE |" in folded
        assert verdict in folded.split(f"001.sql:{line}:1")[1].splitlines()[0]
    assert "000.sql" not in section


def test_cli_markdown_report_has_the_whole_ddl_table(tmp_path: Path) -> None:
    _repo(tmp_path, "mysql-8.0", "ALTER TABLE users ADD COLUMN nickname VARCHAR(20);\n")
    result = guardrails(tmp_path, "run", "--format", "markdown", "--select", "ddl-review")
    assert result.code == 0, result.stderr
    assert "#### DDL review (0 of 1 statements need a human)" in result.stdout
    assert "<details><summary>1 more DDL statement(s) run instantly or online with no risk</summary>" in result.stdout
    assert "| `db/migrations/001.sql:2:1` | ALTER TABLE | `users` | INSTANT | NONE | no |" in result.stdout


def test_mysql_8029_instant_columns_stop_at_64_row_versions() -> None:
    adds = "".join(f"ALTER TABLE counters ADD COLUMN c{n} INT;\n" for n in range(65))
    findings = _review(WAIT + adds, "mysql-8.0.29")
    assert _verdicts(findings) == [(66, "INPLACE", "NONE", True)]
    assert "64 row versions" in " ".join(findings[0].properties["reasons"])


def test_row_versions_of_a_table_from_the_schema_files_are_unknown_not_counted_from_zero() -> None:
    migration = (
        WAIT + "ALTER TABLE counters ADD COLUMN a INT;\n"  # counters is in sql.schema: its past is unseen
        "CREATE TABLE fresh (id INT PRIMARY KEY);\nALTER TABLE fresh ADD COLUMN a INT;\n"
        "ALTER TABLE users FORCE;\nALTER TABLE users ADD COLUMN a INT;\n"  # rebuilt: the count restarts at 0
    )
    findings = _review(migration, "mysql-8.0.29", show="all")
    unknown = {
        f.line: any("count before the migrations is unknown" in r for r in f.properties["reasons"])
        for f in findings
        if f.properties.get("algorithm") == "INSTANT"
    }
    assert unknown == {2: True, 4: False, 6: False}
    (counters,) = [f for f in findings if f.line == 2]
    assert "INFORMATION_SCHEMA.INNODB_TABLES" in " ".join(counters.properties["reasons"])
    # MariaDB has no row-version limit, and before 8.0.29 ADD COLUMN is not counted
    for server in ("mariadb-10.11", "mysql-8.0.28"):
        reasons = [r for f in _review(migration, server, show="all") for r in f.properties.get("reasons", [])]
        assert not any("row versions" in r for r in reasons), server


def test_foreign_key_copies_unless_foreign_key_checks_is_off() -> None:
    add = "ALTER TABLE counters ADD CONSTRAINT fk_user FOREIGN KEY (n) REFERENCES users (id);"
    assert _verdicts(_review(WAIT + add)) == [(2, "COPY", "SHARED", True)]
    off = _review(WAIT + "SET foreign_key_checks = 0;\n" + add)
    assert [(f.properties["algorithm"], f.properties["risks"]) for f in off] == [("INPLACE", ["data-dependent"])]


def test_a_dropped_column_still_read_by_code_and_an_index_queries_need() -> None:
    files = {
        "db/schema/users.sql": USERS,
        "internal/orders/store.go": (
            "package orders\n\nfunc load(db *sql.DB) {\n"
            '\tdb.Query("SELECT id, legacy_flag FROM users WHERE id = ?", 1)\n'
            '\tdb.Query("SELECT id FROM users WHERE email = ? AND id > ?", "a", 1)\n}\n'
        ),
        "db/migrations/001.sql": WAIT
        + "ALTER TABLE users DROP COLUMN legacy_flag;\n"
        + "ALTER TABLE users ADD INDEX idx_email (email);\n"
        + "ALTER TABLE users DROP INDEX idx_user_created;\n"  # the primary key serves its queries
        + "ALTER TABLE users DROP INDEX idx_email;",
    }
    findings = [f for f in run(files, _config()) if f.properties.get("check") == "still-used"]
    assert [(f.line, f.message) for f in findings] == [
        (2, "column `legacy_flag` is still read by internal/orders/store.go:4"),
        (
            5,
            "index `idx_email` is the one these queries need: internal/orders/store.go:5; "
            "make it ALTER INDEX ... INVISIBLE first and drop it once nothing slows down",
        ),
    ]
