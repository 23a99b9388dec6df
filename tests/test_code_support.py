"""Helpers for the tests of SQL in application code (no tests here).

They run the real engine on a real git repository, the way ``guardrails run`` does.
"""

from __future__ import annotations

from guardrails.config import default_config, load_config
from guardrails.engine import run
from guardrails.findings import Finding
from guardrails.registry import load_registry
from guardrails.sql.statement import SqlStatement
from guardrails.workspace import open_workspace
from tests.helpers import Repo


def scan(repo: Repo, files: dict[str, str | bytes] | dict[str, str], config: str | None = None) -> list[Finding]:
    """Commit the files and return the findings of insert-ignore and the engine's own rules."""
    for path, text in files.items():
        repo.write(path, text)
    if config is not None:
        repo.write(".guardrails.yml", config)
    repo.commit("snippets")
    registry = load_registry()
    rules = registry.rules
    config_path = repo.root / ".guardrails.yml"
    cfg = (
        load_config(config_path, ".guardrails.yml", rules, registry.inputs)
        if config_path.exists()
        else default_config(rules)
    )
    workspace = open_workspace(repo.root, cfg.exclude)
    result = run(workspace, cfg, select=["insert-ignore"])
    assert not result.internal_errors, result.internal_errors
    return result.findings


def spots(findings: list[Finding], rule: str = "insert-ignore") -> list[tuple[str, int, int]]:
    """(path, line, column) of each finding of a rule, in report order."""
    return [(f.path, f.line, f.location.column) for f in findings if f.rule == rule]


def position_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the n-th occurrence of needle in text."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def sql_texts(units: object) -> list[str]:
    """The statement texts among extracted units, whitespace collapsed."""
    return [" ".join(u.text.split()) for u in units if isinstance(u, SqlStatement)]  # type: ignore[attr-defined]
