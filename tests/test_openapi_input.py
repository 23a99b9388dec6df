"""The openapi input: what it reads, what it reports, and that one spec never stops the others."""

from __future__ import annotations

import json
from pathlib import Path

from guardrails.testing import check, run
from tests.helpers import Repo, guardrails

RULE = "openapi-additional-properties"
CONFIG = {"version": 1, "extends": "none", "rules": {RULE: "error"}}
INFO = 'info: {title: t, version: "1"}\n'
OPEN_OBJECT = "components:\n  schemas:\n    Open:\n      type: object\n"


def test_a_leap_second_example_is_a_string_and_every_spec_is_still_checked(repo: Repo, tmp_path: Path) -> None:
    leap = (
        f"openapi: 3.0.3\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    When:\n      type: string\n"
        "      format: date-time\n      example: 2016-12-31T23:59:60Z\n    Open:\n      type: object\n"
    )
    files = {"a.yaml": leap, "b.yaml": f"openapi: 3.0.3\n{INFO}paths: {{}}\n{OPEN_OBJECT}"}
    result = check(files, CONFIG)
    assert result.internal_errors == []
    assert sorted((f.path, f.line) for f in result.findings) == [("a.yaml", 11), ("b.yaml", 7)]
    # the CLI: findings, exit 1, never 2 with "All clear"
    for name, text in {**files, ".guardrails.yml": json.dumps(CONFIG)}.items():
        repo.write(name, text)
    repo.commit()
    done = guardrails(repo.root, "run", "--format", "json", env={"GUARDRAILS_CACHE_DIR": str(tmp_path / "cache")})
    assert done.code == 1, done.stderr
    assert len(done.json()["findings"]) == 2


def test_a_syntax_error_in_a_referenced_file_is_reported_in_that_file() -> None:
    root = f"openapi: 3.0.3\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      $ref: models/pet.yaml\n"
    broken = "type: object\nproperties:\n  name: {type: string\n  age: {type: integer}\n"
    findings = run({"api.yaml": root, "models/pet.yaml": broken}, CONFIG)
    in_fragment = [f for f in findings if f.path == "models/pet.yaml"]
    assert [(f.rule, f.line) for f in in_fragment] == [("parse-error", 4)], findings
    assert "invalid YAML" in in_fragment[0].message
    # a pull request that touches only the fragment still hears about it
    base = {"api.yaml": root, "models/pet.yaml": "type: object\nadditionalProperties: false\n"}
    changed = run({"models/pet.yaml": broken}, CONFIG, base=base)
    assert [(f.path, f.line) for f in changed if f.rule == "parse-error"] == [("models/pet.yaml", 4)]


def test_openapi_32_is_validated_as_32_and_its_schemas_are_found() -> None:
    spec = f"""openapi: 3.2.0
{INFO}paths:
  /pets:
    query:
      responses:
        "200":
          description: ok
          content:
            application/jsonl:
              itemSchema:
                type: object
                properties: {{name: {{type: string}}}}
components:
  schemas:
    Closed:
      type: object
      unevaluatedProperties: false
"""
    findings = run({"api.yaml": spec}, CONFIG)
    assert not [f for f in findings if f.rule == "parse-error"], [f.message for f in findings]
    assert [(f.rule, f.line) for f in findings] == [(RULE, 12)]
    # a real 3.2 error is still found, by the 3.2 schema
    invalid = run({"api.yaml": spec.replace("  /pets:", "  pets:")}, CONFIG)
    assert any(f.rule == "parse-error" and "OpenAPI 3.2" in f.message for f in invalid)


def test_each_validation_error_is_kept_at_the_place_it_names() -> None:
    spec = f"""openapi: 3.0.3
{INFO}paths:
  /a/{{id}}:
    get:
      operationId: same
      responses: {{"200": {{description: ok}}}}
  /b/{{id}}:
    get:
      operationId: same
      responses: {{"200": {{description: ok}}}}
"""
    errors = [f for f in run({"api.yaml": spec}, CONFIG) if f.rule == "parse-error"]
    by_line = sorted((f.line, f.message) for f in errors)
    # /a: path parameter id unresolved; /b: the same, and its operationId is a duplicate
    assert [line for line, _ in by_line] == [6, 10, 10], by_line  # each operation's mapping
    assert all("the top level" not in m for _, m in by_line)
    assert "#/paths/~1b~1{id}/get" in by_line[2][1]
    assert any("is not unique" in m for _, m in by_line) and sum("was not resolved" in m for _, m in by_line) == 2


def test_x_guardrails_ignore_is_applied_by_the_engine_like_a_comment() -> None:
    spec = f"""{{
  "openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
  "components": {{"schemas": {{
    "Reasoned": {{"type": "object",
      "x-guardrails-ignore": {{"{RULE}": "partner metadata, free-form by contract"}}}},
    "NoReason": {{"type": "object", "x-guardrails-ignore": {{"{RULE}": " "}}}},
    "Typo": {{"type": "object", "additionalProperties": false, "x-guardrails-ignore": {{"no-such-rule": "x"}}}},
    "Unused": {{"type": "object", "additionalProperties": false, "x-guardrails-ignore": {{"{RULE}": "x"}}}}
  }}}}
}}
"""
    findings = sorted(run({"api.json": spec}, CONFIG), key=lambda f: (f.line, f.rule))
    seen = [(f.rule, f.line, f.suppressed) for f in findings]
    assert seen == [
        (RULE, 4, True),
        ("bad-suppression", 6, False),
        (RULE, 6, False),
        ("bad-suppression", 7, False),
        ("bad-suppression", 8, False),
    ], seen
    assert findings[0].suppression == "partner metadata, free-form by contract"
    assert "no reason" in findings[1].message
    assert "unknown rule no-such-rule" in findings[3].message
    assert "unused" in findings[4].message
