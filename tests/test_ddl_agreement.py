"""ddl-review's verdicts against a real MariaDB's own answers, and against the MySQL manual's tables.

For each case the server gets the table, then ``ALTER TABLE ... ALGORITHM=A, LOCK=L`` from
the fastest (INSTANT, NONE) to the slowest (COPY, EXCLUSIVE): the first it accepts is its
answer. A refusal changes nothing, so one database serves every case.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from guardrails.ddl.review import read_statement, review
from guardrails.ddl.servers import parse_server
from guardrails.ddl.verdict import Session
from guardrails.sql.schema import Schema
from guardrails.sql.schema_replay import replay_text
from tests.ddl_cases import EXCEPTIONS, cases
from tests.mariadb import MariaDB

ATTEMPTS = [(a, lock) for a in ("INSTANT", "NOCOPY", "INPLACE", "COPY") for lock in ("NONE", "SHARED", "EXCLUSIVE")]
CASES = cases()


def rule_verdict(create: str, clause: str, server: str) -> tuple[str, str, bool]:
    schema = Schema()
    replay_text(schema, "schema.sql", create.replace("{t}", "t") + ";")
    assert not schema.problems, [p.message for p in schema.problems]
    text = f"ALTER TABLE t {clause}"
    ddl = read_statement(text)
    assert ddl is not None
    verdict = review(ddl, text, schema, parse_server(server), Session()).verdict
    assert not verdict.unknown, verdict.unknown
    return verdict.algorithm, verdict.lock, verdict.rebuild


def server_verdict(cur: Any, n: int, create: str, clause: str) -> str:
    import pymysql

    table = f"t{n}"
    cur.execute(create.replace("{t}", table))
    try:
        errors = []
        for algorithm, lock in ATTEMPTS:
            try:
                cur.execute(f"ALTER TABLE {table} {clause}, ALGORITHM={algorithm}, LOCK={lock}")
                return f"{algorithm} {lock}"
            except pymysql.err.MySQLError as exc:
                errors.append(str(exc.args[-1]))
        return "refused: " + errors[-1]
    finally:
        cur.execute(f"DROP TABLE IF EXISTS {table}")


def test_at_least_300_cases_over_the_operation_tables() -> None:
    assert len(CASES) >= 300


def test_verdicts_agree_with_mariadb(mariadb: MariaDB) -> None:
    version = mariadb.admin("SELECT VERSION()")[0][0]
    assert version.startswith("10.11"), f"the agreement is for MariaDB 10.11, this server is {version}"
    mariadb.admin_many(["DROP DATABASE IF EXISTS ddl_agreement", "CREATE DATABASE ddl_agreement"])
    disagree = []
    with contextlib.closing(mariadb.connect(database="ddl_agreement")) as conn, conn.cursor() as cur:
        cur.execute("SET SESSION innodb_strict_mode = ON")
        for n, (case, create, clause, _) in enumerate(CASES):
            answer = server_verdict(cur, n, create, clause)
            algorithm, lock, _ = rule_verdict(create, clause, "mariadb-10.11")
            ours = f"{algorithm} {lock}"
            if answer != ours and case not in {f"{v}: {c}" for v, c in EXCEPTIONS}:
                disagree.append(f"{case}: MariaDB {answer}, ddl-review {ours}")
    assert not disagree, f"{len(disagree)} of {len(CASES)} disagree:\n" + "\n".join(disagree)


@pytest.mark.parametrize(("case", "create", "clause", "mysql"), [c for c in CASES if c[3]], ids=lambda v: str(v)[:60])
def test_mysql_80_verdicts_are_the_manuals(case: str, create: str, clause: str, mysql: str) -> None:
    algorithm, lock, rebuild = rule_verdict(create, clause, "mysql-8.0")
    assert f"{algorithm} {lock}" + (" rebuild" if rebuild else "") == mysql
