"""Put untrusted text (pull-request descriptions, SQL, paths, messages) into GitHub markdown safely.

Text that comes from a pull request is data. Placed in a comment as it is, it
could ping people (``@org/team``), inject HTML, close our code fence and
continue as markdown of its own, or break a table row. Each function here
renders one kind of markdown context so that the text shows literally.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and escaping all of
# them is simpler to trust than picking the ones that matter in each context.
_PUNCTUATION = re.compile(r"""([!"#$%'()*+,\-./:;=?\[\\\]^_`{|}~])""")
# "<", ">" and "&" become entities: inert in markdown and in HTML alike.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MENTION = "@\u200b"  # a zero-width space after "@" keeps the text readable but no longer a mention
_BACKTICKS = re.compile(r"`+")


def text(value: str) -> str:
    """Inline text: no markup, no HTML, no mentions, no line breaks (safe inside a table cell)."""
    flat = " ".join(value.split())
    escaped = _PUNCTUATION.sub(r"\\\1", flat)
    return re.sub(r"[&<>]", lambda m: _ENTITIES[m.group()], escaped).replace("@", _MENTION)


def code_span(value: str, in_table: bool = False) -> str:
    """Inline code (`` `like this` ``) that its content cannot close."""
    flat = " ".join(value.split())
    if not flat:
        return ""
    longest = max((len(m) for m in _BACKTICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space on each side when both are there: pad when the content touches a
    # backtick so that it stays part of the content.
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    span = f"{fence}{pad}{flat}{pad}{fence}"
    # In a table "|" ends the cell even inside a code span; GitHub drops the backslash there.
    return span.replace("|", "\\|") if in_table else span


def code_block(value: str, language: str = "") -> str:
    """A fenced code block that its content cannot close: the fence is longer than any backtick run.

    GitHub renders neither markdown, HTML nor mentions inside it.
    """
    longest = max((len(m) for m in _BACKTICKS.findall(value)), default=0)
    fence = "`" * max(3, longest + 1)
    lang = re.sub(r"[^A-Za-z0-9_+-]", "", language)
    body = value.replace("\r\n", "\n").rstrip("\n")
    return f"{fence}{lang}\n{body}\n{fence}"


def command_data(value: str) -> str:
    """The message of a workflow command (``::error ...::MESSAGE``): one line, no injection."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(value: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``)."""
    return command_data(value).replace(":", "%3A").replace(",", "%2C")
