"""Where the objects of a JSON text start: one regular expression pass over the bytes.

The pass takes about 0.1 s on a 13 MB description, as long as decoding it, and
needs nothing but the bytes; the regular expression engine holds the GIL, so a
thread would not overlap it. On a large file it therefore runs in a forked
child that starts before decoding and sends back the offsets (8 bytes per
object), while this process decodes, validates and walks the spec on another
core. Where fork is unavailable or fails, or the child fails, the pass runs
in-process: the answer is the same either way.
"""

from __future__ import annotations

import re
import sys
from array import array
from functools import partial

# One match runs over everything up to the next brace outside a string; group 1 is
# set for "{". Possessive quantifiers (3.11+) stop the engine from keeping
# backtracking points: 2.5x faster.
if sys.version_info >= (3, 11):
    _TO_BRACE = re.compile(rb'[^{}"]*+(?:"(?:[^"\\]++|\\.)*+"[^{}"]*+)*+(?:(\{)|\})')
else:  # pragma: no cover - exercised on 3.10 only
    _TO_BRACE = re.compile(rb'[^{}"]*(?:"(?:[^"\\]|\\.)*"[^{}"]*)*(?:(\{)|\})')
# Below this a fork costs more than the pass (about 8 ms per MB).
FORK_BYTES = 2 * 1024 * 1024


def scan(raw: bytes) -> array[int]:
    """For the k-th object to close, the offset of its "{" (valid JSON only)."""
    opens: array[int] = array("q")
    stack: list[int] = []
    push, pop, put = stack.append, stack.pop, opens.append
    for m in _TO_BRACE.finditer(raw):
        if m.lastindex:
            push(m.end() - 1)
        else:
            put(pop())
    return opens


class BraceScan:
    """scan(raw), started now (in a child process for a large text), collected by result()."""

    def __init__(self, raw: bytes, may_fork: bool = True) -> None:
        from guardrails.parallel import Forked

        self.raw = raw
        self._done: array[int] | None = None
        self._scan = Forked(partial(scan, raw), fork=may_fork and len(raw) >= FORK_BYTES)

    def result(self) -> array[int]:
        if self._done is None:
            self._done = self._scan.result()
        return self._done

    def close(self) -> None:
        """Stop the child if it is still running; result() then scans in-process if asked."""
        self._scan.close()
