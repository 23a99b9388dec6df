"""guardrails.peak_memory: a command's peak memory is its own, not that of the process that started
it (Linux's ru_maxrss of an exec'd child includes its parent's peak), and includes the processes
the command waited for."""

from __future__ import annotations

import json
import sys

from guardrails.peak_memory import measure

MIB = 2**20
# touches every page of n MiB, so they are resident, then frees them
ALLOCATE = "b = bytearray({n} * 2**20); b[::4096] = b'x' * len(b[::4096]); del b\n"
OWN_MAXRSS = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)"


def test_a_small_command_started_by_a_process_that_peaked_high_measures_small() -> None:
    parent = (
        ALLOCATE.format(n=300)
        + "import json, subprocess, sys\n"
        + "from guardrails.peak_memory import measure\n"
        + f"small = [sys.executable, '-c', {OWN_MAXRSS!r}]\n"
        + "run = measure(small, capture_output=True, text=True, check=True)\n"
        + "direct = subprocess.run(small, capture_output=True, text=True, check=True)\n"
        + "print(json.dumps([run.peak_bytes, int(run.completed.stdout), int(direct.stdout)]))\n"
    )
    out = measure([sys.executable, "-c", parent], capture_output=True, text=True, check=True)
    measured, own_through_launcher, own_started_directly = json.loads(out.completed.stdout)
    assert own_started_directly >= 300 * MIB  # the trap: a child's own figure carries the parent's peak
    assert measured < 60 * MIB, measured
    assert own_through_launcher < 60 * MIB, own_through_launcher
    assert out.peak_bytes >= 300 * MIB, out.peak_bytes  # and the parent's own peak is seen where it is


def test_a_process_the_command_waited_for_counts() -> None:
    child = ALLOCATE.format(n=200)
    command = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    run = measure([sys.executable, "-c", command], check=True)
    assert run.peak_bytes >= 200 * MIB, run.peak_bytes
    assert run.cpu_seconds > 0 and not run.timed_out


def test_a_command_over_its_time_is_killed_and_says_so() -> None:
    run = measure([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.timed_out
    assert run.completed.returncode == -9
    assert 0 < run.peak_bytes < 60 * MIB
