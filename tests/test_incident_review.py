"""incident-review on realistic reviews in Japanese and English, good and bad, in-process on real git repositories."""

from __future__ import annotations

from typing import Any

import pytest

from guardrails.config import ConfigError
from guardrails.findings import Finding, Severity
from guardrails.testing import run
from tests.incident_fixtures import ENABLED, line_of, review

PATH = "docs/incidents/2024-05-01-orders.md"


def incident(files: dict[str, str | bytes], config: dict[str, Any] | None = None) -> list[Finding]:
    return [f for f in run(files, config or ENABLED) if f.rule == "incident-review"]


def kinds(findings: list[Finding]) -> list[tuple[int, str, Any]]:
    """(line, kind, the section or anti-pattern) of each finding."""
    return sorted(
        (f.line, str(f.properties["kind"]), f.properties.get("section") or f.properties.get("anti_pattern"))
        for f in findings
    )


@pytest.mark.parametrize("name", ["ja-good.md", "en-good.md"])
def test_a_good_review_has_no_findings(name: str) -> None:
    assert incident({f"docs/incidents/{name}": review(name)}) == []


def test_the_rule_is_opt_in() -> None:
    assert incident({PATH: review("ja-bad.md")}, {"version": 1}) == []


def test_a_bad_japanese_review_has_every_finding_kind() -> None:
    text = review("ja-bad.md")
    found = incident({PATH: text})
    timeline = line_of(text, "## 発生・復旧フロー")
    assert kinds(found) == sorted(
        [
            (1, "missing-section", "background"),
            (line_of(text, "## 影響"), "missing-evidence", "impact"),
            (timeline, "missing-evidence", "timeline"),
            (timeline, "no-detection-channel", None),
            (line_of(text, "03:40"), "timeline-order", None),
            # its only evidence is inside an HTML comment, which is not content
            (line_of(text, "## 原因"), "missing-evidence", "cause"),
            (line_of(text, "細心の注意"), "anti-pattern", "vague"),
            (line_of(text, "エラーを握りつぶして"), "anti-pattern", "swallow"),
            (line_of(text, "始末書"), "anti-pattern", "punitive"),
            (line_of(text, "目視確認"), "anti-pattern", "heavyweight"),
        ]
    )
    by_kind = {(f.properties["kind"], f.properties.get("anti_pattern")): f for f in found}
    order = by_kind[("timeline-order", None)]
    assert order.message == f"時系列が前後しています: 03:40 が 03:55（{line_of(text, '03:55')}行目）の後にあります"
    vague = by_kind[("anti-pattern", "vague")]
    assert vague.message.startswith("曖昧な対策「細心の注意」: 再発しても「確認不足」")
    assert "チェックリスト項目・自動チェック・ルールID" in vague.message
    line = text.splitlines()[vague.line - 1]
    assert line[vague.location.column - 1 :].startswith("細心の注意")
    assert by_kind[("missing-section", None)].message == "セクションがありません: 背景"
    assert by_kind[("no-detection-channel", None)].severity is Severity.NOTICE
    assert all(len(f.message) <= 120 for f in found)


def test_a_bad_english_review_has_every_finding_kind() -> None:
    text = review("en-bad.md")
    found = incident({PATH: text})
    timeline = line_of(text, "## Timeline")
    assert kinds(found) == sorted(
        [
            (1, "missing-section", "background"),
            (line_of(text, "## Impact"), "missing-evidence", "impact"),
            (timeline, "missing-evidence", "timeline"),
            (timeline, "no-detection-channel", None),
            (line_of(text, "09:10"), "timeline-order", None),
            (line_of(text, "## Cause"), "missing-evidence", "cause"),
            (line_of(text, "more careful"), "anti-pattern", "vague"),
            (line_of(text, "Swallow the error"), "anti-pattern", "swallow"),
            (line_of(text, "written warning"), "anti-pattern", "punitive"),
            (line_of(text, "Manually review"), "anti-pattern", "heavyweight"),
        ]
    )
    swallow = next(f for f in found if f.properties.get("anti_pattern") == "swallow")
    assert swallow.message == 'hides errors "swallow": it hides the next incident; handle the error, keep the alert'
    assert swallow.properties["instead"] == "handle the error, keep the alert"
    assert "missing section: Background" in [f.message for f in found]


def test_the_documented_examples() -> None:
    from guardrails.checks.incident_review import RULE

    def found(example: str) -> list[Finding]:
        return incident({PATH: f"# 障害報告\n\n{example}\n"})

    assert found(RULE.good) == []
    assert {f.properties["kind"] for f in found(RULE.bad)} >= {"missing-evidence", "timeline-order", "anti-pattern"}


def test_prevention_written_as_prose() -> None:
    text = japanese(TIMELINE, "リリース前に皆で気をつけることにした。", prevention="## 再発防止策")
    assert [(f.line, f.message) for f in incident({PATH: text})] == [
        (line_of(text, "## 再発防止策"), "再発防止策が箇条書きになっていません: 対策ごとにリスト項目を書く")
    ]


def test_the_detection_channel_stays_a_notice_when_the_rule_is_an_error() -> None:
    found = incident({PATH: review("en-bad.md")}, {"rules": {"incident-review": "error"}})
    severities = {str(f.properties["kind"]): f.severity for f in found}
    assert severities["no-detection-channel"] is Severity.NOTICE
    assert severities["timeline-order"] is Severity.ERROR


