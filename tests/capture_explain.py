"""Capture real MariaDB EXPLAIN output, in every form its client prints, into tests/fixtures.

Run it again when the MariaDB version changes:

    python -m tests.capture_explain

It starts a throw-away server (tests/mariadb.py), creates the schema below,
and runs each query through the ``mariadb`` command-line client in table
(``-t``), tab-separated (``-B``) and vertical (``-E``, what ``\\G`` prints)
modes, for EXPLAIN, EXPLAIN FORMAT=JSON, ANALYZE and ANALYZE FORMAT=JSON.
ANALYZE executes the query: acceptable here, on a scratch database, and never
done by guardrails itself. tests/test_pr_explain_mariadb.py does the same
against the test session's server, so the recognition is also proven on the
MariaDB installed wherever the suite runs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.mariadb import MariaDB, run_mariadb

FIXTURES = Path(__file__).parent / "fixtures" / "explain"

SCHEMA = [
    "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), KEY email_idx (email))",
    "CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, status VARCHAR(20), total INT, KEY user_idx (user_id))",
    "CREATE TABLE order_items (order_id INT, sku VARCHAR(20), qty INT, PRIMARY KEY (order_id, sku))",
    "INSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com'), (3, 'c@example.com')",
    "INSERT INTO orders VALUES (1, 1, 'paid', 10), (2, 1, 'open', 20), (3, 2, 'paid', 30)",
    "INSERT INTO order_items VALUES (1, 'x', 1), (1, 'y', 2), (3, 'x', 5)",
    "ANALYZE TABLE users, orders, order_items",
]

# name -> (query, the tables and aliases its EXPLAIN shows)
QUERIES: dict[str, tuple[str, set[str]]] = {
    "join": (
        "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid'",
        {"o", "u"},
    ),
    "subquery": (
        "SELECT id FROM users WHERE id IN (SELECT user_id FROM orders WHERE total > 15) AND email LIKE '%example.com'",
        {"users", "orders"},
    ),
    "derived": (
        "SELECT t.user_id, t.n FROM (SELECT user_id, COUNT(*) AS n FROM orders GROUP BY user_id) t"
        " JOIN order_items i ON i.order_id = t.user_id",
        {"orders", "i"},
    ),
}
# statement prefix -> file stem
STATEMENTS = {
    "EXPLAIN": "explain",
    "EXPLAIN FORMAT=JSON": "explain-json",
    "ANALYZE": "analyze",
    "ANALYZE FORMAT=JSON": "analyze-json",
}
MODES = {"table": "-t", "tsv": "-B", "vertical": "-E"}


def client() -> str:
    found = shutil.which("mariadb") or shutil.which("mysql")
    if not found:
        raise RuntimeError("the mariadb client is missing: apt-get install -y mariadb-client")
    return found


def setup(db: MariaDB, database: str) -> None:
    db.fresh_database(database)
    db.admin_many(SCHEMA, database=database)


def capture(db: MariaDB, database: str, mode: str, sql: str) -> str:
    """What the mariadb client prints for sql in mode ("table", "tsv" or "vertical")."""
    result = subprocess.run(
        [client(), "--no-defaults", "-h", db.host, "-P", str(db.port), "-u", "root", MODES[mode], database, "-e", sql],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def version(db: MariaDB) -> str:
    full = str(db.admin("SELECT VERSION()")[0][0])
    return ".".join(full.split("-")[0].split(".")[:2])


def main() -> None:
    with run_mariadb() as db:
        setup(db, "capture")
        out = FIXTURES / f"mariadb-{version(db)}"
        out.mkdir(parents=True, exist_ok=True)
        for name, (query, _) in QUERIES.items():
            for prefix, stem in STATEMENTS.items():
                for mode in MODES:
                    text = capture(db, "capture", mode, f"{prefix} {query}")
                    (out / f"{name}.{stem}.{mode}.txt").write_text(text, encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
