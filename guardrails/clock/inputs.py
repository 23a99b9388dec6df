"""The ``clock_reads`` input: every wall-clock read in Go, Python and PHP code and in SQL.

Its unit is ``ClockRead`` (guardrails.clock.unit). It owns no config section: the SQL it
reads is the ``sql`` section's, and what counts as allowed is the rule's to decide.
"""

from __future__ import annotations

from guardrails.clock.unit import ClockRead
from guardrails.inputs import Input, lazy

CLOCK_READS: Input[ClockRead] = Input(
    name="clock_reads",
    summary="Wall-clock reads in Go, Python and PHP code and in SQL (.sql files and SQL in code)",
    units=(ClockRead,),
    load=lazy("guardrails.clock.source:load_reads"),
    files=lazy("guardrails.clock.source:clock_files"),
    empty="",  # no clock read found is a clean result: every file of the sources was read
)
