"""Large trees on every core: the files of a per-file input are split between worker
processes, each of which runs the loader and the rules on its share and sends back
only findings (small), never parsed statements (large and slow to send).

Worker processes are forked, so they share the already-loaded rules and config;
where fork is not available everything runs in-process. ``GUARDRAILS_JOBS`` sets the
number of processes (1: in-process).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

# Below this many files a pool's start-up costs more than the second core saves.
MIN_FILES = 256


@dataclass
class ChunkResult:
    findings: list[Any]
    errors: list[str]
    read_paths: set[str]
    marked_paths: set[str]


# What a forked worker inherits: (workspace, config, run_one) set just before the pool starts.
_inherited: tuple[Any, Any, Callable[[Any, Any], tuple[list[Any], list[str]]]] | None = None


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
    workspace: Any,
    config: Any,
    files: Sequence[str],
    jobs: int,
    run_one: Callable[[Any, Any], tuple[list[Any], list[str]]],
) -> ChunkResult:
    """run_one(workspace, config) -> (findings, errors), once per share of files, in parallel."""
    global _inherited
    shares = split_by_size(workspace.root, files, jobs)
    _inherited = (workspace, config, run_one)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(len(shares)) as pool:
            results = pool.map(_run_share, shares)
    finally:
        _inherited = None
    merged = ChunkResult([], [], set(), set())
    for result in results:
        merged.findings += result.findings
        merged.errors += result.errors
        merged.read_paths |= result.read_paths
        merged.marked_paths |= result.marked_paths
    return merged


def _run_share(files: list[str]) -> ChunkResult:
    assert _inherited is not None, "a worker must be forked from run_split"
    workspace, config, run_one = _inherited
    mine = replace(workspace, files=list(files), read_paths=set(), marked_paths=set())
    findings, errors = run_one(mine, config)
    return ChunkResult(findings, errors, mine.read_paths, mine.marked_paths)
