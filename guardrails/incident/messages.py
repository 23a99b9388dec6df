"""Finding messages of incident-review in the review's own language (short: what and where;
the why and the fix are the rule's ``help``)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "missing-section": {
        "en": "missing section: {section}",
        "ja": "セクションがありません: {section}",
    },
    "missing-evidence": {
        "en": "{section} has no evidence: add a link, an image or a fenced code block (command and output)",
        "ja": "{section}に根拠がありません: リンク・画像・コードブロック（コマンドと出力）を添える",
    },
    "timeline-order": {
        "en": "timeline out of order: {time} comes after {previous} (line {previous_line})",
        "ja": "時系列が前後しています: {time} が {previous}（{previous_line}行目）の後にあります",
    },
    "timeline-no-times": {
        "en": "the timeline gives no times: write when each step happened",
        "ja": "発生・復旧フローに時刻がありません: 各出来事の時刻を書く",
    },
    "no-detection-channel": {
        "en": "the timeline does not say how the incident was detected (alert, chat channel, user enquiry)",
        "ja": "検知経路が書かれていません（アラート・チャットのチャンネル・ユーザーからの問い合わせ）",
    },
    "no-measures": {
        "en": "the prevention section lists no measures: write each one as a list item",
        "ja": "再発防止策が箇条書きになっていません: 対策ごとにリスト項目を書く",
    },
    "anti-pattern": {
        "en": '{label} "{phrase}": {reason}; {instead}',
        "ja": "{label}「{phrase}」: {reason}。{instead}",
    },
}


def message(kind: str, language: str, **values: object) -> str:
    return MESSAGES[kind][language].format(**values)
