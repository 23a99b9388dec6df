"""ddl-review's verdicts against a real MariaDB's own answers, and against the MySQL manual's tables.

The MariaDB fixture (10.11) answers every case live (tests/ddl_server.py says how it is asked);
10.6, 11.4 and 11.8 answered once, recorded in tests/fixtures/ddl/mariadb-answers.tsv
(tests/test_ddl_recorded.py).
"""

from __future__ import annotations

import contextlib

import pytest

from guardrails.ddl.review import read_statement, review
from guardrails.ddl.servers import parse_server
from guardrails.ddl.verdict import Session
from guardrails.sql.schema import Schema
from guardrails.sql.schema_replay import replay_text
from tests.ddl_cases import cases, exception
from tests.ddl_server import server_verdict
from tests.mariadb import MariaDB

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
            if answer != ours and not exception(case, "10.11"):
                disagree.append(f"{case}: MariaDB {answer}, ddl-review {ours}")
    assert not disagree, f"{len(disagree)} of {len(CASES)} disagree:\n" + "\n".join(disagree)


@pytest.mark.parametrize(("case", "create", "clause", "mysql"), [c for c in CASES if c[3]], ids=lambda v: str(v)[:60])
def test_mysql_80_verdicts_are_the_manuals(case: str, create: str, clause: str, mysql: str) -> None:
    algorithm, lock, rebuild = rule_verdict(create, clause, "mysql-8.0")
    assert f"{algorithm} {lock}" + (" rebuild" if rebuild else "") == mysql
