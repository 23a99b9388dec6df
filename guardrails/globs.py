"""gitignore-style globs relative to the repository root (``**/`` matches zero or more directories)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import pathspec


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def matches(path: str, patterns: Sequence[str]) -> bool:
    return bool(patterns) and _spec(tuple(patterns)).match_file(path)


def select(paths: Iterable[str], patterns: Sequence[str]) -> list[str]:
    if not patterns:
        return []
    spec = _spec(tuple(patterns))
    return [p for p in paths if spec.match_file(p)]
