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

import os
import re
import signal
import sys
import weakref
from array import array

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

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._done: array[int] | None = None
        self._child: tuple[int, int] | None = None  # (pid, read end of the pipe)
        if len(raw) >= FORK_BYTES and hasattr(os, "fork"):
            self._child = _fork_scan(raw)
        if self._child is not None:
            # Reap the child even if nobody asks for positions (no findings, invalid JSON).
            self._finalizer = weakref.finalize(self, _stop, *self._child)

    def result(self) -> array[int]:
        if self._done is None:
            self._done = self._collect() if self._child is not None else None
            if self._done is None:
                self._done = scan(self.raw)
        return self._done

    def close(self) -> None:
        """Stop the child if it is still running; result() then scans in-process if asked."""
        if self._child is not None:
            self._finalizer()
            self._child = None

    def _collect(self) -> array[int] | None:
        assert self._child is not None
        pid, fd = self._child
        self._finalizer.detach()
        self._child = None
        try:
            with os.fdopen(fd, "rb") as pipe:
                data = pipe.read()
        finally:
            status = _reap(pid)
        if status != 0 or len(data) % 8:
            return None
        opens: array[int] = array("q")
        opens.frombytes(data)
        return opens


def _fork_scan(raw: bytes) -> tuple[int, int] | None:
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        code = 1
        try:
            os.close(read_end)
            out = memoryview(scan(raw)).cast("B")
            while out:
                out = out[os.write(write_end, out) :]
            code = 0
        finally:
            # _exit: never run the parent's exit handlers or flush its buffered output twice.
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _stop(pid: int, fd: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    os.close(fd)
    _reap(pid)


def _reap(pid: int) -> int:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): the data says if it finished
        return 0
