"""The fast run of openapi-spec-validator says what the library says, where it says it.

fast_validator.py runs the library's own checks over guardrails' loaded documents
(see its docstring). Each spec here goes through both the library as shipped
(jsonschema-path over the files on disk) and the fast run, and the messages must
be the same, in the same order: invalid specs of every kind the library checks,
in each version, across files, and the real specs at hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guardrails.openapi import fast_validator
from guardrails.openapi.document import parse_document
from guardrails.openapi.spec import Spec, load_spec, spec_version
from tests.helpers import Repo
from tests.test_openapi_corpus import SOURCE, SPECS
from tests.test_openapi_locations import CONFIG, run

GITHUB = "api.github.com.json"  # the library as shipped takes 14 s on it: bench_openapi.py compares there
INFO = 'info: {title: t, version: "1"}\n'
OK = '{"200": {description: ok}}'
INVALID_SPECS = {
    "structural: unknown field and wrong type": f"""openapi: 3.0.3
{INFO}paths:
  /a:
    get:
      summary: 5
      responses: {OK}
      colour: red
""",
    "duplicate operationId": f"""openapi: 3.0.3
{INFO}paths:
  /a:
    get: {{operationId: same, responses: {OK}}}
  /b:
    get: {{operationId: same, responses: {OK}}}
""",
    "path parameter never declared, and one declared but not in the path": f"""openapi: 3.0.3
{INFO}paths:
  /pets/{{id}}:
    get:
      parameters:
        - {{name: owner, in: path, required: true, schema: {{type: string}}}}
      responses: {OK}
""",
    "duplicate parameter": f"""openapi: 3.0.3
{INFO}paths:
  /a:
    get:
      parameters:
        - {{name: q, in: query, schema: {{type: string}}}}
        - {{name: q, in: query, schema: {{type: integer}}}}
      responses: {OK}
""",
    "default that breaks its schema, also behind a $ref": f"""openapi: 3.0.3
{INFO}paths:
  /a:
    get:
      parameters:
        - {{name: n, in: query, schema: {{$ref: "#/components/schemas/Small"}}}}
      responses: {OK}
components:
  schemas:
    Small: {{type: integer, maximum: 3, default: 7}}
    Word: {{type: string, enum: [a, b], default: c}}
""",
    "default checked through a $ref inside its schema": f"""openapi: 3.0.3
{INFO}paths: {{}}
components:
  schemas:
    Size: {{type: integer, maximum: 3}}
    Box:
      type: object
      properties:
        size: {{$ref: "#/components/schemas/Size"}}
      default: {{size: 9}}
""",
    "3.1 schema under another JSON Schema dialect": f"""openapi: 3.1.0
{INFO}paths: {{}}
components:
  schemas:
    Legacy:
      $schema: "http://json-schema.org/draft-07/schema#"
      type: object
      properties:
        n: {{type: integer, minLength: many}}
""",
    "allOf requires a property nobody defines": f"""openapi: 3.0.3
{INFO}paths: {{}}
components:
  schemas:
    Base: {{type: object, properties: {{id: {{type: string}}}}}}
    Pet:
      required: [id, name]
      allOf:
        - $ref: "#/components/schemas/Base"
""",
    "3.1 schema that is not a valid schema": f"""openapi: 3.1.0
{INFO}paths: {{}}
components:
  schemas:
    Pet:
      type: object
      properties:
        age: {{type: integer, minimum: old}}
""",
    "swagger 2.0 parameter default of the wrong type": f"""swagger: "2.0"
{INFO}paths:
  /a:
    get:
      parameters:
        - {{name: n, in: query, type: integer, default: many}}
      responses: {OK}
""",
    "a tag without a name (the library raises)": f"""openapi: 3.0.3
{INFO}tags: [{{description: x}}]
paths: {{}}
""",
}
MULTI_FILE = {
    "api/openapi.yaml": f"""openapi: 3.0.3
{INFO}paths:
  /pets:
    $ref: paths/pets.yaml
components:
  schemas:
    Pet:
      $ref: models/pet.yaml
""",
    "api/paths/pets.yaml": f"""get:
  operationId: listPets
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema: {{type: array, items: {{$ref: ../models/pet.yaml}}}}
post:
  operationId: listPets
  responses: {OK}
