"""Issue 12, baseline and fingerprints: a fingerprint names what the finding is about, the same in
a full run and under --base, so a baseline hides exactly the old findings."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from guardrails.testing import check
from tests.attack_tally import tally
from tests.helpers import Repo, guardrails
from tests.test_attacks_repository import SPEC_HEAD

OLD = "INSERT IGNORE INTO t VALUES (1);\n"
SPEC = SPEC_HEAD + "%s    Old:\n      type: object\n"


def _new_errors(repo: Repo, tmp_path: Path, *args: str) -> list[tuple[str, int]]:
    run = guardrails(repo.root, "run", "--format", "json", *args, env={"GUARDRAILS_CACHE_DIR": str(tmp_path / "cache")})
    return [(f["path"], f["line"]) for f in run.json()["findings"] if not f["suppressed"]]


def test_a_new_copy_of_a_baselined_statement_is_new_under_base_and_in_a_full_run(
    repo: Repo, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    repo.write("db/q.sql", "SELECT 1;\n" + OLD)
    repo.commit("old")
    assert guardrails(repo.root, "baseline").code == 0
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "baseline")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/q.sql", "SELECT 1;\n" + OLD + "SELECT 2;\n" + OLD)
    repo.commit("copy")
    assert _new_errors(repo, tmp_path, "--base", "main") == [("db/q.sql", 4)]
    assert _new_errors(repo, tmp_path) == [("db/q.sql", 4)]
    tally(record_property, tried=1, explained=1)


def test_a_new_open_schema_above_a_baselined_one_is_the_new_finding(
    repo: Repo, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    repo.write(".guardrails.yml", "version: 1\nrules:\n  openapi-additional-properties: error\n")
    repo.write("api/openapi.yaml", SPEC % "")
    repo.commit("old")
    assert guardrails(repo.root, "baseline").code == 0
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "baseline")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("api/openapi.yaml", SPEC % "    New:\n      type: object\n")
    repo.commit("new schema above")
    expected = [("api/openapi.yaml", 7)]  # New (its `type: object`), not Old (now at line 9)
    assert [e for e in _new_errors(repo, tmp_path, "--base", "main") if e[0] == "api/openapi.yaml"] == expected
    assert [e for e in _new_errors(repo, tmp_path) if e[0] == "api/openapi.yaml"] == expected
    tally(record_property, tried=1, explained=1)


def test_fingerprinting_many_findings_on_one_line_is_linear(record_property: Callable[[str, object], None]) -> None:
    line = " ".join(f"INSERT IGNORE INTO t VALUES ({i});" for i in range(20000)) + "\n"
    started = time.perf_counter()
    findings = check({"q.sql": line}, select=["insert-ignore"]).findings
    elapsed = time.perf_counter() - started
    assert len(findings) == 20000 and len({f.fingerprint for f in findings}) == 20000
    assert elapsed < 30, elapsed
    tally(record_property, tried=1, explained=1)
