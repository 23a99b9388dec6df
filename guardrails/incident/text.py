"""Text as the phrase tables compare it: NFKC (full-width letters, digits and punctuation
become their ASCII forms, half-width katakana full-width), case folded."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalise(text)`` character by character, with each output character's offset in ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    for at, char in enumerate(text):
        folded = normalise(char)
        out.append(folded)
        offsets += [at] * len(folded)
    return "".join(out), offsets


def find_normalised(text: str, fragment: str) -> int:
    """Offset in ``text`` where ``fragment`` starts, both compared normalised; -1 if absent."""
    folded, offsets = normalised_with_offsets(text)
    at = folded.find(normalise(fragment))
    return offsets[at] if at >= 0 else -1


def is_japanese(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" or "\uff66" <= char <= "\uff9f"


def language_of(texts: list[str]) -> str:
    """ja when at least a fifth of the letters are kana or kanji (a Japanese review quotes
    plenty of English: commands, service names), else en."""
    japanese = latin = 0
    for text in texts:
        for char in text:
            if is_japanese(char):
                japanese += 1
            elif char.isascii() and char.isalpha():
                latin += 1
    return "ja" if japanese and japanese * 4 >= latin else "en"
