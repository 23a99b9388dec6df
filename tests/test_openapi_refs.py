"""Multi-file specs, broken and circular $refs, invalid specs, suppression and options."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Repo, guardrails
from tests.test_openapi_locations import CONFIG, RULE, flagged_in, positions, run

ROOT = """\
openapi: 3.0.3
info: {title: multi, version: "1"}
paths:
  /pets:
    $ref: paths/pets.yaml
  /pets/{id}:
    get:
      $ref: operations/get-pet.yaml
components:
  schemas:
    Pet:
      $ref: models/pet.yaml
"""
PETS_PATH = """\
get:
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema:
            type: array
            items:
              $ref: ../models/pet.yaml
"""
GET_PET = """\
responses:
  "200":
    description: ok
    content:
      application/json:
        schema:
          $ref: ../models/pet.yaml
"""
PET = """\
title: flag-pet
type: object
properties:
  owner:
    $ref: "#/$defs/Owner"
  children:
    type: array
    items:
      $ref: pet.yaml
$defs:
  Owner:
    title: flag-owner
    type: object
"""


def test_a_schema_used_in_many_files_is_reported_once_where_it_is_written(repo: Repo, tmp_path: Path) -> None:
    repo.write(".guardrails.yml", CONFIG + "openapi:\n  specs: [api/openapi.yaml]\n")
    repo.write("api/openapi.yaml", ROOT)
    repo.write("api/paths/pets.yaml", PETS_PATH)
    repo.write("api/operations/get-pet.yaml", GET_PET)
    repo.write("api/models/pet.yaml", PET)
    findings = run(repo, tmp_path)
    assert positions(findings) == flagged_in(PET, "api/models/pet.yaml")
    # once each: the recursive `children` ref neither hangs nor repeats
    assert len([f for f in findings if f["rule"] == RULE]) == 2
    # operations that are $refs (as DigitalOcean writes them) are not OpenAPI 3.0: the validator says so
    others = [f for f in findings if f["rule"] != RULE]
    assert others and all("openapi-spec-validator" in str(f["message"]) for f in others)


def test_broken_and_circular_refs_are_findings_at_the_ref(repo: Repo, tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: broken, version: "1"}
paths: {}
components:
  schemas:
    Missing:
      $ref: models/nothing-here.yaml
    Dangling:
      $ref: "#/components/schemas/NoSuchSchema"
    LoopA:
      $ref: "#/components/schemas/LoopB"
    LoopB:
      $ref: "#/components/schemas/LoopA"
    Fine:
      title: flag-fine
      type: object
"""
    repo.write(".guardrails.yml", CONFIG)
    repo.write("spec.yaml", spec)
    findings = run(repo, tmp_path)
    errors = {
        (f["line"], f["column"]): f["message"]
        for f in findings
        if f["rule"] == "parse-error" and "openapi-spec-validator" not in str(f["message"])
    }
    assert "models/nothing-here.yaml does not exist" in str(errors[(7, 7)])
    assert "NoSuchSchema" in str(errors[(9, 7)])
    assert "circular $ref" in str(errors[(11, 7)]) and "circular $ref" in str(errors[(13, 7)])
    assert positions(findings) == flagged_in(spec, "spec.yaml")  # the rule still checks the rest


