"""``--format text``: the full form (source and caret) on a terminal, the concise one elsewhere.

The command line decides by where the report goes; a caller without a terminal (a library
user, a test) gets the concise form, one line per finding, which stays greppable in CI logs.
"""

from __future__ import annotations

from guardrails.report.concise_format import render

__all__ = ["render"]
