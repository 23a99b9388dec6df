"""The unit of the ``clock_reads`` input: one place that reads the wall clock."""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.findings import Location


@dataclass(frozen=True)
class ClockRead:
    """A wall-clock read at ``location``.

    ``language``: ``go``, ``python``, ``php`` or ``sql``; ``call``: the call as written
    (``t.Now()``, ``dt.now(tz)``, ``NOW()``); ``api``: what it resolves to through imports and
    aliases (``time.Now``, ``datetime.datetime.now``, ``NOW``). ``elapsed``: the reading only
    measures a duration (``time.Since(start)``, ``time.time() - t0``), where moving the clock
    changes nothing. ``found_in``: for SQL, the language of the file the statement is in.
    ``statement_line``: the first line of the statement holding the read, where an ignore
    comment above it also counts (a read inside a call spread over lines).
    """

    path: str
    location: Location
    language: str
    call: str
    api: str
    elapsed: bool = False
    found_in: str = ""
    statement_line: int = 0
