"""incident-review: the review has its five sections and their evidence, and its prevention
measures avoid the known anti-patterns."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Location, Severity, Value
from guardrails.incident.review import SECTION_KEYS, Review
from guardrails.rules import Rule, RuleContext

HELP = (
    "An incident review is read by people who were not there, and re-read when something similar "
    "happens: every claim about impact, timeline and cause needs evidence they can re-check (a chat "
    "link, the command and its output, a monitoring link or screenshot). Prevention measures that "
    'say "be careful" or "double-check" change nothing: when the incident recurs, the review can '
    "only say checking was insufficient again. Write a checklist item, an automated check, or the "
    "guardrails rule id that enforces the measure. Swallowing errors or silencing alerts hides the "
    "next incident; punishing people teaches them to hide incidents; a manual step on every change "
    "is soon skipped. The timeline's times must be in order, and it should say how the incident "
    "was detected, so that the review can ask whether that channel worked."
)

DETAILS = (
    "Reads the Markdown files under incident_review.paths as GitHub renders them (markdown-it-py); "
    "HTML comments are not content. Sections are headings of any level, matched by name after "
    "NFKC, case folding and numbering are removed: Impact / 影響 / 影響範囲; Background / 背景; "
    "Timeline / 発生・復旧フロー / タイムライン / 経緯; Cause / 原因 / Root cause / 根本原因; "
    "Mitigation and prevention / 被害の最小化・再発防止策 / Prevention / 再発防止策 / 再発防止 / "
    "Action items; more through incident_review.sections. A section runs to the next heading of "
    "its level or higher. Findings: a missing section (at the first heading); Impact, Timeline or "
    "Cause without a link, image (Markdown or <img>) or non-empty fenced code block (at its "
    "heading); a timeline entry (a list item, table row, or paragraph line starting with a time) "
    "whose time is earlier than the entry before it, or a timeline with no time at all; a "
    "timeline naming no detection channel (a notice, whatever the rule's severity); a prevention "
    "section with no list item (its measures cannot be checked or listed by guardrails measures); each "
    "prevention measure (a list item written directly in the last section, with its nested items) "
    "matching an anti-pattern of guardrails/incident/phrases.py, once per kind: vague (not when "
    "the item links a checklist, ticket or rule, names a rule id, has task-list sub-items or "
    "names automation), swallowing errors or silencing alerts, punitive (禁止/ban only aimed at a "
    "person), heavyweight (a manual step on every change). A phrase whose clause negates or "
    "removes it does not count."
)


def check(review: Review, ctx: RuleContext) -> Iterator[Finding]:
    yield from _sections(review, ctx)
    yield from _timeline(review, ctx)
    yield from _measures(review, ctx)


def _sections(review: Review, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.incident.messages import message
    from guardrails.incident.sections import NEEDS_EVIDENCE, display

    head = Location(review.path, review.first_heading or 1, 1)
    for key in SECTION_KEYS:
        section = review.section(key)
        name = display(key, review.language)
        if section is None:
            kind, at = "missing-section", head
        elif key in NEEDS_EVIDENCE and not section.evidence:
            kind, at = "missing-evidence", Location(review.path, section.line, section.column)
        else:
            continue
        yield ctx.finding(at, message(kind, review.language, section=name), properties={"kind": kind, "section": key})


def _timeline(review: Review, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.incident.messages import message
    from guardrails.incident.timeline import names_detection_channel, out_of_order, stamps

    timeline = review.section("timeline")
    if timeline is None:
        return
    lang = review.language
    at = Location(review.path, timeline.line, timeline.column)
    times = stamps(timeline)
    if not times:
        yield ctx.finding(at, message("timeline-no-times", lang), properties={"kind": "timeline-no-times"})
    for entry, before in out_of_order(times):
        values: dict[str, Value] = {"time": entry.text, "previous": before.text, "previous_line": before.line}
        yield ctx.finding(
            Location(review.path, entry.line, review.column_of(entry.line, entry.text)),
            message("timeline-order", lang, **values),
            properties={"kind": "timeline-order", **values},
        )
    if not names_detection_channel(timeline):
        kind = "no-detection-channel"
        yield ctx.finding(at, message(kind, lang), properties={"kind": kind}, at_most="notice")


def _measures(review: Review, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.incident.enforce import links_something_concrete
    from guardrails.incident.messages import message
    from guardrails.incident.phrases import anti_patterns

    prevention = review.section("prevention")
    if prevention is None:
        return
    if not prevention.measures:  # prose: nothing to trace to a rule, nothing the tables can check
        at = Location(review.path, prevention.line, prevention.column)
        yield ctx.finding(at, message("no-measures", review.language), properties={"kind": "no-measures"})
    for item in prevention.measures:
        for match in anti_patterns(item, links_something_concrete(item, ctx.config.rules.keys())):
            p = match.pattern
            col = review.column_of(match.line, match.phrase)
            facts = {"phrase": match.phrase, "label": p.label, "reason": p.reason, "instead": p.instead}
            yield ctx.finding(
                Location(review.path, match.line, col, match.line, col + len(match.phrase)),
                message("anti-pattern", p.language, **facts),
                properties={"kind": "anti-pattern", "anti_pattern": p.kind, "language": p.language, **facts},
            )


RULE: Rule[Review] = Rule(
    id="incident-review",
    summary="an incident review missing a section or its evidence, or whose prevention measures are anti-patterns",
    severity=Severity.WARNING,
    incident=(
        "The team's incident reviews kept repeating one prevention measure, \"check with the utmost "
        'care", and the same class of incident kept coming back: each time the review could only '
        'say "checking was insufficient". Other reviews silenced 5xx alerts, or lacked the chat '
        "links and command output anyone would need to re-check them. The review format now has "
        "five sections with evidence, and measures must be a checklist item, an automated check "
        "or the guardrails rule that enforces them; this rule checks the reviews kept as Markdown "
        "in the repository, in Japanese and English."
    ),
    bad=(
        "## 影響\n注文が二重に登録された。\n\n## 発生・復旧フロー\n- 10:40 復旧\n- 10:05 気づいた\n\n"
        "## 原因\nINSERT IGNORE が重複エラーを握りつぶしていた。\n\n"
        "## 被害の最小化・再発防止策\n- リリース時はダブルチェックを徹底する\n- 5xx アラートを止める"
    ),
    good=(
        "## 影響\n注文 120 件が二重登録 ([ダッシュボード](https://grafana.example.com/d/orders))\n\n"
        "## 背景\n重複チェックを DB の一意制約に任せた ([PR #1842](https://github.com/example/shop/pull/1842))\n\n"
        "## 発生・復旧フロー\n- 10:05 [#alerts-orders](https://example.slack.com/archives/C01) に 5xx アラート\n"
        "- 10:40 復旧\n\n"
        "## 原因\n```\n$ grep -c 'Duplicate entry' app.log\n120\n```\n\n"
        "## 被害の最小化・再発防止策\n- INSERT IGNORE を禁止する: `insert-ignore` を error で有効化\n"
        "- [リリースチェックリスト](docs/release-checklist.md) に重複確認の項目を追加"
    ),
    input="incident_reviews",
    units=(Review,),
    check=check,
    recommended=False,
    language="markdown",
    help=HELP,
    details=DETAILS,
    properties={
        "kind": "missing-section | missing-evidence | timeline-order | timeline-no-times | "
        "no-detection-channel | no-measures | anti-pattern",
        "section": "the section's key (impact, background, timeline, cause, prevention)",
        "anti_pattern": "vague | swallow | punitive | heavyweight",
        "phrase": "the phrase found, normalised (NFKC, case folded)",
        "label": "the anti-pattern's name in the phrase's language",
        "language": "ja | en: of the phrase table that matched",
        "reason": "why a measure like this fails",
        "instead": "what to write instead",
        "time": "the out-of-order time as written",
        "previous": "the time of the entry before it",
        "previous_line": "that entry's line",
    },
)
