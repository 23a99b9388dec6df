"""partition-pruning follows a Python module-level SQL constant into the functions that run it."""

from __future__ import annotations

from guardrails.findings import Severity
from guardrails.testing import run
from tests.test_partition_pieces import CONFIG, SCHEMA

LOGS = '''"""Access-log queries."""

BASE = "SELECT id FROM access_log WHERE "
RECENT = "SELECT id FROM access_log WHERE account_id = %s"
EXPORTED = "SELECT id FROM access_log WHERE id > 0"


def by_account(cur, account):
    cur.execute(BASE + "account_id = %s", (account,))


def recent(cur, account, since):
    sql = RECENT
    sql += " AND logtime >= %s"
    cur.execute(sql, (account, since))


def export(cur, window):
    return with_range(cur, EXPORTED, window)
'''


def pruning(code: str) -> list[tuple[int, Severity, object]]:
    findings = run({"db/schema.sql": SCHEMA, "app/logs.py": code}, CONFIG, select=["partition-pruning"])
    return [(f.line, f.severity, f.properties.get("open_at")) for f in findings if f.rule == "partition-pruning"]


def test_a_constant_is_judged_as_the_function_that_runs_it_finishes_it() -> None:
    assert pruning(LOGS) == [
        # recall: the constant alone is no whole query; what by_account() runs reads every partition
        (3, Severity.ERROR, None),
        # RECENT is finished with a logtime condition in recent(): nothing to say
        # EXPORTED leaves the file through with_range(): what is known is a notice, saying where
        (5, Severity.NOTICE, "passed to with_range() at line 19"),
    ]


def test_one_function_running_the_constant_as_written_is_enough_for_an_error() -> None:
    code = LOGS + "\n\ndef every(cur):\n    cur.execute(RECENT, (1,))\n"
    assert (4, Severity.ERROR, None) in pruning(code)


def test_a_name_that_is_not_the_module_constant_inside_the_function_is_not_followed() -> None:
    code = """QUERY = "SELECT id FROM access_log WHERE account_id = 1"
MOVING = "SELECT id FROM access_log WHERE account_id = 2"


def shadowed(cur, QUERY):
    cur.execute(QUERY + " AND logtime >= NOW()")


def rebinds():
    global MOVING
    MOVING = "SELECT 1"


def moved(cur):
    cur.execute(MOVING + " AND logtime >= NOW()")
"""
    # neither function's append is known to finish the constant: each is judged as written
    assert pruning(code) == [(1, Severity.ERROR, None), (2, Severity.ERROR, None)]