def test_an_invalid_spec_is_reported_with_the_validators_reason_and_still_checked(repo: Repo, tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: invalid, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                title: flag-still-checked
                type: object
      parameters:
        - name: q
          in: nowhere
"""
    repo.write(".guardrails.yml", CONFIG)
    repo.write("spec.yaml", spec)
    findings = run(repo, tmp_path)
    invalid = [f for f in findings if f["rule"] == "parse-error"]
    assert invalid and all("openapi-spec-validator" in str(f["message"]) for f in invalid)
    assert any("nowhere" in str(f["message"]) and f["line"] == 15 for f in invalid), invalid
    assert positions(findings) == flagged_in(spec, "spec.yaml")


def test_a_crashing_validator_is_reported_not_raised(repo: Repo, tmp_path: Path) -> None:
    # DigitalOcean-style: a tag description that is a $ref to a string makes
    # openapi-spec-validator 0.9 raise AttributeError inside `referencing`.
    spec = """\
openapi: 3.0.0
info: {title: crash, version: "1"}
tags:
  - name: a
    description:
      $ref: "description.yml#/introduction"
paths: {}
"""
    repo.write(".guardrails.yml", CONFIG)
    repo.write("spec.yaml", spec)
    repo.write("description.yml", "introduction: |\n  Hello.\n")
    findings = run(repo, tmp_path)
    messages = " ".join(str(f["message"]) for f in findings if f["rule"] == "parse-error")
    assert "openapi-spec-validator" in messages


def test_x_guardrails_ignore_suppresses_with_a_reason_and_needs_one(repo: Repo, tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: ignore, version: "1"}
paths: {}
components:
  schemas:
    Reasoned:
      type: object
      x-guardrails-ignore:
        openapi-additional-properties: free-form metadata from partners
    NoReason:
      type: object
      x-guardrails-ignore:
        openapi-additional-properties: ""
    # guardrails:ignore[openapi-additional-properties] legacy payload, closed in v2
    Commented:
      type: object
"""
    repo.write(".guardrails.yml", CONFIG)
    repo.write("spec.yaml", spec)
    findings = run(repo, tmp_path)
    by_line = {(f["rule"], f["line"]): f for f in findings}
    assert by_line[(RULE, 7)]["suppressed"] is True
    assert by_line[(RULE, 11)]["suppressed"] is False
    assert "no reason" in str(by_line[("bad-suppression", 11)]["message"])
    assert by_line[(RULE, 16)]["suppressed"] is True


def test_require_false_and_composition_members(repo: Repo, tmp_path: Path) -> None:
    spec = """\
openapi: 3.1.0
info: {title: options, version: "1"}
paths: {}
components:
  schemas:
    Open:
      title: flag-open-under-require-false
      type: object
      additionalProperties: true
    Closed:
      type: object
      additionalProperties: false
    Base:
      title: flag-member-when-judged-alone
      type: object
      properties: {id: {type: string}}
    Composed:
      title: flag-composed-whole
      allOf:
        - $ref: "#/components/schemas/Base"
        - title: flag-inline-member-when-judged-alone
          type: object
          properties: {name: {type: string}}
    ComposedAndClosed:
      unevaluatedProperties: false
      allOf:
        - $ref: "#/components/schemas/Base"
"""
    repo.write("spec.yaml", spec)
    every = flagged_in(spec, "spec.yaml")
    by_title = {
        t: next(p for p in every if spec.splitlines()[p[1] - 1].strip().endswith(t))
        for t in (
            "flag-open-under-require-false",
            "flag-member-when-judged-alone",
            "flag-composed-whole",
            "flag-inline-member-when-judged-alone",
        )
    }

    repo.write(".guardrails.yml", CONFIG)
    assert positions(run(repo, tmp_path)) == {by_title["flag-composed-whole"]}

    repo.write(
        ".guardrails.yml", "version: 1\nextends: none\nrules:\n  openapi-additional-properties:\n    require: false\n"
    )
    assert positions(run(repo, tmp_path)) == {
        by_title["flag-open-under-require-false"],
        by_title["flag-composed-whole"],
    }

    repo.write(
        ".guardrails.yml",
        "version: 1\nextends: none\nrules:\n  openapi-additional-properties:\n    allow_composition_members: false\n",
    )
    # judged one by one, the members are objects and the whole (no type, no properties) is not
    assert positions(run(repo, tmp_path)) == {
        by_title["flag-member-when-judged-alone"],
        by_title["flag-inline-member-when-judged-alone"],
    }


def test_bad_yaml_and_json_are_parse_errors_and_other_specs_still_run(repo: Repo, tmp_path: Path) -> None:
    repo.write(".guardrails.yml", CONFIG + "openapi:\n  specs: ['*.yaml', '*.json']\n")
    repo.write("bad.yaml", "openapi: 3.0.0\ninfo: [unclosed\n")
    repo.write("bad.json", '{"openapi": "3.0.0",\n  "info": }')
    repo.write(
        "good.yaml",
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    A:\n      type: object\n",
    )
    findings = run(repo, tmp_path)
    errors = {(f["path"], f["line"]) for f in findings if f["rule"] == "parse-error"}
    assert ("bad.json", 2) in errors and any(p == "bad.yaml" for p, _ in errors)
    assert positions(findings) == {("good.yaml", 7, 7)}


def test_validation_can_be_switched_off_and_the_switch_is_checked(repo: Repo, tmp_path: Path) -> None:
    spec = """\
openapi: 3.0.3
info: {title: invalid, version: "1"}
paths:
  /a:
    get:
      parameters:
        - name: q
          in: nowhere
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                title: flag-checked-without-validation
                type: object
"""
    repo.write("spec.yaml", spec)
    repo.write(".guardrails.yml", CONFIG + "openapi:\n  validate: false\n")
    findings = run(repo, tmp_path)
    assert not [f for f in findings if f["rule"] == "parse-error"], findings
    assert positions(findings) == flagged_in(spec, "spec.yaml")

    repo.write(".guardrails.yml", CONFIG + "openapi:\n  validate: true\n")
    assert any("openapi-spec-validator" in str(f["message"]) for f in run(repo, tmp_path))

    repo.write(".guardrails.yml", CONFIG + "openapi:\n  validate: sometimes\n")
    repo.commit()
    typo = guardrails(repo.root, "run")
    assert typo.code == 2
    assert ".guardrails.yml:6: openapi.validate: expected true or false, got a string" in typo.stderr
