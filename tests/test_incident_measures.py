"""`guardrails measures` on realistic reviews: which prevention measures a rule enforces, in text and JSON."""

from __future__ import annotations

from pathlib import Path

from guardrails.config import load_config
from guardrails.incident.measures import inventory
from guardrails.registry import load_registry
from guardrails.workspace import open_workspace
from tests.helpers import Repo, guardrails
from tests.incident_fixtures import FIXTURES, line_of, review

CONFIG = "rules:\n  incident-review: warning\n  pr-checklist: 'off'\noverrides:\n  - paths: ['legacy/**']\n    rules: {pr-checklist: error}\n"


def reviews_repo(repo: Repo) -> Repo:
    for fixture in sorted(FIXTURES.glob("*.md")):
        repo.write(f"docs/incidents/{fixture.name}", fixture.read_text(encoding="utf-8"))
    repo.write(".guardrails.yml", CONFIG)
    repo.commit()
    return repo


def measures(root: Path) -> dict[str, list[dict[str, object]]]:
    registry = load_registry()
    config = load_config(root / ".guardrails.yml", ".guardrails.yml", registry.rules, registry.inputs)
    found = inventory(open_workspace(root, config.exclude), config)
    assert found.errors == []
    return {r["path"].rsplit("/", 1)[-1]: r["measures"] for r in found.reviews}


def test_each_measure_says_whether_an_enabled_rule_enforces_it(repo: Repo) -> None:
    found = measures(reviews_repo(repo).root)
    en = review("en-good.md")
    assert [(m["line"], m["status"], m["rules"], m["enforced_by"]) for m in found["en-good.md"]] == [
        (line_of(en, "separate pool"), "manual", [], []),
        (line_of(en, "Double-check pool"), "manual", [], []),  # a checklist, but no rule
        (line_of(en, "enable [partition-pruning]"), "enforced", ["partition-pruning"], ["partition-pruning"]),
        (line_of(en, "explain-plan."), "not-enabled", ["explain-plan"], []),  # off in the recommended preset
        (line_of(en, "Keep the 5xx alert"), "manual", [], []),
    ]
    ja = review("ja-good.md")
    # the sub-heading "### 再発防止策" stays inside the prevention section
    assert [(m["line"], m["status"], m["done"]) for m in found["ja-good.md"]] == [
        (line_of(ja, "返金し"), "manual", True),
        (line_of(ja, "insert-ignore"), "enforced", False),
        (line_of(ja, "リリースチェックリスト"), "manual", False),
        (line_of(ja, "閾値"), "manual", False),
    ]
    assert (
        found["ja-good.md"][1]["text"] == "INSERT IGNORE を使わない: guardrails の insert-ignore を error で有効化する"
    )
    assert [m["anti_patterns"] for m in found["ja-bad.md"]] == [
        [],
        ["vague"],
        ["swallow"],
        ["punitive"],
        ["heavyweight"],
        [],
    ]


def test_a_rule_enabled_only_by_an_override_enforces(repo: Repo) -> None:
    repo.write("docs/incidents/x.md", "# x\n## Prevention\n- Tick the release item in CI: pr-checklist\n")
    (measure,) = measures(reviews_repo(repo).root)["x.md"]
    assert (measure["status"], measure["enforced_by"]) == ("enforced", ["pr-checklist"])


def test_the_cli_prints_json_and_text_and_names_unreadable_reviews(repo: Repo) -> None:
    reviews_repo(repo)
    result = guardrails(repo.root, "measures", "--format", "json", process=True)
    assert result.code == 0, result.stderr
    doc = result.json()
    assert doc["summary"] == {"reviews": 4, "measures": 20, "enforced": 2, "not-enabled": 1, "manual": 17}
    assert [r["title"] for r in doc["reviews"]][-1] == "障害報告: 注文APIで注文が二重登録された (2024-05-01)"

    repo.write("docs/incidents/broken.md", b"# x\n\xff\n")
    text = guardrails(repo.root, "measures", "docs/incidents/en-good.md", "docs/incidents/broken.md")
    assert text.code == 1
    assert "enforced by partition-pruning" in text.stdout
    assert "explain-plan: not enabled" in text.stdout
    assert (
        "5 measure(s) in 1 review(s): 1 enforced by a rule, 1 naming a rule that is off, 3 relying on people"
        in text.stdout
    )
    assert "docs/incidents/broken.md:2: incident review: not valid UTF-8 (byte 0xff): not checked" in text.stderr


def test_no_review_found_says_where_it_looked(repo: Repo) -> None:
    repo.write("docs/README.md", "# docs\n")
    repo.commit()
    result = guardrails(repo.root, "measures")
    assert result.code == 0
    assert "0 measure(s) in 0 review(s)" in result.stdout
    assert "no incident review matches incident_review.paths ['**/incidents/**/*.md'," in result.stderr
