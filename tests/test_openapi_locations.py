"""openapi-additional-properties finds object schemas wherever they live, at their exact position.

Each spec marks every schema that must be reported with a first key `title: flag-NAME`
(so the mapping starts on that line, at that column) and nothing else carries such a
title: the test derives the expected positions from the text, and compares them with
what `guardrails run` reports, in both directions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import Repo, guardrails

RULE = "openapi-additional-properties"
CONFIG = "version: 1\nextends: none\nrules:\n  openapi-additional-properties: error\n"


def run(repo: Repo, tmp_path: Path, *args: str) -> list[dict[str, object]]:
    repo.commit()
    result = guardrails(
        repo.root, "run", "--format", "json", *args, env={"GUARDRAILS_CACHE_DIR": str(tmp_path / "cache")}
    )
    assert result.code in (0, 1), result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result.json()["findings"]  # type: ignore[no-any-return]


def flagged_in(text: str, path: str) -> set[tuple[str, int, int]]:
    """Where each `title: flag-...` mapping starts (YAML block mappings)."""
    out = set()
    for number, line in enumerate(text.splitlines(), 1):
        m = re.search(r"title: flag-", line)
        if m:
            out.add((path, number, m.start() + 1))
    return out


def positions(findings: list[dict[str, object]], rule: str = RULE) -> set[tuple[str, int, int]]:
    return {(str(f["path"]), int(str(f["line"])), int(str(f["column"]))) for f in findings if f["rule"] == rule}


SPEC_31 = """\
openapi: 3.1.0
info: {title: locations, version: "1"}
webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema:
              title: flag-webhook
              type: object
      responses:
        "200": {description: ok}
paths:
  /pets/{id}:
    parameters:
      - name: filter
        in: query
        content:
          application/json:
            schema:
              title: flag-param-content
              type: object
      - name: id
        in: path
        required: true
        schema:
          title: flag-param-schema
          type: [object, "null"]
    post:
      requestBody:
        content:
          application/json:
            schema:
              title: flag-body
              properties:
                nested:
                  title: flag-nested-property
                  type: object
                list:
                  type: array
                  items:
                    title: flag-items
                    type: object
                tuple:
                  type: array
                  prefixItems:
                    - title: flag-prefix-items
                      type: object
                map:
                  type: object
                  additionalProperties:
                    title: flag-additional-value
                    type: object
                patterned:
                  type: object
                  additionalProperties: false
                  patternProperties:
                    "^x-":
                      title: flag-pattern-value
                      type: object
                negated:
                  not:
                    title: flag-not
                    type: object
                conditional:
                  type: object
                  additionalProperties: true
                  if:
                    title: flag-if
                    properties: {kind: {const: a}}
                  then:
                    title: flag-then
                    type: object
                  else:
                    title: flag-else
                    type: object
                  $defs:
                    inner:
                      title: flag-defs
                      type: object
      callbacks:
        onEvent:
          "{$request.body#/url}":
            post:
              requestBody:
                content:
                  application/json:
                    schema:
                      title: flag-callback
                      type: object
              responses:
                "200": {description: ok}
      responses:
        "200":
          description: ok
          headers:
            X-Meta:
              schema:
                title: flag-header
                type: object
          content:
            application/json:
              schema:
                title: flag-response
                type: object
components:
  schemas:
    Closed:
      type: object
      additionalProperties: false
      properties: {a: {type: string}}
    OpenOnPurpose:
      type: object
      additionalProperties: true
    Dictionary:
      type: object
      additionalProperties: {type: string}
    Evaluated:
      type: object
      unevaluatedProperties: false
    NotAnObject:
      type: string
    Component:
      title: flag-component
      type: object
      properties: {a: {type: string}}
  parameters:
    Shared:
      name: shared
      in: query
      schema:
        title: flag-component-parameter
        type: object
  headers:
    Trace:
      schema:
        title: flag-component-header
        type: object
"""


def test_every_location_in_a_31_spec_is_found_at_its_exact_position(repo: Repo, tmp_path: Path) -> None:
    repo.write(".guardrails.yml", CONFIG + "openapi:\n  specs: [api/openapi.yaml]\n")
    repo.write("api/openapi.yaml", SPEC_31)
    findings = run(repo, tmp_path)
    expected = flagged_in(SPEC_31, "api/openapi.yaml")
    assert len(expected) == 20
    assert positions(findings) == expected
    assert not [f for f in findings if f["rule"] == "parse-error"], findings


def test_a_30_spec_does_not_count_unevaluated_properties(repo: Repo, tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Legacy:
      title: flag-unevaluated-is-not-30
      type: object
      unevaluatedProperties: false
    Declared:
      type: object
      additionalProperties: false
"""
    repo.write(".guardrails.yml", CONFIG)
    repo.write("spec.yaml", spec)
    findings = run(repo, tmp_path)
    assert positions(findings) == flagged_in(spec, "spec.yaml")
    assert len(positions(findings)) == 1


