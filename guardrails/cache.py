"""guardrails' cache: verdicts that take time to reach, stored under a key of all they depend on.

``$GUARDRAILS_CACHE_DIR/<kind>``, else ``$XDG_CACHE_HOME/guardrails/<kind>`` (``~/.cache``).
A cache that cannot be written (a read-only home) only costs the next run the time again.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    configured = os.environ.get("GUARDRAILS_CACHE_DIR")
    if configured:
        return Path(configured) / kind
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guardrails" / kind


def known(kind: str, key: str) -> bool:
    """Whether ``remember(kind, key)`` was called before (by any run)."""
    return os.path.exists(cache_dir(kind) / key)


def remember(kind: str, key: str) -> None:
    target = cache_dir(kind) / key
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()
    except OSError:
        pass
