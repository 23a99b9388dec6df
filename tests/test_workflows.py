"""The action and the workflows: valid for GitHub's schemas, and the action's script does what it says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import GIT_ENV, Repo

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
DOCS = ROOT / "docs" / "github.md"
README = ROOT / "README.md"


def check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def doc_workflows(tmp_path: Path, doc: Path = DOCS) -> list[Path]:
    blocks = re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    paths = []
    for i, block in enumerate(blocks):
        if not block.startswith("name:"):
            continue  # a fragment (config, pre-commit), not a workflow
        path = tmp_path / f"{doc.stem}-{i}.yml"
        path.write_text(block, encoding="utf-8")
        paths.append(path)
    return paths


def test_action_is_valid() -> None:
    run = check_jsonschema("vendor.github-actions", ACTION)
    assert run.returncode == 0, run.stdout + run.stderr


def test_workflows_are_valid(tmp_path: Path) -> None:
    examples = doc_workflows(tmp_path)
    assert len(examples) == 4  # adopt, MySQL 8, and the two halves of the fork-safe pattern
    readme_examples = doc_workflows(tmp_path, README)
    assert len(readme_examples) == 4
    others = [p for doc in sorted(DOCS.parent.glob("*.md")) if doc != DOCS for p in doc_workflows(tmp_path, doc)]
    run = check_jsonschema("vendor.github-workflows", *WORKFLOWS, *examples, *readme_examples, *others)
    assert run.returncode == 0, run.stdout + run.stderr


def test_schema_validation_catches_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    assert check_jsonschema("vendor.github-workflows", broken).returncode != 0


def test_action_inputs() -> None:
    action = yaml.safe_load(ACTION.read_text())
    assert {"config", "base", "fail-on", "report"} <= set(action["inputs"])
    assert action["runs"]["using"] == "composite"
    # No ${{ }} inside a run script: inputs and refs reach the shell through env, never as code.
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


def test_action_keeps_the_verdict_cache_where_guardrails_writes_it() -> None:
    steps = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    run = next(s for s in steps if s.get("id") == "run")
    assert steps.index(cache) < steps.index(run)
    assert cache["with"]["path"] == run["env"]["GUARDRAILS_CACHE_DIR"]


def test_own_workflow_uses_the_action_with_history() -> None:
    workflow = yaml.safe_load(WORKFLOWS[0].read_text())
    steps = workflow["jobs"]["guardrails"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["uses"] == "./"
    assert workflow["permissions"] == {"contents": "read", "checks": "write", "pull-requests": "write"}


def run_action_script(repo: Repo, tmp_path: Path, **inputs: str) -> tuple[int, str, str]:
    """Run the action's 'Run guardrails' step as the runner would: bash -e, env from the step."""
    action = yaml.safe_load(ACTION.read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    output = tmp_path / "github_output"
    output.write_text("")
    env = {**os.environ, **GIT_ENV, "GITHUB_OUTPUT": str(output), "GITHUB_TOKEN": ""}
    env.update({"INPUT_CONFIG": "", "INPUT_BASE": "", "INPUT_FAIL_ON": "error", "INPUT_REPORT": "false"})
    env.update({"INPUT_PATHS": "", "PR_BASE_REF": ""})
    env.update(inputs)
    bindir = Path(sys.executable).parent  # the guardrails console script sits next to this Python
    env["PATH"] = f"{bindir}{os.pathsep}{env['PATH']}"
    run = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return run.returncode, run.stdout + run.stderr, output.read_text()


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.write("db/a.sql", "SELECT 1;\n")
    repo.commit("base")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")  # what actions/checkout fetches
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/b.sql", "INSERT IGNORE INTO t (a) VALUES (1);\n")
    repo.commit("feature")
    return repo


def test_action_script_fails_on_findings_and_reports_the_code(project: Repo, tmp_path: Path) -> None:
    code, out, outputs = run_action_script(project, tmp_path, INPUT_FAIL_ON="error", PR_BASE_REF="main")
    assert code == 1, out
    assert "db/b.sql:1" in out
    assert outputs.strip() == "exit-code=1"


def test_action_script_fail_on_never(project: Repo, tmp_path: Path) -> None:
    code, out, outputs = run_action_script(project, tmp_path, INPUT_FAIL_ON="never", INPUT_PATHS="db/a.sql")
    assert code == 0, out
    assert outputs.strip() == "exit-code=0"


def test_action_inputs_are_data_not_shell(project: Repo, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    code, out, _ = run_action_script(
        project, tmp_path, INPUT_BASE=f"$(touch {marker})", PR_BASE_REF=f"`touch {marker}`"
    )
    assert not marker.exists()
    assert code == 2, out  # an unknown ref is a usage error, reported as such
