"""Peak resident memory and CPU time of one command, counting that command's processes only.

    from guardrails.peak_memory import measure

    run = measure([sys.executable, "-m", "guardrails", "run"], capture_output=True, text=True)
    assert run.peak_bytes < 200 * 2**20, run.peak_bytes

On Linux a process's ``ru_maxrss`` is not only its own. ``execve`` keeps the larger of the new
program's peak and the peak of the address space it replaces. A child started the way
``subprocess`` starts it (vfork or posix_spawn) replaces its parent's address space, so it
reports at least the parent's all-time peak; a forked child reports at least the parent's
current size. That holds for ``getrusage(RUSAGE_SELF)`` in the child and for ``wait4`` in the
parent alike. A test run from a pytest process that had once reached 251 MB saw a 138 MB child
"peak" at 251 MB. ``RUSAGE_CHILDREN`` adds another error: it is the largest of every child
ever waited for.

So ``measure`` starts a launcher first: a fresh interpreter that imports only os, sys and
signal. The launcher starts the command, and what the command inherits is the launcher's few
MB (about 9 MB: a smaller peak reads as that). The launcher waits for the command with ``wait4``
and hands back that command's figures. Those cover the command and every process it waited
for, so the peak is that of the largest single process of its run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# argv: report fd, timeout in seconds (0: none), command...; writes "maxrss_kib utime stime timed_out",
# or "! why" when the command cannot be started
_LAUNCHER = """\
import os, signal, sys, time
report, timeout, command = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
os.set_inheritable(report, False)
try:
    pid = os.posix_spawnp(command[0], command, os.environ)
except OSError as exc:
    os.write(report, f"! {exc.strerror}".encode())
    sys.exit(127)
deadline = time.monotonic() + timeout if timeout else None
timed_out = False
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG if deadline else 0)
    if done:
        break
    if time.monotonic() > deadline:
        os.kill(pid, signal.SIGKILL)
        timed_out = True
        _, status, usage = os.wait4(pid, 0)
        break
    time.sleep(0.02)
os.write(report, f"{usage.ru_maxrss} {usage.ru_utime} {usage.ru_stime} {int(timed_out)}".encode())
code = os.waitstatus_to_exitcode(status)
if code < 0:  # killed by a signal: end the same way, so the caller sees what a direct run shows
    if -code != signal.SIGKILL:  # Python handles some signals itself (SIGINT, SIGPIPE): not here
        signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


@dataclass(frozen=True)
class Measured:
    """One finished run of a command: subprocess.run's result and the command's own figures."""

    completed: subprocess.CompletedProcess[Any]
    peak_bytes: int  # the largest resident set of the command or of any process it waited for
    cpu_seconds: float  # user + system time of the command and of the processes it waited for
    timed_out: bool  # killed after the timeout; the figures are those up to then

    @property
    def peak_mib(self) -> float:
        return self.peak_bytes / 2**20


def measure(command: Sequence[str], *, timeout: float | None = None, **kwargs: Any) -> Measured:
    """Run command as subprocess.run would (kwargs go to it: cwd, env, capture_output, text...),
    and measure it. After timeout seconds the command is killed and ``timed_out`` is set."""
    if sys.platform != "linux":
        raise OSError("peak_memory.measure reads Linux's ru_maxrss (KiB) of one process")
    read, write = os.pipe()
    try:
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(write), str(timeout or 0), *command]
        completed = subprocess.run(launcher, pass_fds=(write,), **kwargs)
    finally:
        os.close(write)
        with os.fdopen(read, "rb") as report:
            figures = report.read().split()
    if len(figures) != 4 or figures[0] == b"!":
        why = b" ".join(figures[1:]).decode() if figures[:1] == [b"!"] else f"launcher exit {completed.returncode}"
        raise OSError(f"could not start {command[0]}: {why}")
    maxrss_kib, utime, stime, timed_out = figures
    return Measured(completed, int(maxrss_kib) * 1024, float(utime) + float(stime), timed_out == b"1")
