"""Large trees run in several processes and report exactly what one process reports."""

from __future__ import annotations

import os
import time

import pytest

from guardrails import parallel
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


def test_an_answer_is_taken_without_waiting_for_the_child_to_exit_and_the_child_is_reaped() -> None:
    # A child's exit tears down its copy of this process's memory (25 ms after a 13 MB spec):
    # the answer is whole before that, so it is used at once, and the child is reaped later.
    def answer() -> int:
        real_exit = os._exit

        def slow_exit(code: int) -> None:  # in the child only: its teardown, made long
            time.sleep(3)
            real_exit(code)

        os._exit = slow_exit  # type: ignore[assignment]
        return 42

    running = parallel.Forked(answer)
    assert running.forked
    pid = running._child[0] if running._child else 0
    assert running.result() == 42
    assert os.waitpid(pid, os.WNOHANG) == (0, 0)  # still exiting: not waited for
    parallel._reap_all()  # what runs at exit
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left
