"""The recall benchmark's own snippets: every IGNORE in them found, at its line, and nothing else."""

from __future__ import annotations

from benchmarks.bench_recall import EXPECTED, FIXTURES, measure


def test_every_expected_ignore_in_the_recall_fixtures_is_found_and_nothing_else() -> None:
    tally = measure([("fixtures", FIXTURES)])
    assert tally.missed == []
    assert tally.wrong == []
    assert sum(tally.found.values()) == len([c for c in EXPECTED["insert-ignore"] if c[0] == "fixtures"]) == 27
    # one language each at least: the builders and ORMs of every extractor are in the set
    assert {language for _, language in tally.found} == {
        "Go", "Java", "JavaScript", "PHP", "Python", "Ruby", "SQL", "TypeScript",
    }  # fmt: skip
    # what could not be read fully is said: the row-copy template and the phabricator clause
    # placeholder are notices, the dump's bytes a warning
    assert tally.parse_errors == {"notice": 2, "warning": 1}
