"""Large trees on every core: the files of a per-file input are split between worker
processes, each of which runs the loader and the rules on its share and sends back
only findings and the files it read (small), never parsed statements (large and slow
to send).

Worker processes are forked, so they share the already-loaded rules and config (and a
copy of the run's state); where fork is not available everything runs in-process.
``GUARDRAILS_JOBS`` sets the number of processes (1: in-process).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from guardrails.inputs import InputResult

if TYPE_CHECKING:
    from guardrails.inputs import LoadContext

# Below this many files a pool's start-up costs more than the second core saves.
MIN_FILES = 256

# What a forked worker inherits: (context, run_one) set just before the pool starts.
_inherited: tuple[LoadContext, Callable[[LoadContext], InputResult]] | None = None


def jobs_for(files: int) -> int:
    wanted = os.environ.get("GUARDRAILS_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if files < MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


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
