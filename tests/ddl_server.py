"""A real MariaDB's own answer to each ddl-review case, and the answers recorded from other versions.

For a case the server gets the table, then ``ALTER TABLE ... ALGORITHM=A, LOCK=L`` from the
fastest (INSTANT, NONE) to the slowest (COPY, EXCLUSIVE): the first it accepts is its answer.
A refusal changes nothing, so one database serves every case. The MariaDB fixture (10.11)
answers live; 10.6 and 11.x answered ``benchmarks/record_ddl.py``, whose output is
``tests/fixtures/ddl/mariadb-answers.tsv`` (server version, case, answer).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

ATTEMPTS = [(a, lock) for a in ("INSTANT", "NOCOPY", "INPLACE", "COPY") for lock in ("NONE", "SHARED", "EXCLUSIVE")]
ANSWERS = Path(__file__).parent / "fixtures" / "ddl" / "mariadb-answers.tsv"
FIELDS = ("server", "case", "answer")


def server_verdict(cur: Any, n: int, create: str, clause: str) -> str:
    """``"ALGORITHM LOCK"``: the fastest the server accepts, or ``"refused: ERROR"``."""
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


def recorded(path: Path = ANSWERS) -> dict[str, dict[str, str]]:
    """server version ("10.6.23-MariaDB-...") -> case -> answer."""
    out: dict[str, dict[str, str]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out.setdefault(row["server"], {})[row["case"]] = row["answer"]
    return out


def write(answers: dict[str, dict[str, str]], path: Path = ANSWERS) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, delimiter="\t", lineterminator="\n")
        out.writerow(FIELDS)
        for server in sorted(answers):
            for case, answer in answers[server].items():
                out.writerow((server, case, answer))
