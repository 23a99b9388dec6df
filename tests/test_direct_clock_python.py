"""direct-clock in Python: reads resolved through imports and aliases, and the traps around them."""

from __future__ import annotations

from tests.test_direct_clock import flagged

CODE = '''"""Billing: time.time() and datetime.now() in this docstring are not calls."""
import datetime as std_datetime
import logging
import time
from datetime import date
from datetime import datetime as dt
from time import time as epoch

import arrow
import pendulum
from django.utils import timezone

log = logging.getLogger(__name__)


class Invoice:
    def now(self):
        return self.clock.now()  # a method named now on another object

    def due(self, event):
        log.info("compare with datetime.now() later")
        t0 = time.time()
        started = time.perf_counter()
        tick = time.monotonic()
        expired = dt.now() > event.ends_at
        today = date.today()
        stamp = epoch()
        aware = timezone.now()
        utc = std_datetime.datetime.utcnow()
        local = arrow.now("Asia/Tokyo"), pendulum.now()
        log.info("took %s", time.time() - t0)
        return expired, today, stamp, aware, utc, local, started, tick

    def timed(self):
        begin = dt.now()
        self.work()
        self.duration.observe((dt.now() - begin).total_seconds())

    def kept(self):
        first = time.time()
        self.first_seen = first
        return time.time() - first
'''


def test_python_reads_resolved_through_imports() -> None:
    assert flagged({"billing/invoice.py": CODE}) == [
        ("billing/invoice.py", 25, 19, "dt.now()"),
        ("billing/invoice.py", 26, 17, "date.today()"),
        ("billing/invoice.py", 27, 17, "epoch()"),
        ("billing/invoice.py", 28, 17, "timezone.now()"),
        ("billing/invoice.py", 29, 15, "std_datetime.datetime.utcnow()"),
        ("billing/invoice.py", 30, 17, 'arrow.now("Asia/Tokyo")'),
        ("billing/invoice.py", 30, 42, "pendulum.now()"),
        # first is stored as well as measured: the read that starts the duration is a date
        ("billing/invoice.py", 40, 17, "time.time()"),
    ]


def test_python_names_that_only_look_like_the_clock() -> None:
    code = (
        "from myapp.clock import now\n"
        "import time\n\n"
        "def f(datetime):\n"
        "    return now(), datetime.now(), time.sleep(1), time.monotonic_ns()\n"
    )
    # `datetime` here is a parameter, not the module: no import binds it
    assert flagged({"app/f.py": code, "tests/test_f.py": "import time\nT = time.time()\n"}) == []


def test_python_syntax_error_is_a_parse_error_not_a_crash() -> None:
    from guardrails.testing import run

    findings = run(
        {"a.py": "def f(:\n", "b.py": "import time\nT = time.time()\n"},
        {"rules": {"direct-clock": "error"}, "sql": {"sources": ["**/*.sql"]}},
        select=["direct-clock"],
    )
    assert sorted((f.rule, f.path, f.line) for f in findings) == [
        ("direct-clock", "b.py", 2),
        ("parse-error", "a.py", 1),
    ]
