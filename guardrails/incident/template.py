"""The review template ``guardrails init --incident-template`` writes, in English or Japanese.

Its five headings are the names incident-review looks for, and its guidance is in HTML
comments, which are not content: a review copied from it and filled in has nothing of the
template left to flag.
"""

from __future__ import annotations

import sys
from pathlib import Path

TEMPLATE_PATH = "docs/incident-review-template.md"
LANGUAGES = ("en", "ja")

TEMPLATES = {
    "en": """# Incident review: [title] ([YYYY-MM-DD])

<!-- Copy this file to docs/incidents/[YYYY-MM-DD]-[name].md. Back every claim with evidence
anyone can re-check: chat links, the commands you ran and their output (in ``` fences),
monitoring links and screenshots. `guardrails run` checks the review. -->

## Impact

<!-- Who and what was affected, from when to when, how many: with the dashboard link or the
query and its output. -->

## Background

<!-- What the reader needs to know first: the system, the change that led here (link the PR). -->

## Timeline

<!-- One entry per line, with its time (and zone), in order. Say how the incident was detected:
the alert, the chat channel, the user enquiry. -->

| Time (UTC) | What happened |
|---|---|
| HH:MM | Detected by: [alert / #channel / user enquiry] ([link]) |
| HH:MM | Recovered |

## Cause

<!-- Why it happened, with the logs, traces or command output that show it. -->

## Mitigation and prevention

<!-- One list item per measure. Each is a checklist item (link the checklist), an automated
check (name the guardrails rule id, e.g. insert-ignore), or a ticket. Not: "be more careful"
or "double-check" with no checklist, swallowing errors or silencing alerts, punishing people,
or a manual step on every change. -->

- [ ] [measure] ([rule id, checklist link or ticket])
""",
    "ja": """# 障害報告: [件名] ([YYYY-MM-DD])

<!-- このファイルを docs/incidents/[YYYY-MM-DD]-[名前].md にコピーして書く。記述には誰でも
確かめ直せる根拠を添える: チャットのリンク、実行したコマンドと出力（``` で囲む）、
監視のリンクやスクリーンショット。`guardrails run` がレビューを検査する。 -->

## 影響

<!-- 誰に何が、いつからいつまで、どれだけ起きたか。ダッシュボードのリンクやクエリと出力を添える。 -->

## 背景

<!-- 読み手が先に知るべきこと: システムの構成、原因となった変更（PR のリンク）。 -->

## 発生・復旧フロー

<!-- 出来事ごとに時刻を書き、時系列順に並べる。検知経路（アラート・チャットのチャンネル・
ユーザーからの問い合わせ）を書く。 -->

| 時刻 (JST) | 出来事 |
|---|---|
| HH:MM | 検知: [アラート / #チャンネル / 問い合わせ]（[リンク]） |
| HH:MM | 復旧 |

## 原因

<!-- なぜ起きたか。ログ・トレース・コマンドの出力を根拠に書く。 -->

## 被害の最小化・再発防止策

<!-- 対策ごとにリスト項目を一つ。チェックリストの項目（リンク）、自動チェック（guardrails の
ルール ID、例: insert-ignore）、またはチケットにする。書かないこと: チェックリストのない
「細心の注意」「ダブルチェックの徹底」、エラーの握りつぶしやアラートの停止、罰や個人への禁止、
全件を人手で確認する重い対策。 -->

- [ ] [対策]（[ルール ID・チェックリストのリンク・チケット]）
""",
}


def write_template(root: Path, language: str) -> int:
    target = root / TEMPLATE_PATH
    if target.exists():
        print(f"guardrails: {TEMPLATE_PATH} already exists; not overwritten", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(TEMPLATES[language], encoding="utf-8")
    print(f"Wrote {TEMPLATE_PATH}. Copy it to docs/incidents/ for each review; enable `incident-review` to check them.")
    return 0
