"""The anti-patterns of prevention measures, in Japanese and English, with why each fails and
what to write instead.

Japanese phrases are substrings (Japanese has no word boundaries); English ones are regular
expressions over words. Both are compared on normalised text (NFKC, case folded), so
full-width letters and punctuation match too. A phrase does not count when its clause
negates or removes it ("エラーを握りつぶさない", "remove the code that swallows errors"):
Japanese marks that after the phrase, English mostly before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from guardrails.incident.review import Item
from guardrails.incident.text import normalise


@dataclass(frozen=True)
class AntiPattern:
    kind: str  # vague | swallow | punitive | heavyweight
    language: str  # ja | en: of the phrases, and of the reason and the advice
    label: str
    phrases: tuple[str, ...]
    reason: str  # why a measure like this fails
    instead: str  # what to write instead
    with_any: tuple[str, ...] = ()  # the item must also say one of these (禁止 aimed at a person)
    automation_exempts: bool = False  # a checklist, a ticket, a rule or automation makes it concrete


_PERSON_JA = (
    "担当者",
    "当事者",
    "本人",
    "新人",
    "新入社員",
    "作業者",
    "該当者",
    "当該社員",
    "該当社員",
    "実施者",
    "さん",
    "氏",
)
_PERSON_EN = (
    r"\bthe (?:engineer|developer|operator|author|person|on-call|member)s? (?:responsible|involved|who)\b",
    r"\b(?:responsible|offending) (?:engineer|developer|person|operator)s?\b",
    r"\b(?:junior|new hires?|newcomers?|whoever|him|her)\b",
)

TABLE: tuple[AntiPattern, ...] = (
    AntiPattern(
        "vague",
        "ja",
        "曖昧な対策",
        ("細心の注意", "注意する", "注意を払う", "注意喚起", "気をつける", "気を付ける", "徹底", "ダブルチェック")
        + ("心がける", "心掛ける", "意識する", "意識付け", "慎重に"),
        "再発しても「確認不足」としか言えない",
        "チェックリスト項目・自動チェック・ルールIDを書く",
        automation_exempts=True,
    ),
    AntiPattern(
        "vague",
        "en",
        "vague measure",
        (
            r"\bbe (?:more |extra |very |especially )?careful\b",
            r"\b(?:take|taking|takes) (?:more |extra |great |special )?care\b",
            r"\b(?:utmost|extra|great) care\b",
            r"\bpay(?:ing)? (?:more |closer |extra |special )?attention\b",
            r"\bdouble[- ]?check",
            r"\b(?:be|stay|remain) (?:more )?vigilant\b",
            r"\bremind (?:everyone|the team|engineers|developers|staff)\b",
            r"\braise awareness\b",
        ),
        'it recurs as "checking was insufficient"',
        "write a checklist item, a check or a rule id",
        automation_exempts=True,
    ),
    AntiPattern(
        "swallow",
        "ja",
        "エラー・アラートの握りつぶし",
        ("握りつぶ", "握り潰", "無視する", "エラーを無視", "例外を無視", "黙殺")
        + ("アラートを止め", "アラートを停止", "アラートを無効", "通知を止め", "通知をオフ"),
        "次の障害を隠すだけ",
        "エラーは明示的に扱い、アラートは残す",
    ),
    AntiPattern(
        "swallow",
        "en",
        "hides errors",
        (
            r"\bswallow(?:s|ed|ing)?\b",
            r"\b(?:suppress|silence|mute|disable|snooze)(?:es|ed|ing|s)? (?:the |all |these |those )?"
            r"(?:5xx |error |noisy )?alerts?\b",
            r"\bignor(?:e|es|ed|ing) (?:the |all |these |those )?(?:5xx )?(?:errors?|exceptions?|failures?|alerts?)\b",
            r"\bcatch(?:es|ing)? and ignor",
        ),
        "it hides the next incident",
        "handle the error, keep the alert",
    ),
    AntiPattern(
        "punitive",
        "ja",
        "懲罰的な対策",
        ("罰", "始末書", "懲戒", "減給", "降格", "反省文", "責任を取らせ", "責任追及", "処分"),
        "障害を隠す動機になる",
        "人ではなく仕組みを変える",
    ),
    AntiPattern(
        "punitive",
        "ja",
        "懲罰的な対策",
        ("禁止", "外す", "剥奪", "はく奪", "取り上げ"),
        "障害を隠す動機になる",
        "人ではなく操作を制限する（権限・自動チェック）",
        with_any=_PERSON_JA,
    ),
    AntiPattern(
        "punitive",
        "en",
        "punitive measure",
        (
            r"\bpunish",
            r"\bpenal(?:ty|ties|ise|ize)\b",
            r"\bdisciplin(?:e|ary)\b",
            r"\breprimand",
            r"\bwritten warning\b",
        )
        + (r"\bblame\b",),
        "people learn to hide incidents",
        "change the system, not the person",
    ),
    AntiPattern(
        "punitive",
        "en",
        "punitive measure",
        (r"\b(?:ban|bans|banned|banning|bar|barred|forbid|forbids|prohibit|prohibits|prohibited|suspend|suspended)\b",)
        + (r"\brevok(?:e|es|ed|ing)\b",),
        "people learn to hide incidents",
        "restrict the operation, not the person",
        with_any=_PERSON_EN,
    ),
    AntiPattern(
        "heavyweight",
        "ja",
        "重すぎる対策",
        ("目視", "手動", "手作業", "人手", "承認"),
        "全件の人手確認はやがて省略される",
        "自動化するか、危険な変更に絞る",
        with_any=("全件", "全て", "すべて", "毎回", "全リリース", "全デプロイ", "全員"),
    ),
    AntiPattern(
        "heavyweight",
        "en",
        "heavyweight measure",
        (r"\bmanual(?:ly)?\b", r"\bby hand\b", r"\bsign-?off\b", r"\bapprov(?:al|e|ed)\b"),
        "a manual step on every change gets skipped",
        "automate it or limit it to risky changes",
        with_any=(r"\b(?:every|each|all)\b",),
    ),
)

# What makes a "be careful" measure concrete even without a link: automation or a checklist.
_AUTOMATION = ("自動", "チェックリスト", "checklist", "automat", "lint", "guardrails", "pre-commit")
_CI = re.compile(r"(?<![a-z])ci(?![a-z])")
# A clause ends at these; a negation must be in the phrase's own clause.
_CLAUSE_END = re.compile(r"[。、,.;:!?()\[\]「」]")
# Japanese inflects the verb just after the phrase (握りつぶさない); 必ず must not read as a negation.
_NEGATION_NEXT = ("ない", "ず", "ません", "なく")
_NEGATION_AFTER = {
    "ja": ("をやめ", "を止め", "をなく", "を廃止", "を削除", "禁止", "を修正", "を見直"),
    "en": (" not ", "forbidden", "banned", "prohibited", "no longer"),
}
_NEGATION_BEFORE = {
    "ja": ("しない", "せず"),
    "en": (
        r"\bnot\b",
        r"n't\b",
        r"\bnever\b",
        r"\bno longer\b",
        r"\bno more\b",
        r"\bstop(?:s|ped)?\b",
        r"\binstead of\b",
        r"\brather than\b",
        r"\bwithout\b",
        r"\bremov(?:e|es|ed|ing)\b",
        r"\bno\b",
    ),
}


@dataclass(frozen=True)
class Match:
    pattern: AntiPattern
    phrase: str  # as found, normalised
    line: int


def anti_patterns(item: Item, concrete: bool) -> list[Match]:
    """The anti-patterns a prevention measure falls into, one match per kind and language.
    ``concrete``: the item links a checklist, a ticket or a rule (no longer "be careful")."""
    texts = [(t.line, normalise(t.text)) for t in item.lines]
    whole = "\n".join(text for _, text in texts)
    concrete = concrete or item.subtasks > 0 or any(w in whole for w in _AUTOMATION) or bool(_CI.search(whole))
    found: dict[tuple[str, str], Match] = {}
    for pattern in TABLE:
        if (pattern.kind, pattern.language) in found or (pattern.automation_exempts and concrete):
            continue
        if pattern.with_any and not any(_find(pattern.language, p, whole, 0) for p in pattern.with_any):
            continue
        for line, text in texts:
            phrase = _first(pattern, text)
            if phrase:
                found[(pattern.kind, pattern.language)] = Match(pattern, phrase, line)
                break
    return list(found.values())


def _first(pattern: AntiPattern, text: str) -> str:
    """The phrase of the pattern that comes first in the text, not negated."""
    best: tuple[int, int] | None = None
    for phrase in pattern.phrases:
        start = 0
        while (hit := _find(pattern.language, phrase, text, start)) is not None:
            if not _negated(pattern.language, text, *hit):
                best = hit if best is None or hit < best else best
                break
            start = hit[1]
    return text[best[0] : best[1]] if best else ""


def _find(language: str, phrase: str, text: str, start: int) -> tuple[int, int] | None:
    if language == "ja":
        at = text.find(phrase, start)
        return (at, at + len(phrase)) if at >= 0 else None
    m = re.compile(phrase).search(text, start)
    return (m.start(), m.end()) if m else None


def _negated(language: str, text: str, begin: int, end: int) -> bool:
    before = _CLAUSE_END.split(text[:begin])[-1]
    after = _CLAUSE_END.split(text[end:])[0]
    if any(marker in f" {after} " for marker in _NEGATION_AFTER[language]):
        return True
    if language == "ja" and any(after[i:].startswith(m) for i in (0, 1) for m in _NEGATION_NEXT):
        return True
    markers: Sequence[str] = _NEGATION_BEFORE[language]
    if language == "ja":
        return any(marker in before for marker in markers)
    return any(re.search(marker, before) for marker in markers)
