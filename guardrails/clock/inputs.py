"""The ``clock_reads`` input: every wall-clock read in Go, Python and PHP code and in SQL.

Its unit is ``ClockRead`` (guardrails.clock.unit). It owns no config section: the SQL it
reads is the ``sql`` section's, and what counts as allowed is the rule's to decide.
"""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.clock.unit import ClockRead
from guardrails.findings import Finding
from guardrails.inputs import Input, LoadContext, SourceFile


def _load(ctx: LoadContext) -> Iterator[ClockRead | Finding | SourceFile]:
    from guardrails.clock.source import load_reads

    return load_reads(ctx)


def _files(ctx: LoadContext) -> list[str]:
    from guardrails.clock.source import clock_files

    return clock_files(ctx)


CLOCK_READS: Input[ClockRead] = Input(
    name="clock_reads",
    summary="Wall-clock reads in Go, Python and PHP code and in SQL (.sql files and SQL in code)",
    units=(ClockRead,),
    load=_load,
    files=_files,
)
