"""Large trees run in several processes and report exactly what one process reports."""

from __future__ import annotations

from tests.helpers import Repo, guardrails

CONFIG = "version: 1\nsql:\n  sources: ['q/*.sql']\n  schema: ['db/*.sql']\n"


def _findings(repo: Repo, jobs: str) -> list[tuple[object, ...]]:
    run = guardrails(repo.root, "run", "--format", "json", env={"GUARDRAILS_JOBS": jobs})
    assert run.code == 1, run.stderr
    return [
        (f["rule"], f["path"], f["line"], f["column"], f["message"], f["fingerprint"]) for f in run.json()["findings"]
    ]


def test_two_processes_report_what_one_reports_and_problems_once(repo: Repo) -> None:
    repo.write(".guardrails.yml", CONFIG)
    repo.write("db/schema.sql", "CREATE TABLE e (id INT, d DATE) PARTITION BY RANGE (YEAR(d)) (PARTITION p0 VALUES;\n")
    for n in range(300):
        repo.write(f"q/{n:03}.sql", f"SELECT * FROM e WHERE id = {n};\nINSERT IGNORE INTO t{n} VALUES (1);\n")
    repo.commit()
    serial = _findings(repo, "1")
    parallel = _findings(repo, "2")
    assert parallel == serial
    assert sum(1 for f in serial if f[0] == "insert-ignore") == 300
    assert [f[1:3] for f in serial if f[0] == "parse-error"] == [("db/schema.sql", 1)]
