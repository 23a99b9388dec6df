"""Every real spec at hand loads and is checked without an internal error, with positions in the file.

Which specs: when the development workspace's ../shared is present (next to the
repository), every spec in ../shared/corpus/openapi (DigitalOcean's multi-file
YAML, Discord's 3.1 JSON, Ory Hydra's 2.0 and 3.0 JSON) and GitHub's 13 MB
description in ../shared/github; otherwise the copy of Hydra's Swagger 2.0 spec
in tests/fixtures/openapi. The chosen set is printed in the test id, so a run
says which it used. The engine runs on the directory as a workspace, since the
corpus is read-only and not a git repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails import engine
from guardrails.config import Config
from guardrails.registry import load_rules
from guardrails.workspace import Workspace

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
CORPUS = SHARED / "corpus" / "openapi"
if CORPUS.is_dir():
    SPECS = [
        (CORPUS / "digitalocean", "specification/DigitalOcean-public.v2.yaml"),
        (CORPUS / "discord", "specs/openapi.json"),
        (CORPUS / "hydra-oas3", "spec/api.json"),
        (CORPUS / "hydra-swagger2", "spec/swagger.json"),
        (SHARED / "github", "api.github.com.json"),
    ]
    SOURCE = "shared-corpus"
else:
    SPECS = [(HERE / "fixtures" / "openapi" / "hydra-swagger2", "swagger.json")]
    SOURCE = "fixture-copy"


@pytest.mark.parametrize(("root", "spec"), SPECS, ids=[f"{SOURCE}:{s}" for _, s in SPECS])
def test_real_spec_is_checked_without_internal_error(
    root: Path, spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(tmp_path / "cache"))
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    config = Config(
        "",
        {
            "version": 1,
            "extends": "none",
            "openapi": {"specs": [spec]},
            "rules": {"openapi-additional-properties": "error"},
        },
        load_rules(),
    )
    result = engine.run(Workspace(root, files, files), config)
    assert result.internal_errors == []
    flagged = [f for f in result.findings if f.rule == "openapi-additional-properties"]
    assert flagged, "every spec in the corpus has undeclared object schemas"
    line_counts: dict[str, int] = {}
    for finding in flagged:
        if finding.path not in line_counts:
            line_counts[finding.path] = (root / finding.path).read_bytes().count(b"\n") + 1
        assert 1 <= finding.line <= line_counts[finding.path] and finding.location.column >= 1
    assert len({(f.path, f.line, f.location.column) for f in flagged}) == len(flagged)  # reported once
