"""`guardrails init --incident-template`: the five sections, in either language, and what the rule makes of it."""

from __future__ import annotations

import pytest

from guardrails.incident.template import TEMPLATE_PATH, TEMPLATES
from guardrails.testing import run
from tests.helpers import Repo, guardrails
from tests.incident_fixtures import ENABLED


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_template_has_every_section_and_its_guidance_is_not_content(language: str) -> None:
    # Copied as it is, only the parts still to fill in are findings: no section is missing, and
    # the guidance (HTML comments quoting "be more careful", 細心の注意, ...) flags nothing.
    found = run({"docs/incidents/new.md": TEMPLATES[language]}, ENABLED)
    assert sorted((f.properties["kind"], f.properties.get("section", "")) for f in found) == [
        ("missing-evidence", "cause"),
        ("missing-evidence", "impact"),
        ("missing-evidence", "timeline"),
        ("timeline-no-times", ""),
    ]


def test_init_writes_the_japanese_template_once(repo: Repo) -> None:
    repo.commit("empty")
    first = guardrails(repo.root, "init", "--incident-template", "--language", "ja")
    assert first.code == 0, first.stderr
    assert (repo.root / TEMPLATE_PATH).read_text(encoding="utf-8") == TEMPLATES["ja"]
    assert "## 被害の最小化・再発防止策" in TEMPLATES["ja"]
    again = guardrails(repo.root, "init", "--incident-template")
    assert again.code == 2
    assert f"{TEMPLATE_PATH} already exists; not overwritten" in again.stderr
