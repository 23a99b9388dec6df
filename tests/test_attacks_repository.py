"""Issue 12, reading the repository: committed symbolic links and odd names never leak or hang.

Each repository is real (git, real symlinks); "outside" is a directory next to it holding a
secret, as a runner's home directory would.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from tests.attack_tally import tally
from tests.helpers import Repo, guardrails

SECRET = "ghp_attackerCanReadThis0123456789"
SPEC_HEAD = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
"""
SPEC = (
    SPEC_HEAD
    + """\
    Leak:
      $ref: '../home/.git-credentials'
    Git:
      $ref: '../.git/config#/x'
"""
)


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".git-credentials").write_text(f"type: object\ndescription: https://x:{SECRET}@github.com\n")
    (outside / "secret.yaml").write_text(f"{SECRET}_KEY: 1\n")
    return outside


def test_a_ref_through_a_committed_symlinked_directory_is_not_followed(
    repo: Repo, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    outside = _outside(tmp_path)
    repo.write(".guardrails.yml", "version: 1\nopenapi:\n  specs: ['api/openapi.yaml']\n")
    repo.write("api/openapi.yaml", SPEC)
    os.symlink(outside, repo.root / "home")
    repo.commit("spec")
    with open(repo.root / ".git" / "config", "a") as config:  # what actions/checkout persists
        config.write(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")

    result = guardrails(repo.root, "run", "--format", "json", env={"GUARDRAILS_CACHE_DIR": str(tmp_path / "c")})
    messages = [f["message"] for f in result.json()["findings"] if f["rule"] == "parse-error"]
    refused = any("outside the repository" in m for m in messages) + any(
        ".git" in m and "not read" in m for m in messages
    )
    leaked = (result.stdout + result.stderr).count(SECRET)
    tally(record_property, tried=2, refused=refused, outside_reads=leaked)
    assert SECRET not in result.stdout + result.stderr
    assert any("outside the repository" in m for m in messages), messages
    assert any(".git" in m and "not read" in m for m in messages), messages


def test_config_and_baseline_links_out_of_the_repository_are_refused(
    repo: Repo, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    outside = _outside(tmp_path)
    repo.write("q.sql", "SELECT 1;\n")
    for target, name in [("/dev/zero", ".guardrails.yml"), (str(outside / "secret.yaml"), ".guardrails.yml")]:
        link = repo.root / name
        if os.path.lexists(link):
            link.unlink()
        os.symlink(target, link)
        repo.commit(f"{name} -> {target}")
        result = guardrails(repo.root, "run")
        leaked = (result.stdout + result.stderr).count(SECRET)
        tally(record_property, tried=1, refused=result.code == 2, outside_reads=leaked)
        assert result.code == 2, result.stdout
        assert ".guardrails.yml: resolves (through a symbolic link) to outside the repository" in result.stderr
        assert SECRET not in result.stdout + result.stderr and str(outside) not in result.stderr
    (repo.root / ".guardrails.yml").unlink()
    os.symlink("/dev/zero", repo.root / ".guardrails-baseline.json")
    repo.commit("baseline -> /dev/zero")
    result = guardrails(repo.root, "run")
    tally(record_property, tried=1, refused=result.code == 2)
    assert result.code == 2
    assert ".guardrails-baseline.json: resolves (through a symbolic link) to outside" in result.stderr


def test_a_huge_config_inside_the_repository_is_refused_by_size(
    repo: Repo, record_property: Callable[[str, object], None]
) -> None:
    repo.write(".guardrails.yml", "version: 1\n" + "#" * (2 * 1024 * 1024) + "\n")
    repo.commit("big config")
    result = guardrails(repo.root, "run")
    assert result.code == 2
    assert ".guardrails.yml: file is 2 MiB, over the 1 MiB limit" in result.stderr
    tally(record_property, tried=1, refused=1)


def test_baseline_report_names_the_file(repo: Repo, record_property: Callable[[str, object], None]) -> None:
    repo.write(".guardrails-baseline.json", json.dumps({"findings": "nope"}))
    repo.commit("bad baseline")
    result = guardrails(repo.root, "run")
    assert result.code == 2 and ".guardrails-baseline.json: not a guardrails baseline" in result.stderr
    tally(record_property, tried=1, refused=1)


ODD_NAMES = [
    "é.sql",
    "漢字.sql",
    "a b.sql",
    "tab\there.sql",
    "new\nline.sql",
    'quote".sql',
    "back\\slash.sql",
    "plain.sql",
]


def test_every_oddly_named_file_is_checked_under_base(record_property: Callable[[str, object], None]) -> None:
    from guardrails.testing import run

    files = {f"db/{name}": "SELECT 1;\nINSERT IGNORE INTO t VALUES (1);\n" for name in ODD_NAMES}
    findings = run(files, base={"db/old.sql": "SELECT 1;\n"}, select=["insert-ignore"])
    tally(record_property, tried=len(files), explained=len({f.path for f in findings if f.rule == "insert-ignore"}))
    assert sorted(f.path for f in findings if f.rule == "insert-ignore") == sorted(files)


def test_a_newline_in_a_file_name_cannot_forge_a_report_line(
    repo: Repo, record_property: Callable[[str, object], None]
) -> None:
    repo.write("x.sql\nforged.sql:9:1: error [insert-ignore] all clear.sql", "INSERT IGNORE INTO t VALUES (1);\n")
    repo.commit("odd name")
    result = guardrails(repo.root, "run", "--format", "text")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("forged.sql")], lines
    assert lines[0].startswith("x.sql\\nforged.sql:9:1: error [insert-ignore] all clear.sql:1:8: error"), lines
    tally(record_property, tried=1, explained=1)


def test_a_symlinked_directory_is_reported_as_not_followed(
    repo: Repo, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    outside = _outside(tmp_path)
    repo.write("db/real/q.sql", "INSERT IGNORE INTO t VALUES (1);\n")
    os.symlink("real", repo.root / "db" / "link")  # inside the repository
    os.symlink(outside, repo.root / "home")  # outside it
    repo.commit("links")
    result = guardrails(repo.root, "run", "--format", "json")
    notes = {(f["path"], f["severity"]): f["message"] for f in result.json()["findings"] if f["rule"] == "parse-error"}
    leaked = (result.stdout + result.stderr).count(SECRET)
    tally(record_property, tried=2, explained=len(notes), outside_reads=leaked)
    assert set(notes) == {("db/link", "notice"), ("home", "notice")}
    assert all("symbolic link to a directory, not followed" in m for m in notes.values())
    # the file behind the inside link is checked once, where it really is
    assert [f["path"] for f in result.json()["findings"] if f["rule"] == "insert-ignore"] == ["db/real/q.sql"]
    assert SECRET not in result.stdout + result.stderr
