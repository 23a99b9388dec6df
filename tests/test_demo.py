"""The demo repository the README's first command runs on: each mistake found, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import Repo, guardrails

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


def test_demo_shows_every_measure_and_nothing_else(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    Repo(root).commit("demo service")
    run = guardrails(root, "run", "--format", "json", process=True)
    assert run.code == 1, run.stderr
    doc = run.json()
    found = {(f["rule"], f["path"], f["line"]) for f in doc["findings"] if not f["suppressed"]}
    outside_code = {f for f in found if not f[1].startswith("app/")}  # app/ is tests/test_code_demo.py's
    assert outside_code == {
        ("insert-ignore", "db/queries.sql", 5),
        ("insert-ignore", "db/queries.sql", 8),
        ("insert-ignore", "db/migrations/20261101_add_status_index.sql", 2),
        ("partition-pruning", "db/queries.sql", 22),
        ("openapi-additional-properties", "api/openapi.yaml", 26),
    }
    assert doc["summary"]["suppressed"] == 1 and doc["summary"]["errors"] == len(found)
