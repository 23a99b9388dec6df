"""The five sections of a review and the heading names that mark them.

A heading names a section when, normalised (NFKC, case folded, numbering such as ``3.``,
``(3)``, ``第3章`` or ``③`` and a trailing colon removed, ``&`` read as ``and``), it is one
of the section's names, or starts with one followed by a bracket, colon or dash
(``## 原因（根本原因）``, ``## Impact: checkout``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from guardrails.incident.text import normalise

# The seed's names first (the first English and the first Japanese one are the ones messages
# and the template use), then common variants.
BUILTIN: dict[str, tuple[str, ...]] = {
    "impact": ("Impact", "影響", "影響範囲"),
    "background": ("Background", "背景"),
    "timeline": ("Timeline", "発生・復旧フロー", "タイムライン", "経緯"),
    "cause": ("Cause", "原因", "Root cause", "根本原因"),
    "prevention": (
        "Mitigation and prevention",
        "被害の最小化・再発防止策",
        "Prevention",
        "再発防止策",
        "再発防止",
        "Action items",
    ),
}
# Sections whose claims a reader must be able to re-check.
NEEDS_EVIDENCE = ("impact", "timeline", "cause")

_NUMBERING = re.compile(r"^(?:第?\d+(?:\.\d+)*[章節]?[.):、]?|\(\d+\)|[\u2460-\u2473]|[ivx]+[.)])\s*")
_AFTER_NAME = ("(", "[", ":", "-", "—", "–", "/", "|")


def key(text: str) -> str:
    """A heading's text as names are compared."""
    folded = " ".join(normalise(text).replace("&", " and ").split())
    folded = _NUMBERING.sub("", folded)
    return folded.rstrip(":. ").strip()


def names(extra: Mapping[str, Sequence[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """Every section's names: the built-in ones and those configured in incident_review.sections."""
    extra = extra or {}
    return {k: (*v, *extra.get(k, ())) for k, v in BUILTIN.items()}


def section_of(heading: str, known: Mapping[str, Sequence[str]]) -> str | None:
    """Which section a heading starts, if any."""
    text = key(heading)
    for section, aliases in known.items():
        for alias in aliases:
            name = key(alias)
            if text == name or (text.startswith(name) and text[len(name) :].lstrip().startswith(_AFTER_NAME)):
                return section
    return None


def display(section: str, language: str) -> str:
    """The section's name in the review's language, as messages say it."""
    english, japanese = BUILTIN[section][0], next(n for n in BUILTIN[section] if not n.isascii())
    return japanese if language == "ja" else english
