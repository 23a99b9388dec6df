"""Crontab files: user crontabs (``crontab``, ``*.cron``, ``*.crontab``) and system ones
(``cron.d/*``, ``etc/crontab``), whose sixth field is the user to run as.

``CRON_TZ=`` sets the zone of the lines after it (cronie); ``@reboot`` is not a time. A bare
``%`` ends the command (cron feeds the rest to its standard input).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from guardrails.findings import Finding, Location, parse_error
from guardrails.schedules.jitter import random_sleep
from guardrails.schedules.model import CRON, Schedule

NAMES = ("crontab",)
SUFFIXES = (".cron", ".crontab")
HINT = "sleep $((RANDOM \\% 300)) first"


def is_crontab(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name in NAMES or name.endswith(SUFFIXES) or "/cron.d/" in f"/{path}"


def _system(path: str) -> bool:
    return "/cron.d/" in f"/{path}" or f"/{path}".endswith("/etc/crontab")


def read(path: str, text: str) -> Iterator[Schedule | Finding]:
    system = _system(path)
    timezone: str | None = None
    for number, raw in enumerate(text.split("\n"), 1):  # not splitlines(): a form feed ends no line
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, eq, value = line.partition("=")
        if eq and " " not in name.strip() and not line.startswith(("@", "*")) and not name[:1].isdigit():
            if name.strip() == "CRON_TZ":
                timezone = value.strip().strip("\"'") or None
            continue  # an environment setting
        column = len(raw) - len(raw.lstrip()) + 1
        fields = line.split(None, 1 if line.startswith("@") else 5)
        count = 1 if line.startswith("@") else 5
        if fields[0] == "@reboot":
            continue
        rest = fields[count] if len(fields) > count else ""
        if system:
            rest = rest.strip().partition(" ")[2]  # the user to run as
        command = _command(rest.strip())
        if not command:
            yield parse_error(
                path, f"crontab line has no command (expected {count} time fields, then the command)", number, column
            )
            continue
        expression = " ".join(fields[:count])
        yield Schedule(
            path=path,
            location=Location(path, number, column, number, column + len(expression)),
            job=job_name(command),
            source="crontab",
            expression=expression,
            kind=CRON,
            cron=expression,
            timezone=timezone,
            jitter=random_sleep(command),
            jitter_hint=HINT,
        )


def _command(text: str) -> str:
    """The command up to the first unescaped %, with \\% read as %."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1 : i + 2] == "%":
            out.append("\\%")
            i += 2
            continue
        if text[i] == "%":
            break
        out.append(text[i])
        i += 1
    return "".join(out).strip()


def job_name(command: str) -> str:
    """A short name for a job from its command: the program and its first arguments, after
    any leading sleep (``backup-db --full``)."""
    for separator in ("&&", ";"):
        head, sep, tail = command.partition(separator)
        if sep and head.strip().startswith(("sleep ", "cd ")):
            command = tail.strip()
    try:
        words = shlex.split(command, comments=False)
    except ValueError:
        words = command.split()
    kept: list[str] = []
    for word in words:
        if word in ("|", "||", "&&", ";", "&") or word.startswith((">", "<", "2>", "1>")):
            break
        kept.append(word.rsplit("/", 1)[-1] if not kept else word)
        if len(kept) == 3:
            break
    return " ".join(kept)[:60] or command[:60]
