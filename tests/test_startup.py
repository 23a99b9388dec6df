"""Start-up stays fast: heavy libraries load only when an enabled rule needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import Repo

HEAVY = [
    "sqlglot",
    "yaml",
    "pymysql",
    "requests",
    "openapi_spec_validator",
    "jsonschema",
    "jsonschema_rs",
    "tree_sitter",
    "markdown_it",
]

PROBE = f"""
import json, sys
from guardrails.cli import main
code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": sorted(m for m in {HEAVY!r} if m in sys.modules)}}), file=sys.stderr)
"""


def _probe(repo: Repo, *args: str, env: dict[str, str] | None = None) -> tuple[int, list[str], str]:
    """The exit code, the heavy libraries loaded and what was said on stderr."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    *said, last = run.stderr.strip().splitlines()
    result = json.loads(last)
    return int(result["code"]), list(result["loaded"]), "\n".join(said)


def _loaded(repo: Repo, *args: str) -> list[str]:
    return _probe(repo, *args)[1]


def test_listing_rules_imports_no_heavy_library(repo: Repo) -> None:
    assert _loaded(repo, "rules") == []


def test_a_repository_without_sql_or_specs_loads_nothing_heavy(repo: Repo) -> None:
    repo.write("README.md", "# nothing to check\n")
    repo.write("main.c", "int main(void) { return 0; }\n")
    assert _loaded(repo, "run") == []


def test_sql_files_load_sqlglot_but_not_the_others(repo: Repo) -> None:
    repo.write("q.sql", "SELECT 1;\n")
    assert _loaded(repo, "run", "--select", "insert-ignore") == ["sqlglot"]


def test_version_imports_only_the_command_line(repo: Repo) -> None:
    probe = (
        "import sys\nfrom guardrails.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('guardrails')), file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=repo.root, capture_output=True, text=True)
    assert run.stdout.strip() == "guardrails 0.1.0"
    # no subcommand's module (explain, db, schedule, measures) and not the config or the registry
    assert run.stderr.strip().splitlines()[-1] == "['guardrails', 'guardrails.cli']"


def test_a_config_found_valid_before_is_not_validated_again_and_a_typo_still_is(repo: Repo, tmp_path: Path) -> None:
    cache = {"GUARDRAILS_CACHE_DIR": str(tmp_path / "cache")}
    repo.write(".guardrails.yml", "version: 1\nrules:\n  insert-ignore: error\n")
    repo.write("README.md", "# nothing to check\n")
    # jsonschema-rs finds a valid config valid in a third of jsonschema's import time
    assert _probe(repo, "run", env=cache)[:2] == (0, ["jsonschema_rs", "yaml"])
    assert _probe(repo, "run", env=cache)[:2] == (0, ["yaml"])  # the same config, the same schema: known valid
    repo.write(".guardrails.yml", "version: 1\nrules:\n  insert-ignore: error\n  insert-ignor: warning\n")
    code, loaded, said = _probe(repo, "run", env=cache)
    assert (code, loaded) == (2, ["jsonschema", "jsonschema_rs", "yaml"])  # jsonschema's errors make the message
    assert ".guardrails.yml:4" in said and "did you mean 'insert-ignore'?" in said