def test_swagger_20_json_points_at_the_opening_brace(repo: Repo, tmp_path: Path) -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "t \U0001f600 emoji before", "version": "1"},
        "paths": {
            "/p": {
                "post": {
                    "parameters": [{"name": "body", "in": "body", "schema": {"type": "object", "title": "body"}}],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}},
                }
            }
        },
        "definitions": {
            "Pet": {"type": "object", "properties": {"name": {"type": "string", "description": "näme 😀"}}},
            "Closed": {"type": "object", "additionalProperties": False},
        },
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    repo.write(".guardrails.yml", CONFIG)
    repo.write("swagger.json", text)
    findings = run(repo, tmp_path)
    lines = text.splitlines()
    expected = set()
    for key in ('"schema": {', '"Pet": {'):
        number = next(i for i, line in enumerate(lines, 1) if key in line and "$ref" not in line)
        expected.add(("swagger.json", number, lines[number - 1].index("{") + 1))
    assert positions(findings) == expected  # Pet once, where it is written, not at the $ref


def test_json_columns_count_characters_not_bytes(repo: Repo, tmp_path: Path) -> None:
    text = (
        '{"openapi": "3.0.0", "info": {"title": "é😀", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"A": {"type": "object"}}}}'
    )
    repo.write(".guardrails.yml", CONFIG)
    repo.write("one-line.json", text)
    findings = run(repo, tmp_path)
    assert positions(findings) == {("one-line.json", 1, text.index('{"type"') + 1)}


@pytest.mark.parametrize("spec_name", ["a.yaml", "b.yml", "c.json"])
def test_specs_are_detected_without_config(repo: Repo, tmp_path: Path, spec_name: str) -> None:
    body = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"A": {"type": "object"}}},
    }
    repo.write(f"docs/{spec_name}", json.dumps(body))
    repo.write("docs/not-a-spec.json", json.dumps({"type": "object", "properties": {"a": {}}}))
    repo.write(".guardrails.yml", CONFIG)
    findings = run(repo, tmp_path)
    assert {f["path"] for f in findings if f["rule"] == RULE} == {f"docs/{spec_name}"}


def test_json_that_is_not_utf8_is_a_parse_error_at_the_byte_and_a_bom_is_no_column(repo: Repo, tmp_path: Path) -> None:
    good = (
        '{"openapi": "3.0.0", "info": {"title": "😀", "version": "1"}, "paths": {},\n'
        ' "components": {"schemas": {"A": {"type": "object"}}}}'
    )
    bad = '{"openapi": "3.0.0", "info": {"title": "é", "version": "1"},\n  "paths": {"/caf\xe9": {}}}'
    repo.write(".guardrails.yml", CONFIG + "openapi:\n  specs: ['*.json']\n")
    repo.write("bom.json", b"\xef\xbb\xbf" + good.encode())
    repo.write("latin1.json", bad.encode("latin-1"))
    findings = run(repo, tmp_path)
    assert positions(findings) == {("bom.json", 2, good.splitlines()[1].index('{"type"') + 1)}
    errors = [(f["path"], f["line"], f["column"], f["message"]) for f in findings if f["rule"] == "parse-error"]
    assert errors == [("latin1.json", 1, bad.index("é") + 1, "not valid UTF-8 (byte 0xe9): not checked")]


def test_a_large_json_spec_gets_exact_positions_from_the_parallel_brace_scan(repo: Repo, tmp_path: Path) -> None:
    from guardrails.openapi.braces import FORK_BYTES

    padding = 'a {brace} in a string, "quoted", and ü ' * 3
    schemas = {
        f"S{i}": {"type": "object", "description": padding, "properties": {"p": {"type": "string"}}}
        if i % 3
        else {"type": "object", "additionalProperties": False}
        for i in range(12000)
    }
    doc = {"openapi": "3.0.3", "info": {"title": "large", "version": "1"}, "paths": {}}
    text = json.dumps({**doc, "components": {"schemas": schemas}}, indent=1, ensure_ascii=False)
    assert len(text.encode()) > FORK_BYTES  # large enough for the forked scan
    lines = text.splitlines()
    expected = {  # every "Sn": { but the closed ones, whose second line is additionalProperties
        ("large.json", n, line.index("{") + 1)
        for n, line in enumerate(lines, 1)
        if line.lstrip().startswith('"S') and '"additionalProperties"' not in lines[n + 1]
    }
    assert len(expected) == 8000
    repo.write(".guardrails.yml", CONFIG + "openapi:\n  validate: false\n")
    repo.write("large.json", text)
    assert positions(run(repo, tmp_path)) == expected
