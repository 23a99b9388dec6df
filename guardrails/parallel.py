"""Large trees on every core: the files of a per-file input are split between worker
processes, each of which runs the loader and the rules on its share and sends back
only findings and the files it read (small), never parsed statements (large and slow
to send).

Worker processes are forked, so they share the already-loaded rules and config (and a
copy of the run's state); where fork is not available everything runs in-process.
``GUARDRAILS_JOBS`` sets the number of processes (1: in-process).

Forked runs one call in a child while this process does something else (an OpenAPI
spec's validation while the rules check it; a JSON spec's brace scan while it is decoded).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from guardrails.inputs import InputResult

if TYPE_CHECKING:
    from guardrails.inputs import LoadContext

T = TypeVar("T")

# Below this many files a pool's start-up costs more than the second core saves.
MIN_FILES = 256

# What a forked worker inherits: (context, run_one) set just before the pool starts.
_inherited: tuple[LoadContext, Callable[[LoadContext], InputResult]] | None = None


def jobs_for(files: int) -> int:
    wanted = os.environ.get("GUARDRAILS_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if files < MIN_FILES:
        return 1
    import multiprocessing  # 15 ms of start-up: only once there are enough files to split

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return cores()


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def split_by_size(root: Any, files: Sequence[str], jobs: int) -> list[list[str]]:
    """Shares of about equal bytes: the largest files first, each to the lightest share."""

    def size(path: str) -> int:
        try:
            return int((root / path).stat().st_size)
        except OSError:
            return 0

    shares: list[list[str]] = [[] for _ in range(jobs)]
    weights = [0] * jobs
    for path in sorted(files, key=size, reverse=True):
        lightest = weights.index(min(weights))
        shares[lightest].append(path)
        weights[lightest] += size(path) + 4096  # every file costs something, however small
    return [sorted(share) for share in shares if share]


def run_split(
    ctx: LoadContext, files: Sequence[str], jobs: int, run_one: Callable[[LoadContext], InputResult]
) -> InputResult:
    """run_one on a context narrowed to each share of files, in parallel, merged."""
    import multiprocessing

    global _inherited
    shares = split_by_size(ctx.workspace.root, files, jobs)
    _inherited = (ctx, run_one)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(len(shares)) as pool:
            results = pool.map(_run_share, shares)
    finally:
        _inherited = None
    merged = InputResult()
    for result in results:
        merged.merge(result)
    # what is not per file (a schema problem, an unreachable database) each worker reports
    merged.findings = list(dict.fromkeys(merged.findings))
    merged.errors = list(dict.fromkeys(merged.errors))
    return merged


def _run_share(files: list[str]) -> InputResult:
    assert _inherited is not None, "a worker must be forked from run_split"
    ctx, run_one = _inherited
    mine = replace(ctx, workspace=replace(ctx.workspace, files=list(files)))
    return run_one(mine)


class Forked(Generic[T]):
    """fn(), started now in a forked child, so that this process goes on with other work; its
    answer is collected by result(). The child sends back only the pickled answer: what it
    needs it inherits (a parsed spec, the raw bytes). Where fork is unavailable or fails,
    where the child dies or its answer cannot be read, result() calls fn() in-process: the
    answer is the same either way, never lost. ``fallback``: what to call here instead of fn
    when the child gave no answer (fn may do work this process has done already).
    ``GUARDRAILS_JOBS=1`` keeps everything in-process."""

    def __init__(self, fn: Callable[[], T], fork: bool = True, fallback: Callable[[], T] | None = None) -> None:
        self._fn = fn
        self._fallback = fallback or fn  # what result() calls here when the child gave no answer
        self._child: tuple[int, int] | None = None  # (pid, read end of the pipe)
        wanted = os.environ.get("GUARDRAILS_JOBS", "").strip() != "1"
        if fork and wanted and hasattr(os, "fork"):
            self._child = _fork_call(fn)
        if self._child is not None:
            # Reap the child even if nobody asks for its answer (the caller failed first).
            self._finalizer = weakref.finalize(self, _stop, *self._child)

    @property
    def forked(self) -> bool:
        return self._child is not None

    def result(self) -> T:
        if self._child is not None:
            pid, fd = self._child
            self._finalizer.detach()
            self._child = None
            try:
                with os.fdopen(fd, "rb") as pipe:
                    data = pipe.read()
            except BaseException:
                _reap(pid)
                raise
            if data:
                import pickle

                try:
                    answer: T = pickle.loads(data)
                except Exception:  # a truncated answer: compute it here instead
                    pass
                else:
                    # A whole pickle is a whole answer (the child writes it last). The child's exit,
                    # the teardown of its copy of this process's memory, need not be waited for:
                    # 25 ms after validating GitHub's description. It is reaped later.
                    _reap_later(pid)
                    return answer
            _reap(pid)
            return self._fallback()
        return self._fn()

    def close(self) -> None:
        """Stop the child if it still runs; result() then computes the answer in-process."""
        if self._child is not None:
            self._finalizer()
            self._child = None


def _fork_call(fn: Callable[[], Any]) -> tuple[int, int] | None:
    import pickle  # 20 ms of start-up: only once a call is forked

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
            out = memoryview(pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL))
            while out:
                out = out[os.write(write_end, out) :]
            os.close(write_end)  # the answer is whole: the parent need not wait for this exit
            code = 0
        finally:
            # _exit: never run the parent's exit handlers, flush its buffered output twice, or
            # free the inherited trees object by object.
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _stop(pid: int, fd: int) -> None:
    import signal

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


_unreaped: list[int] = []  # children that answered and may still be exiting
_reaping_at_exit = False


def _reap_later(pid: int) -> None:
    """Reap pid now if it has exited, else with the next one or at exit: no zombie outlives the run."""
    global _reaping_at_exit
    if not _reaping_at_exit:
        import atexit

        atexit.register(_reap_all)
        _reaping_at_exit = True
    _unreaped[:] = [p for p in [*_unreaped, pid] if not _exited(p)]


def _exited(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] != 0
    except ChildProcessError:
        return True


def _reap_all() -> None:
    while _unreaped:
        _reap(_unreaped.pop())
