"""Inline ignores need a known rule and a reason; the baseline adopts an old codebase."""

from __future__ import annotations

import json

from tests.helpers import Repo, guardrails

BAD = "INSERT IGNORE INTO t VALUES (1);"


def _run(repo: Repo) -> tuple[int, list[dict[str, object]], dict[str, object]]:
    run = guardrails(repo.root, "run", "--format", "json")
    assert run.code in (0, 1), run.stderr
    doc = run.json()
    return run.code, doc["findings"], doc["summary"]


def test_ignore_with_reason_on_the_line_or_the_line_above(repo: Repo) -> None:
    repo.write(
        "q.sql",
        f"-- guardrails:ignore[insert-ignore] idempotent replay of an append-only log\n{BAD}\n"
        f"{BAD} -- guardrails:ignore[insert-ignore] seeded fixture data, duplicates expected\n"
        f"INSERT\n  IGNORE INTO t VALUES (2);\n",
    )
    code, findings, summary = _run(repo)
    assert [(f["line"], f["suppressed"]) for f in findings] == [(2, True), (3, True), (5, False)]
    assert summary["suppressed"] == 2 and summary["errors"] == 1 and code == 1


def test_ignore_above_a_multiline_statement_covers_its_keyword_line(repo: Repo) -> None:
    repo.write(
        "q.sql",
        "/* guardrails:ignore[insert-ignore] one-off backfill, reviewed in OPS-12 */\nINSERT\n  IGNORE INTO t VALUES (2);\n",
    )
    code, findings, _ = _run(repo)
    assert [(f["line"], f["suppressed"]) for f in findings] == [(3, True)] and code == 0


def test_ignore_without_reason_is_a_finding_and_does_not_suppress(repo: Repo) -> None:
    repo.write("q.sql", f"-- guardrails:ignore[insert-ignore]\n{BAD}\n")
    code, findings, _ = _run(repo)
    assert [(f["rule"], f["line"], f["suppressed"]) for f in findings] == [
        ("bad-suppression", 1, False),
        ("insert-ignore", 2, False),
    ]
    assert "no reason" in str(findings[0]["message"])


def test_ignore_naming_an_unknown_rule_is_a_finding(repo: Repo) -> None:
    repo.write("q.sql", f"-- guardrails:ignore[insert-ignroe] typo in the rule id\n{BAD}\n")
    _, findings, _ = _run(repo)
    assert [(f["rule"], f["suppressed"]) for f in findings] == [("bad-suppression", False), ("insert-ignore", False)]
    assert "insert-ignroe" in str(findings[0]["message"])


def test_ignore_file_covers_the_whole_file(repo: Repo) -> None:
    repo.write(
        "q.sql",
        f"SELECT 1;\n{BAD}\n-- guardrails:ignore-file[insert-ignore] generated seed data, regenerated nightly\n{BAD}\n",
    )
    code, findings, _ = _run(repo)
    assert [f["suppressed"] for f in findings] == [True, True] and code == 0


def test_marker_inside_a_string_is_not_a_directive(repo: Repo) -> None:
    repo.write("q.sql", f"SELECT 'guardrails:ignore[insert-ignore] no';\n{BAD}\n")
    _, findings, _ = _run(repo)
    assert [(f["rule"], f["suppressed"]) for f in findings] == [("insert-ignore", False)]


def test_baseline_suppresses_existing_findings_but_not_new_ones(repo: Repo) -> None:
    repo.write("q.sql", f"{BAD}\n")
    repo.commit("old code")
    run = guardrails(repo.root, "baseline")
    assert run.code == 0 and "1 finding" in run.stdout
    baseline = json.loads((repo.root / ".guardrails-baseline.json").read_text())
    assert [e["rule"] for e in baseline["findings"]] == ["insert-ignore"]

    code, findings, summary = _run(repo)
    assert code == 0 and summary["suppressed"] == 1

    # lines added above do not turn the old finding into a new one; a new finding is new
    repo.write("q.sql", f"SELECT 1;\nSELECT 2;\n{BAD}\nUPDATE IGNORE t SET a = 1;\n")
    code, findings, summary = _run(repo)
    assert [(f["line"], f["suppressed"]) for f in findings] == [(3, True), (4, False)]
    assert code == 1


def test_broken_baseline_is_an_internal_error_not_a_crash(repo: Repo) -> None:
    repo.write("q.sql", f"{BAD}\n")
    repo.write(".guardrails-baseline.json", "{not json")
    run = guardrails(repo.root, "run")
    assert run.code == 2 and "regenerate it with `guardrails baseline`" in run.stderr
    assert "Traceback" not in run.stderr