IMPACT = "## 影響\n注文 12 件 ([ダッシュボード](https://grafana.example.com/d/1))\n\n## 背景\nバッチの改修\n\n"
CAUSE = "## 原因\n```\n$ grep -c timeout batch.log\n12\n```\n\n"


def japanese(timeline: str, measures: str, prevention: str = "## 被害の最小化・再発防止策") -> str:
    return f"# 障害報告\n\n{IMPACT}## 発生・復旧フロー\n{timeline}\n\n{CAUSE}{prevention}\n{measures}\n"


TIMELINE = "- 10:05 [#alerts](https://example.slack.com/archives/C1) にアラート\n- 10:40 復旧"


def test_a_timeline_without_times() -> None:
    found = incident({PATH: japanese("- 朝にアラート https://grafana.example.com/d/1\n- 昼に復旧", "- 対策は #42")})
    assert [(f.properties["kind"], f.message) for f in found] == [
        ("timeline-no-times", "発生・復旧フローに時刻がありません: 各出来事の時刻を書く")
    ]


def test_times_past_midnight_dates_and_zones_are_in_order() -> None:
    timeline = (
        "| 時刻 | 出来事 |\n|---|---|\n| 2024/5/1 23:50 JST | アラート https://grafana.example.com/d/1 |\n"
        "| 00:20 | 復旧 |\n| 2024-05-02T00:30+09:00 | 報告書 |\n| ５月２日（木）午前１時５分 | 再発 |\n| 00:40 | 記入ミス |"
    )
    text = japanese(timeline, "- `insert-ignore` を有効化する")
    found = incident({PATH: text})
    assert [(f.line, f.properties["previous"]) for f in found] == [(line_of(text, "00:40"), "5月2日(木)午前1時5分")]


@pytest.mark.parametrize(
    ("measure", "flagged"),
    [
        ("- ダブルチェックを必ず行う", ["vague"]),
        ("- ＤＯＵＢＬＥ－ＣＨＥＣＫ ｔｈｅ ｍｉｇｒａｔｉｏｎ", ["vague"]),  # full-width
        ("- エラーを握りつぶさないようにする", []),
        ("- INSERT IGNORE の使用を禁止する（`insert-ignore`）", []),
        ("- 新人の本番作業を禁止する", ["punitive"]),
        ("- ダブルチェックを徹底する: [チェックリスト](docs/release-checklist.md) に追加", []),
        ("- ダブルチェックを徹底する（[OPS-311](https://example.atlassian.net/browse/OPS-311)）", []),
        ("- 確認を徹底する: insert-ignore で検査", []),
        ("- リリース前の確認を徹底する\n  - [ ] 実行計画を貼った\n  - [ ] ロールバック手順を書いた", []),
        ("- 確認を徹底する <!-- チェックリストは後で作る -->", ["vague"]),
        ("- Remove the handler that swallows timeouts", []),
        ("- Mute the 5xx alerts during batch runs", ["swallow"]),
    ],
)
def test_prevention_measures(measure: str, flagged: list[str]) -> None:
    found = incident({PATH: japanese(TIMELINE, measure)})
    assert [f.properties["anti_pattern"] for f in found] == flagged


def test_headings_full_width_numbered_and_configured() -> None:
    text = japanese(TIMELINE, "- 気をつける", prevention="## ５．被害の最小化・再発防止策（案）").replace(
        "## 発生・復旧フロー", "### 時系列"
    )
    config = {"rules": {"incident-review": "warning"}, "incident_review": {"sections": {"timeline": ["時系列"]}}}
    assert [f.properties["anti_pattern"] for f in incident({PATH: text}, config)] == ["vague"]
    without_alias = incident({PATH: text})
    assert [(f.properties["kind"], f.properties.get("section")) for f in without_alias][0] == (
        "missing-section",
        "timeline",
    )


def test_front_matter_is_not_a_heading() -> None:
    text = "---\ntitle: 注文の二重登録\ndate: 2024-05-01\n---\n" + japanese(TIMELINE, "- 細心の注意を払う")
    found = incident({PATH: text})
    assert [(f.line, f.properties.get("anti_pattern")) for f in found] == [(line_of(text, "細心の注意"), "vague")]


def test_paths_and_an_unreadable_review() -> None:
    config = {"rules": {"incident-review": "warning"}, "incident_review": {"paths": ["reviews/*.md"]}}
    files: dict[str, str | bytes] = {
        "reviews/broken.md": "# 障害報告\n\n## 影響\n".encode() + b"\xff\xfe\n",
        "reviews/bad.md": review("en-bad.md"),
        "docs/incidents/ignored.md": review("en-bad.md"),
    }
    found = run(files, config)
    errors = [(f.path, f.line, f.message) for f in found if f.rule == "parse-error"]
    assert errors == [("reviews/broken.md", 4, "incident review: not valid UTF-8 (byte 0xff): not checked")]
    assert {f.path for f in found if f.rule == "incident-review"} == {"reviews/bad.md"}


def test_an_html_comment_suppresses_with_a_reason() -> None:
    text = japanese(
        TIMELINE, "<!-- guardrails:ignore[incident-review] 社外向けの表現で、実際は CI で検査 -->\n- 気をつける"
    )
    (finding,) = incident({PATH: text})
    assert finding.suppressed and finding.properties["anti_pattern"] == "vague"


def test_a_typo_in_the_section_is_a_config_error() -> None:
    with pytest.raises(
        ConfigError, match=r"unknown key 'timelines' in incident_review.sections \(did you mean 'timeline'\?\)"
    ):
        incident({PATH: "# x\n"}, {"incident_review": {"sections": {"timelines": ["経緯"]}}})
