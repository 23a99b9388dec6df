"""The timeline's times, in the order written, and whether it says how the incident was detected.

An entry is a list item (its own first line), a table row, or a paragraph line that starts
with a time; its time is the first one in it: ``10:02``, ``10:02:33``, ``10時2分``, ``午後3時``,
``3:02 pm``, with an optional date before it (``2024-05-01``, ``2024/5/1``, ``5/1``,
``5月1日(水)``, ISO ``2024-05-01T10:02+09:00``) and an optional zone after it (``JST``,
``UTC``, ``Z``, ``+09:00``). An entry without a date or zone takes the last one written; one
without a date whose time is more than 12 hours before the previous entry's is read as the
next day (an incident that ran past midnight).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from guardrails.incident.review import Section, TextLine
from guardrails.incident.text import normalise

_DATE = r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<mo>\d{1,2})\s*[-/月]\s*(?P<d>\d{1,2})\s*日?(?:\s*\([^)]{1,3}\))?"
_TIME = (
    r"(?P<half>午前|午後)?\s*(?P<h>\d{1,2})"
    r"(?:\s*:\s*(?P<mi>\d{2})(?::(?P<s>\d{2}))?|\s*時(?!間)\s*(?:(?P<mi2>\d{1,2})\s*分)?)"
    r"(?:\s*(?P<ap>[ap])\.?m\b\.?)?(?:\s*(?P<tz>jst|utc|gmt|z\b|[+-]\d{2}:?\d{2}))?"
)
_STAMP = re.compile(rf"(?<![\d:/.-])(?:{_DATE}(?:t|\s*))?{_TIME}(?!\d)")
_STARTS_WITH_TIME = re.compile(r"^\s*[\[(]?\s*(?:\d{4}[-/.年])?\d{1,2}\s*[-/月:時]")
_ZONES = {"jst": 9 * 60, "utc": 0, "gmt": 0, "z": 0}

_CHANNEL_WORDS = re.compile(
    r"\balert|\bpage[ds]?\b|pagerduty|opsgenie|\bslack\b|\bchannel\b|\benquir|\binquir|\bsupport (?:ticket|request)"
    r"|\bcustomer (?:report|complain)|\breported by\b|\busers? reports?\b|\bmonitor|datadog|grafana|sentry|cloudwatch"
    r"|mackerel|new relic|(?<![\w&])#[a-z][\w-]*"
    r"|アラート|通知|問い合わせ|問合せ|入電|通報|報告|連絡|チャンネル|監視"
)
_CHAT_HOSTS = ("slack.com", "teams.microsoft.com", "chat.google.com", "discord.com", "mattermost", "chatwork.com")


@dataclass(frozen=True)
class Stamp:
    line: int
    text: str  # as written (normalised)
    at: int  # seconds on one scale for the whole timeline


def stamps(section: Section) -> list[Stamp]:
    """The entries' times, in document order."""
    entries = [i.lines[0] for i in section.items if i.lines]
    entries += [TextLine(r.line, " ".join(r.cells)) for r in section.rows]
    entries += [t for t in section.paragraphs if _STARTS_WITH_TIME.match(normalise(t.text))]
    reader = _Reader()
    out = []
    for entry in sorted(entries, key=lambda t: t.line):
        stamp = reader.read(entry)
        if stamp is not None:
            out.append(stamp)
    return out


def out_of_order(found: list[Stamp]) -> list[tuple[Stamp, Stamp]]:
    """(entry, the entry before it) for each time earlier than the one before."""
    return [(b, a) for a, b in zip(found, found[1:], strict=False) if b.at < a.at]


def names_detection_channel(section: Section) -> bool:
    """The timeline says how the incident was noticed: an alert, a chat channel, a user's enquiry."""
    if any(host in link.url for link in section.links for host in _CHAT_HOSTS):
        return True
    return any(_CHANNEL_WORDS.search(normalise(t.text)) for t in section.text_lines())


class _Reader:
    """Reads times in order, carrying the last date and zone forward."""

    def __init__(self) -> None:
        self.year = 2000
        self.day = 0  # an ordinal day
        self.zone = 0
        self.previous: int | None = None

    def read(self, entry: TextLine) -> Stamp | None:
        text = normalise(entry.text)
        for m in _STAMP.finditer(text):
            seconds = _seconds(m)
            if seconds is None:
                continue
            dated = m.group("d") is not None and self._date(m)
            if m.group("tz"):
                tz = m.group("tz")
                self.zone = _ZONES.get(tz, 0) if tz in _ZONES else _offset(tz)
            at = self.day * 86400 + seconds - self.zone * 60
            if not dated and self.previous is not None and self.previous - at > 12 * 3600:
                self.day += 1  # past midnight
                at += 86400
            self.previous = at
            return Stamp(entry.line, m.group(0).strip(), at)
        return None

    def _date(self, m: re.Match[str]) -> bool:
        year = int(m.group("y")) if m.group("y") else self.year
        try:
            day = datetime.date(year, int(m.group("mo")), int(m.group("d"))).toordinal()
        except ValueError:
            return False
        self.year, self.day = year, day
        return True


def _seconds(m: re.Match[str]) -> int | None:
    hour = int(m.group("h"))
    minute = int(m.group("mi") or m.group("mi2") or 0)
    second = int(m.group("s") or 0)
    afternoon = m.group("half") == "午後" or m.group("ap") == "p"
    if (m.group("half") or m.group("ap")) and hour > 12:
        return None
    if afternoon and hour < 12:
        hour += 12
    elif (m.group("half") == "午前" or m.group("ap") == "a") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59 or second > 59:
        return None
    return hour * 3600 + minute * 60 + second


def _offset(tz: str) -> int:
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + int(digits[2:]))
