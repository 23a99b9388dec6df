"""Lines are counted as Python's tokenizer, git and editors count them: at "\\n" (and "\\r\\n").

``str.splitlines()`` also breaks at form feeds, "\\x1c"-"\\x1e", "\\x85", U+2028 and U+2029,
which all appear inside real lines (a form feed as a page break in Python, U+2028 pasted
from a web page into a comment): every reader that located findings with it put those after
such a character on the wrong line or column, or misread the line it looked at.
"""

from __future__ import annotations

from guardrails.findings import Finding
from guardrails.testing import run
from tests.incident_fixtures import ENABLED, review
from tests.test_code_support import position_of

SQL_CODE = {"version": 1, "extends": "none", "sql": {"sources": ["**/*.py", "**/*.sql"]}}
IGNORE = {**SQL_CODE, "rules": {"insert-ignore": "error"}}
JITTER = {"version": 1, "rules": {"cron-jitter": "warning"}}


def spots(findings: list[Finding], rule: str) -> list[tuple[int, int]]:
    return [(f.line, f.location.column) for f in findings if f.rule == rule]


# A form feed alone on a line is PEP 8's page break; Python 3.12's type alias follows it.
PY312_PAGES = """import datetime
from sqlalchemy import insert

\x0c
type UserId = int


def add(cur, session, emails, user_id: UserId) -> None:
    cur.execute("INSERT IGNORE INTO user_emails (user_id) VALUES (%s)", (user_id,))
    session.execute(insert(emails).prefix_with("IGNORE"))
    return datetime.datetime.now()
"""


def test_newer_python_after_a_form_feed_is_still_read_whole() -> None:
    config = {**IGNORE, "rules": {"insert-ignore": "error", "direct-clock": "warning"}}
    found = run({"app/emails.py": PY312_PAGES}, config)
    assert [f for f in found if f.rule == "parse-error"] == []
    assert spots(found, "insert-ignore") == [
        position_of(PY312_PAGES, "IGNORE INTO"),
        position_of(PY312_PAGES, '"IGNORE"'),  # the ORM call: only the tree shows it
    ]
    assert spots(found, "direct-clock") == [position_of(PY312_PAGES, "datetime.datetime.now")]


def test_a_file_python_rejects_keeps_its_sql_positions_after_a_line_separator() -> None:
    code = (
        "import logging\n"
        "# copied from the wiki:\u2028keep the replay idempotent\n"
        "def add(cur):\n"
        '    cur.execute("INSERT IGNORE INTO t VALUES (1)")\n'
        "    rows = (\n"
    )
    found = run({"app/broken.py": code}, IGNORE)
    assert spots(found, "insert-ignore") == [position_of(code, "IGNORE")]
    (error,) = [f for f in found if f.rule == "parse-error"]
    assert error.message.startswith("Python syntax error: ") and error.line == 5


def test_an_ignore_comment_after_a_form_feed_covers_the_next_line() -> None:
    sql = (
        "-- page 2\x0c of the import\n"
        "-- guardrails:ignore[insert-ignore] replaying an append-only log, duplicates expected\n"
        "INSERT IGNORE INTO t VALUES (1);\n"
        "INSERT IGNORE INTO t VALUES (2);\n"
    )
    found = [f for f in run({"db/replay.sql": sql}, IGNORE) if f.rule == "insert-ignore"]
    assert [(f.line, f.suppressed) for f in found] == [(3, True), (4, False)]


def test_crontab_and_timer_lines_after_a_line_separator() -> None:
    crontab = "# owner: billing\u2028team\n0 * * * * /usr/local/bin/rollup\n"
    timer = "[Unit]\nDescription=Nightly\u2028export\n\n[Timer]\nOnCalendar=*-*-* 00:00:00\n"
    found = run({"ops/app.cron": crontab, "ops/export.timer": timer}, JITTER)
    assert sorted((f.path, f.line, f.location.column) for f in found if f.rule == "cron-jitter") == [
        ("ops/app.cron", *position_of(crontab, "0 * * * *")),
        ("ops/export.timer", *position_of(timer, "*-*-* 00:00:00")),
    ]


