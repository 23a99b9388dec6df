"""Bad input is reported where it is, never a traceback, and never stops the other files."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

from tests.helpers import Repo, guardrails

BAD = "INSERT IGNORE INTO t VALUES (1);\n"


def _findings(repo: Repo, *args: str, env: dict[str, str] | None = None) -> tuple[int, list[dict[str, object]], str]:
    # a plugin on PYTHONPATH is seen only by a new process
    run = guardrails(repo.root, "run", "--format", "json", *args, env=env, process=env is not None)
    assert "Traceback" not in run.stderr
    return run.code, run.json()["findings"], run.stderr


def test_unparseable_statement_is_a_parse_error_and_other_files_are_checked(repo: Repo) -> None:
    repo.write("a_broken.sql", "SELECT 1;\nSELECT * FROM WHERE;\n")
    repo.write("b_good.sql", BAD)
    code, findings, _ = _findings(repo)
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [
        ("parse-error", "a_broken.sql", 2),
        ("insert-ignore", "b_good.sql", 1),
    ]
    assert code == 1


def test_unterminated_quote_is_reported_where_it_starts(repo: Repo) -> None:
    repo.write("q.sql", "SELECT 1;\n\nSELECT 'never closed FROM t;\n")
    _, findings, _ = _findings(repo)
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("parse-error", 3, 8)]


def test_binary_non_utf8_and_huge_files_are_reported_not_crashed_on(repo: Repo) -> None:
    repo.write("blob.sql", b"\x00\x01\x02binary")
    repo.write("latin1.sql", "SELECT 1;\nSELECT 'caf\xe9';\n".encode("latin-1"))
    big = repo.root / "dump.sql"
    with open(big, "wb") as handle:  # 50 MB of real statements
        line = (
            b"INSERT INTO t (a, b) VALUES (1, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');\n"
        )
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    repo.write("good.sql", BAD)
    code, findings, _ = _findings(repo)
    got = {(f["path"], f["rule"]): f for f in findings}
    assert "binary" in str(got[("blob.sql", "parse-error")]["message"])
    latin = got[("latin1.sql", "parse-error")]
    assert "UTF-8" in str(latin["message"]) and (latin["line"], latin["column"]) == (2, 12)
    assert "16 MiB" in str(got[("dump.sql", "parse-error")]["message"])
    assert ("good.sql", "insert-ignore") in got and code == 1


def test_symlink_loop_and_dangling_link_are_reported(repo: Repo) -> None:
    os.symlink("loop_b.sql", repo.root / "loop_a.sql")
    os.symlink("loop_a.sql", repo.root / "loop_b.sql")
    os.symlink("missing.sql", repo.root / "dangling.sql")
    repo.write("good.sql", BAD)
    repo.commit()
    code, findings, _ = _findings(repo)
    paths = {(f["path"], f["rule"]) for f in findings}
    assert {("loop_a.sql", "parse-error"), ("loop_b.sql", "parse-error"), ("dangling.sql", "parse-error")} <= paths
    assert ("good.sql", "insert-ignore") in paths and code == 1


def _crashing_plugin(tmp: Path) -> dict[str, str]:
    """A real third-party plugin, installed the way pip lays one out (a module and its dist-info)."""
    tmp.mkdir()
    (tmp / "crashy_rule.py").write_text(
        textwrap.dedent(
            """
            from guardrails.findings import Severity
            from guardrails.rules import Rule

            def check(unit, ctx):
                raise ValueError("boom in the plugin")

            RULE = Rule(id="crashy", summary="always crashes", severity=Severity.ERROR,
                        incident="test", bad="x", good="y", input="sql", check=check)
            """
        )
    )
    info = tmp / "crashy_rule-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: crashy-rule\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[guardrails.checks]\ncrashy = crashy_rule:RULE\n")
    return {"PYTHONPATH": os.pathsep.join([str(tmp), *sys.path])}


def test_a_crashing_rule_is_reported_with_its_id_and_file_and_others_still_run(repo: Repo, tmp_path: Path) -> None:
    env = _crashing_plugin(tmp_path / "site")
    repo.write("q.sql", BAD)
    code, findings, stderr = _findings(repo, env=env)
    assert code == 2
    assert "rule crashy failed on q.sql" in stderr and "boom in the plugin" in stderr
    assert "--debug" in stderr and "Traceback" not in stderr
    assert [f["rule"] for f in findings] == ["insert-ignore"]
    debug = guardrails(repo.root, "run", "--debug", env=env, process=True)
    assert "Traceback" in debug.stderr and debug.code == 2


def test_not_a_git_repository_is_a_clear_error(tmp_path: Path) -> None:
    run = guardrails(tmp_path, "run")
    assert run.code == 2 and "not inside a git repository" in run.stderr


def test_one_parse_error_per_statement_even_when_two_readers_fail_on_it(repo: Repo) -> None:
    repo.write(".guardrails.yml", "version: 1\nsql:\n  schema: ['db/*.sql']\n")
    repo.write("db/schema.sql", "CREATE TABLE broken (a int NOT NOT, PRIMARY);\n")
    code, findings, _ = _findings(repo)
    assert [(f["rule"], f["line"]) for f in findings] == [("parse-error", 1)]
