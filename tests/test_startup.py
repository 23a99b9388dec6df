"""Start-up stays fast: heavy libraries load only when an enabled rule needs them."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import Repo

HEAVY = ["sqlglot", "yaml", "pymysql", "requests", "openapi_spec_validator", "jsonschema", "tree_sitter", "markdown_it"]

PROBE = f"""
import json, sys
from guardrails.cli import main
code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": sorted(m for m in {HEAVY!r} if m in sys.modules)}}), file=sys.stderr)
"""


def _loaded(repo: Repo, *args: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=repo.root, capture_output=True, text=True)
    result = json.loads(run.stderr.strip().splitlines()[-1])
    return list(result["loaded"])


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
