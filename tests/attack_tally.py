"""Issue 12's figures, counted where the attacks run.

Each attack test (tests/test_attacks_*.py) reports, through pytest's ``record_property``, how
many hostile inputs it tried and what became of them; benchmarks/attack_figures.py runs those
tests and adds the counts up. ``refused``: stopped with an error that names the cause (exit 2,
a refused statement, a parse-error at the place); ``explained``: accepted and checked, with a
finding for whatever was not (so ``refused + explained == tried`` when all is well).
``state_changes``: facets of the database's state an attack changed; ``outside_reads``: secrets
from outside the repository that reached any output.
"""

from __future__ import annotations

from collections.abc import Callable

KEYS = ("tried", "refused", "explained", "state_changes", "outside_reads")


def tally(record: Callable[[str, object], None], **counts: int) -> None:
    """Report counts (record is the test's ``record_property`` fixture)."""
    for key, value in counts.items():
        if key not in KEYS:
            raise KeyError(f"unknown attack count {key!r}: one of {', '.join(KEYS)}")
        record(f"attack.{key}", int(value))
