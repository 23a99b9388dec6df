"""Run rules in-process on a temporary git repository: the harness for rule and input authors.

::

    from guardrails.testing import run

    findings = run({"db/q.sql": "INSERT IGNORE INTO t VALUES (1);"}, select=["insert-ignore"])
    assert [(f.rule, f.line, f.location.column) for f in findings] == [("insert-ignore", 1, 8)]

The repository is real (``git init``, real commits), so scope, ``--base`` and ignore
comments behave as in CI. With ``base``, those files are committed first and ``files`` on
top of them, and the run compares against the first commit, as ``--base`` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from guardrails.engine import RunResult
from guardrails.findings import Finding

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "guardrails.testing",
    "GIT_AUTHOR_EMAIL": "testing@guardrails.invalid",
    "GIT_COMMITTER_NAME": "guardrails.testing",
    "GIT_COMMITTER_EMAIL": "testing@guardrails.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
Files = Mapping[str, "str | bytes"]


def run(
    files: Files,
    config: str | Mapping[str, Any] | None = None,
    *,
    base: Files | None = None,
    select: Sequence[str] | None = None,
    scope: str | None = None,
    pr_body: str | None = None,
) -> list[Finding]:
    """The findings (suppressed ones included, marked) of a run over ``files``."""
    return check(files, config, base=base, select=select, scope=scope, pr_body=pr_body).findings


def check(
    files: Files,
    config: str | Mapping[str, Any] | None = None,
    *,
    base: Files | None = None,
    select: Sequence[str] | None = None,
    scope: str | None = None,
    pr_body: str | None = None,
) -> RunResult:
    """The whole result of a run (findings, files checked, internal errors, and ``notes``: the
    enabled rules that had nothing to check, and why).

    ``config``: the text of .guardrails.yml, or a mapping written as YAML; None for none.
    A config problem raises guardrails.config.ConfigError, as the CLI reports it.
    """
    root = Path(tempfile.mkdtemp(prefix="guardrails-testing-"))
    try:
        _git(root, "init", "-q", "-b", "main")
        base_commit = None
        if base is not None:
            _write(root, base)
            base_commit = _commit(root, "base")
        _write(root, files)
        if config is not None:
            _write(root, {".guardrails.yml": _config_text(config)})
        _commit(root, "change")
        body_file = None
        if pr_body is not None:  # inside .git: not a file of the repository
            body_file = root / ".git" / "guardrails-pr-body.md"
            body_file.write_text(pr_body, encoding="utf-8")
        return run_in(root, base=base_commit, select=select, scope=scope, pr_body=str(body_file) if body_file else None)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_in(
    root: Path,
    *,
    base: str | None = None,
    select: Sequence[str] | None = None,
    scope: str | None = None,
    pr_body: str | None = None,
) -> RunResult:
    """A run over an existing repository at ``root``, as ``guardrails run`` would do it there."""
    from guardrails.config import CONFIG_NAME, default_config, load_config
    from guardrails.engine import run as run_engine
    from guardrails.registry import load_registry
    from guardrails.workspace import open_workspace

    registry = load_registry()
    path = root / CONFIG_NAME
    if os.path.lexists(path):
        config = load_config(path, CONFIG_NAME, registry.rules, registry.inputs, root=root)
    else:
        config = default_config(registry.rules)
    workspace = open_workspace(root, config.exclude, base, scope)
    arguments = {"pr_body": pr_body} if pr_body else {}
    return run_engine(workspace, config, select, arguments=arguments, inputs=registry.inputs)


def _config_text(config: str | Mapping[str, Any]) -> str:
    if isinstance(config, str):
        return config
    import yaml

    return yaml.safe_dump(dict(config), sort_keys=False)


def _write(root: Path, files: Files) -> None:
    for name, content in files.items():
        full = root / name
        full.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            full.write_bytes(content)
        else:
            full.write_text(content, encoding="utf-8")


def _commit(root: Path, message: str) -> str:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty", "-m", message)
    return _git(root, "rev-parse", "HEAD").strip()


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env={**os.environ, **_GIT_ENV}
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout
