"""`guardrails db apply-schema` connects the way the DSN says, as the EXPLAIN runner does."""

from __future__ import annotations

from tests.helpers import Repo, guardrails
from tests.mariadb import MariaDB


def test_apply_schema_uses_the_tls_options_of_the_dsn(repo: Repo, mariadb: MariaDB) -> None:
    # a CA file that does not exist: a client that honours ssl_ca cannot connect at all,
    # one that ignores it connects in clear text and applies the schema
    dsn = mariadb.fresh_database("tls_scratch") + "?ssl_ca=/nonexistent/guardrails-ca.pem"
    repo.write(".guardrails.yml", "version: 1\nsql:\n  schema: ['db/*.sql']\n")
    repo.write("db/001_t.sql", "CREATE TABLE t (id INT PRIMARY KEY);\n")
    repo.commit("schema")

    applied = guardrails(repo.root, "db", "apply-schema", "--dsn", dsn)
    assert applied.code == 2, applied.stdout
    assert "cannot connect to mysql://app:***@" in applied.stderr
    assert mariadb.password not in applied.stdout + applied.stderr
    assert mariadb.admin("SHOW TABLES FROM tls_scratch") == []


def test_apply_schema_runs_rename_table(repo: Repo, mariadb: MariaDB) -> None:
    dsn = mariadb.fresh_database("rename_scratch")
    repo.write(".guardrails.yml", "version: 1\nsql:\n  schema: ['db/*.sql']\n")
    repo.write("db/001_a.sql", "CREATE TABLE a (id INT PRIMARY KEY);\nRENAME TABLE a TO b;\n")
    repo.commit("schema")

    applied = guardrails(repo.root, "db", "apply-schema", "--dsn", dsn)
    assert applied.code == 0, applied.stderr
    assert "applied 2 statements" in applied.stdout and "0 skipped" in applied.stdout
    assert mariadb.admin("SHOW TABLES FROM rename_scratch") == [("b",)]