def test_a_python_schedule_column_after_a_line_separator() -> None:
    code = (
        "from apscheduler.schedulers.background import BackgroundScheduler\n"
        "# jobs:\u2028see the runbook\n"
        "scheduler = BackgroundScheduler(timezone='UTC')\n"
        "def start() -> None:\n"
        "    scheduler.add_job(send_reminders, 'cron', hour=9, id='reminders')\n"
    )
    found = run({"billing/jobs.py": code}, JITTER)
    assert spots(found, "cron-jitter") == [position_of(code, "'cron'")]  # the trigger's argument


def test_an_incident_review_phrase_column_after_a_line_separator() -> None:
    text = review("ja-bad.md").replace("修正する前に、", "修正する前に、\u2028", 1)
    found = run({"docs/incidents/2024-05-01-orders.md": text}, ENABLED)
    (vague,) = [f for f in found if f.properties.get("anti_pattern") == "vague"]
    assert (vague.line, vague.location.column) == position_of(text, "細心の注意")


def test_a_python_file_with_classic_mac_line_endings_is_read() -> None:
    """A lone "\\r" ends a line for Python, none for git: ast's positions are turned into the
    file's offsets, reported on git's line (here, all on line 1)."""
    whole = 'import datetime\rdef add(cur):\r    cur.execute("INSERT IGNORE INTO t VALUES (1)")\r    datetime.datetime.now()\r'
    broken = 'def add(cur):\r    cur.execute("INSERT IGNORE INTO t VALUES (2)")\r    rows = (\r'
    config = {**IGNORE, "rules": {"insert-ignore": "error", "direct-clock": "warning"}}
    found = run({"app/mac.py": whole, "app/broken.py": broken}, config)
    assert sorted((f.path, f.rule, f.line, f.location.column) for f in found) == [
        ("app/broken.py", "insert-ignore", *position_of(broken, "IGNORE")),
        ("app/broken.py", "parse-error", *position_of(broken, "(\r")),  # where Python says, on git's line
        ("app/mac.py", "direct-clock", *position_of(whole, "datetime.datetime.now")),
        ("app/mac.py", "insert-ignore", *position_of(whole, "IGNORE")),
    ]


def test_yaml_schedules_after_a_line_separator_in_a_string() -> None:
    """PyYAML (YAML 1.1) ends a line at U+2028 and NEL; git and editors do not."""
    workflow = (
        'name: "Nightly\u2028build"\n'
        "on:\n"
        "  schedule:\n"
        '    - cron: "0 * * * *"\n'
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps: [{run: make}]\n"
    )
    cronjob = (
        "apiVersion: batch/v1\n"
        "kind: CronJob\n"
        "metadata:\n"
        "  name: rollup\n"
        '  annotations: {owner: "billing\x85team"}\n'
        "spec:\n"
        '  schedule: "0 * * * *"\n'
        "  jobTemplate: {spec: {template: {spec: {containers: [{name: r, image: r}]}}}}\n"
    )
    found = run({".github/workflows/nightly.yml": workflow, "deploy/rollup.yaml": cronjob}, JITTER)
    assert sorted((f.path, f.line, f.location.column) for f in found if f.rule == "cron-jitter") == [
        (".github/workflows/nightly.yml", *position_of(workflow, '"0 * * * *"')),
        ("deploy/rollup.yaml", *position_of(cronjob, '"0 * * * *"')),
    ]


def test_an_openapi_schema_after_a_unicode_line_separator_is_placed_on_its_line() -> None:
    # PyYAML ends a line at U+2028 (YAML 1.1); GitHub, git and editors do not
    spec = (
        "openapi: 3.0.3\n"
        "info:\n"
        "  title: t\n"
        "  version: '1'\n"
        '  description: "pasted from a web page:\u2028 a second line"\n'
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    Pet:\n"
        "      type: object\n"
        "      properties: {name: {type: string}}\n"
    )
    config = {"version": 1, "extends": "none", "openapi": {"specs": ["api.yaml"], "validate": False}}
    config["rules"] = {"openapi-additional-properties": "error"}
    findings = run({"api.yaml": spec}, config)
    assert spots(findings, "openapi-additional-properties") == [(10, 7)]
