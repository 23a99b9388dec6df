"""The README's and the docs' snippets work as copied: the pre-commit config runs, installs name a
release tag that the release workflow makes, and config examples load.

(GitHub workflow snippets are validated against GitHub's schema in test_workflows.py.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from guardrails import __version__
from tests.helpers import GIT_ENV, Repo

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TAG = f"v{__version__}"
MAJOR = TAG.split(".")[0]
REPOSITORY = "https://github.com/guardrails-ci/guardrails"


def yaml_blocks(doc: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)


def shell_lines(doc: Path) -> list[str]:
    """Commands in indented blocks, fenced blocks and workflow ``run:`` steps."""
    text = doc.read_text(encoding="utf-8")
    lines = re.findall(r"^(?: {4}|\s*- run: |\s*run: )(.+)$", text, re.M)
    return [line.strip() for line in lines]


def test_pre_commit_snippet_runs_the_hook(tmp_path: Path) -> None:
    """The README's .pre-commit-config.yaml, as copied, with its repo URL pointed at this source
    tagged as the release it names: pre-commit installs the hook and it fails on a bad file."""
    (snippet,) = [b for b in yaml_blocks(ROOT / "README.md") if b.startswith("repos:")]
    config = yaml.safe_load(snippet)
    (entry,) = config["repos"]
    assert entry["repo"] == REPOSITORY and entry["rev"] == TAG
    source = Repo(tmp_path / "source")
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, text=True, check=True)
    for name in filter(None, files.stdout.split("\0")):
        if (ROOT / name).is_file() and not name.startswith("tests/"):
            (source.root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source.root / name)
    source.commit("release")
    source.git("tag", TAG)

    user = Repo(tmp_path / "user")
    user.write(".pre-commit-config.yaml", snippet.replace(REPOSITORY, source.root.as_uri()))
    user.write("db/queries.sql", "SELECT 1;\nINSERT IGNORE INTO t (a) VALUES (1);\n")
    user.git("add", "-A")
    # PIP_NO_COMPILE: pip would byte-compile every installed module first (sqlglot alone is 60 MB)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_NO_COMPILE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=user.root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "db/queries.sql:2:8" in run.stdout and "insert-ignore" in run.stdout, run.stdout


def test_installs_name_a_release_tag() -> None:
    """Every install command in the docs works without PyPI (the package is not published there)
    and pins the current release; the action is used at its major or a full release tag."""
    installs = [line for doc in DOCS for line in shell_lines(doc) if re.search(r"\bpip(x)? install\b", line)]
    assert installs
    for line in installs:
        if "scripts/" in line or re.search(r"install (-e )?['\"]?\.", line):
            continue  # from a checkout of this repository
        assert f'"git+{REPOSITORY}@{TAG}"' in line, line
    uses = re.findall(r"uses: guardrails-ci/guardrails@(\S+)", "".join(d.read_text() for d in DOCS))
    assert uses and set(uses) <= {MAJOR, TAG}


def test_the_release_workflow_makes_those_tags() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    (pattern,) = on["push"]["tags"]
    assert re.fullmatch(pattern.replace("[0-9]+", r"\d+").replace(".", r"\."), TAG)
    script = "\n".join(step.get("run", "") for step in workflow["jobs"]["release"]["steps"])
    assert "python -m build" in script and "gh release create" in script
    assert 'major="${TAG%%.*}"' in script  # v0.1.0 -> v0, which `uses: ...@v0` follows


def test_config_snippets_are_valid(tmp_path: Path) -> None:
    from guardrails.config import load_config
    from guardrails.registry import load_registry

    registry = load_registry()
    configs = [b for doc in DOCS for b in yaml_blocks(doc) if b.startswith("version: 1")]
    assert configs
    os.environ.setdefault("GUARDRAILS_MYSQL_DSN", "mysql://u:p@127.0.0.1:3306/db")
    for i, block in enumerate(configs):
        path = tmp_path / f"config-{i}.yml"
        path.write_text(block, encoding="utf-8")
        load_config(path, path.name, registry.rules, registry.inputs)  # raises ConfigError naming the line
