"""The everyday pull-request run costs what the pull request changed, not what the repository holds."""

from __future__ import annotations

import builtins
import io
import json
import os
from pathlib import Path
from typing import Any

from pytest import MonkeyPatch

from guardrails.github.new_queries import base_texts
from guardrails.testing import check, run_in
from tests.helpers import Repo, guardrails

SPEC = (
    "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents: {schemas: {User: {$ref: './user.yaml'}}}\n"
)
LOOSE = "openapi: 3.0.3\ninfo: {title: y, version: '1'}\npaths: {}\ncomponents: {schemas: {T: {type: object}}}\n"


def test_an_unchanged_spec_is_not_read_when_nothing_it_reaches_changed() -> None:
    base = {"api/openapi.yaml": LOOSE, "api/v2/root.yaml": SPEC, "api/v2/user.yaml": "type: string\n"}
    # the pull request edits an unrelated YAML file: no spec document changed
    result = check({"deploy/app.yaml": "replicas: 3\n"}, base=base)
    assert result.files == 0 and result.findings == []
    # it edits a document one spec reaches through a $ref: that spec is read, the other is not
    reached = check({"api/v2/user.yaml": "type: object\nproperties: {a: {type: string}}\n"}, base=base)
    assert reached.files == 2  # root.yaml and user.yaml, not api/openapi.yaml
    assert {f.path for f in reached.findings} == {"api/v2/user.yaml"}


def test_base_versions_come_from_one_git_process(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.sql", "SELECT 1;\n")
    repo.write("dir/b é.sql", "SELECT 2;\n")
    repo.write("empty.sql", "")
    base = repo.commit("base")
    repo.write("a.sql", "SELECT 10;\n")
    repo.write("new.sql", "SELECT 3;\n")
    repo.commit("head")
    trace = tmp_path / "trace.json"
    os.environ["GIT_TRACE2_EVENT"] = str(trace)
    try:
        texts = base_texts(repo.root, base, ["a.sql", "dir/b é.sql", "new.sql", "empty.sql"])
    finally:
        del os.environ["GIT_TRACE2_EVENT"]
    assert texts == {"a.sql": "SELECT 1;\n", "dir/b é.sql": "SELECT 2;\n", "empty.sql": ""}
    starts = [json.loads(line) for line in trace.read_text().splitlines()]
    assert sum(1 for e in starts if e.get("event") == "start") == 1


def test_a_pull_request_run_opens_only_the_files_it_changed(repo: Repo, monkeypatch: MonkeyPatch) -> None:
    for n in range(40):  # the repository: SQL, code with SQL, an OpenAPI spec, configuration, notes
        repo.write(f"db/q{n}.sql", "INSERT IGNORE INTO t VALUES (1);\n")
        repo.write(f"app/m{n}.py", f'def f{n}(db):\n    db.execute("INSERT IGNORE INTO t VALUES (1)")\n')
        repo.write(f"deploy/d{n}.yaml", "replicas: 2\n")
        repo.write(f"docs/n{n}.md", "# notes\n")
    repo.write("api/openapi.yaml", LOOSE)
    base = repo.commit("base")
    repo.write("db/q3.sql", "SELECT 1;\nINSERT IGNORE INTO t VALUES (2);\n")
    repo.write("app/new.py", 'def g(db):\n    db.execute("INSERT IGNORE INTO u VALUES (1)")\n')
    repo.write("deploy/d7.yaml", "replicas: 3\n")
    repo.commit("pull request")

    opened: list[str] = []
    real_open = io.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    result = run_in(repo.root, base=base)
    monkeypatch.undo()
    inside = sorted({os.path.relpath(p, repo.root) for p in opened if Path(p).is_relative_to(repo.root)})
    assert inside == ["app/new.py", "db/q3.sql"]  # deploy/d7.yaml: git grep saw it is no spec
    assert sorted((f.path, f.line) for f in result.findings if f.rule == "insert-ignore") == [
        ("app/new.py", 2),
        ("db/q3.sql", 2),
    ]


def test_new_queries_reuse_the_workspace_diff_and_listing(repo: Repo, tmp_path: Path) -> None:
    repo.write("db/old.sql", "SELECT id FROM users WHERE id = 1;\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/old.sql", "SELECT id FROM users WHERE id = 1;\nSELECT total FROM orders WHERE id = 2;\n")
    repo.commit("a new query")
    repo.write("db/new.sql", "SELECT note FROM audit_log WHERE id = 3;\n")  # untracked: new as well
    (tmp_path / "body.md").write_text("Adds two reports.\n", encoding="utf-8")
    trace = tmp_path / "trace.json"
    run = guardrails(
        repo.root,
        *("run", "--base", "main", "--pr-body", str(tmp_path / "body.md"), "--format", "json"),
        *("--select", "pr-explain"),
        env={"GITHUB_EVENT_PATH": "", "GITHUB_EVENT_NAME": "", "GIT_TRACE2_EVENT": str(trace)},
    )
    assert sorted((f["path"], f["line"]) for f in run.json()["findings"]) == [("db/new.sql", 1), ("db/old.sql", 2)]
    commands = [json.loads(line) for line in trace.read_text().splitlines()]
    started = [e["argv"] for e in commands if e.get("event") == "start"]
    # one listing and one diff of the working tree for the whole run (each walks or stats every file)
    assert sum(1 for argv in started if "ls-files" in argv) == 1
    assert sum(1 for argv in started if "diff" in argv) == 1
