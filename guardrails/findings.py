"""What a check reports: a Finding at a Location with a Severity."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

# A machine-readable fact a finding carries in JSON and SARIF (``properties``).
Value = str | int | float | bool | list[str]


class Severity(enum.IntEnum):
    NOTICE = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, word: str) -> Severity:
        return cls[word.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Location:
    """A span in a file on disk; lines and columns are 1-based.

    ``line == 0`` means the finding is about the file (or, with an empty path,
    the pull request) as a whole.
    """

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        if self.end_line < self.line:
            object.__setattr__(self, "end_line", self.line)
        if self.end_line == self.line and self.end_column < self.column:
            object.__setattr__(self, "end_column", self.column)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    location: Location
    message: str
    fingerprint: str = ""
    suppressed: bool = False
    suppression: str = ""  # why it is suppressed: the comment's reason, or "baseline"
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    properties: dict[str, Value] = field(default_factory=dict, compare=False, hash=False)

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule, self.message)


def parse_error(path: str, message: str, line: int = 0, column: int = 0) -> Finding:
    """A parse-error finding for input that could not be read; the engine gives it its
    configured severity. Inputs yield these; rules never do."""
    return Finding("parse-error", Severity.WARNING, Location(path, line, column), message)


def assign_fingerprints(findings: Iterable[Finding], lines_of: dict[str, dict[int, str]]) -> list[Finding]:
    """Give each finding a fingerprint that survives unrelated edits.

    It hashes the rule, the path and what the finding is about (not its line number): the
    stable subject a rule passes as ``extra["subject"]`` (a statement's normalised text, a
    schema's JSON pointer), else the text of the finding's own span on its line, else the
    whole line; plus an ordinal among findings that share all three. Each line is normalised
    at most once, and each span is cut from it, so 20,000 findings on one long line cost
    one pass over that line, not one each. ``lines_of`` holds, per path, the text of the
    lines that have findings.
    """
    seen: dict[str, int] = {}
    normalised: dict[tuple[str, int], str] = {}
    out: list[Finding] = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = "\0".join((finding.rule, finding.location.path, _subject(finding, lines_of, normalised)))
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        digest = hashlib.sha256(f"{key}\0{ordinal}".encode()).hexdigest()[:16]
        out.append(replace(finding, fingerprint=digest))
    return out


def _subject(finding: Finding, lines_of: dict[str, dict[int, str]], normalised: dict[tuple[str, int], str]) -> str:
    subject = finding.extra.get("subject")
    if subject:
        return subject
    loc = finding.location
    line = lines_of.get(loc.path, {}).get(loc.line, "")
    if line and loc.column and loc.end_line == loc.line and loc.end_column > loc.column:
        span = " ".join(line[loc.column - 1 : loc.end_column - 1].split())
        if span:
            return span
    if (loc.path, loc.line) not in normalised:
        normalised[(loc.path, loc.line)] = " ".join(line.split())
    return normalised[(loc.path, loc.line)] or finding.message