""",
    "api/models/pet.yaml": """type: object
required: [name]
properties:
  name: {type: string, default: 12}
  owner: {$ref: owner.yaml}
default: {name: rex, owner: {age: -1}}
""",
    "api/models/owner.yaml": """type: object
properties:
  age: {type: integer, minimum: 0}
""",
}


def _spec(root: Path, path: str) -> Spec:
    def read(p: str) -> str | bytes:
        return (root / p).read_bytes() if p.endswith(".json") else (root / p).read_text(encoding="utf-8")

    doc = parse_document(path, read(path))
    version = spec_version(doc.data)
    assert version is not None
    spec, _ = load_spec(path, version, doc, read)
    return spec


def _messages(errors: Any) -> list[str]:
    out = []
    try:
        for error in errors:
            out.append(error.message.split("\n\n")[0])
    except (KeyError, AssertionError, TypeError, AttributeError) as exc:
        out.append(f"raised {type(exc).__name__}")
    return out


def _both(root: Path, path: str) -> tuple[list[str], list[str]]:
    import openapi_spec_validator
    from jsonschema_path import SchemaPath

    spec = _spec(root, path)
    uri = (root / path).resolve().as_uri()
    library = getattr(openapi_spec_validator, fast_validator._LIBRARY_CLASSES[spec.version])
    shipped = _messages(library(SchemaPath.from_dict(spec.root.data, base_uri=uri)).iter_errors())
    return _messages(fast_validator.iter_errors(spec, uri)), shipped


@pytest.mark.parametrize("name", list(INVALID_SPECS))
def test_an_invalid_spec_gets_the_librarys_own_messages(name: str, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(INVALID_SPECS[name], encoding="utf-8")
    fast, shipped = _both(tmp_path, "spec.yaml")
    assert shipped, "each spec here is invalid"
    assert fast == shipped


def test_a_spec_across_files_gets_the_librarys_own_messages(tmp_path: Path) -> None:
    for path, text in MULTI_FILE.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    fast, shipped = _both(tmp_path, "api/openapi.yaml")
    assert any("listPets" in m for m in shipped) and any("12" in m for m in shipped), shipped
    assert any("-1" in m for m in shipped), shipped  # the default, checked through a $ref into owner.yaml
    assert fast == shipped


@pytest.mark.parametrize(
    ("root", "spec"),
    [s for s in SPECS if s[1] != GITHUB],
    ids=[f"{SOURCE}:{s}" for _, s in SPECS if s != GITHUB],
)
def test_a_real_spec_gets_the_librarys_own_verdict(root: Path, spec: str) -> None:
    fast, shipped = _both(root, spec)
    # On DigitalOcean's spec the library as shipped ends in AttributeError inside jsonschema-path's
    # $ref resolution (a tag description that is a $ref), after every message below; the fast run
    # does not go through that code, so it ends with the same messages and no crash.
    assert fast == [m for m in shipped if m != "raised AttributeError"]


def test_a_schema_error_is_reported_where_the_schema_is(repo: Repo, tmp_path: Path) -> None:
    # the library's meta-check error path starts at the schema; the finding must not land at the top
    repo.write(".guardrails.yml", CONFIG)
    repo.write("spec.yaml", INVALID_SPECS["3.1 schema that is not a valid schema"])
    findings = [f for f in run(repo, tmp_path) if f["rule"] == "parse-error"]
    assert [(f["line"], "minimum" in str(f["message"])) for f in findings] == [(9, True)], findings  # the `age` schema


def test_a_crash_of_the_library_is_reported_after_what_it_found(repo: Repo, tmp_path: Path) -> None:
    repo.write(".guardrails.yml", CONFIG)
    repo.write("spec.yaml", f"openapi: 3.0.3\n{INFO}tags: [{{description: x}}]\npaths:\n  /a: {{get: {{}}}}\n")
    messages = [str(f["message"]) for f in run(repo, tmp_path) if f["rule"] == "parse-error"]
    assert any("'responses' is a required property" in m or '"responses" is a required property' in m for m in messages)
    assert any("openapi-spec-validator crashed" in m and "KeyError" in m for m in messages), messages
