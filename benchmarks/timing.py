"""What the benchmarks time with: CPU seconds of finished child processes, and the machine's load.

On a shared machine wall time moves with everyone else's work; CPU time (user + system) of the
process measured, and of the processes it waited for, moves far less, so ratios are taken on it.
"""

from __future__ import annotations

import os
import resource


def cpu_of_children() -> float:
    """User + system seconds of every child waited for so far (and of the children they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the record of how busy the machine was."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
