"""A shell command that first sleeps a random time: the jitter of crontabs, manifests and workflows.

This reads shell, not SQL: the forms are ``sleep $((RANDOM % N))`` (``\\%`` in a crontab,
where a bare ``%`` ends the command), ``sleep $[RANDOM % N]``, ``sleep $(shuf -i 0-N -n 1)``
and the same inside quotes or backticks.
"""

from __future__ import annotations

import re

_RANDOM_SLEEP = re.compile(
    r"""\bsleep\s+["']?(?:\$\(\(\s*\$?RANDOM\s*\\?%|\$\[\s*\$?RANDOM\s*\\?%|\$\(\s*shuf\b|`\s*shuf\b)"""
)


def random_sleep(command: str) -> str | None:
    """The random sleep in ``command`` as written, or None."""
    m = _RANDOM_SLEEP.search(command)
    if m is None:
        return None
    end = command.find(")", m.end())
    end = command.find(")", end + 1) if "((" in m.group(0) and end != -1 else end
    return command[m.start() : end + 1 if end != -1 else m.end()].strip()
