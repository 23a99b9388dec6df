"""openapi-additional-properties on compositions: advice that works, per branch and per version.

Each case is a real spec run through the engine in-process; the findings are compared by the
schema they name (the JSON pointer in `properties.schema`) and, where the advice matters, by
what the message tells the author to do.
"""

from __future__ import annotations

from guardrails.findings import Finding
from guardrails.testing import run

RULE = "openapi-additional-properties"
CONFIG = {"version": 1, "extends": "none", "rules": {RULE: "error"}}


def spec(version: str, schemas: str) -> str:
    return f'openapi: {version}\ninfo: {{title: t, version: "1"}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}'


def findings(text: str, config: dict[str, object] = CONFIG) -> dict[str, Finding]:
    """The rule's findings by the schema they name."""
    out = run({"api.yaml": text}, config, select=[RULE])
    return {str(f.properties["schema"]): f for f in out if f.rule == RULE}


ONE_OF = """\
    Event:
      oneOf:
        - $ref: "#/components/schemas/Cat"
        - type: object
          properties: {bark: {type: boolean}}
        - type: object
          additionalProperties: false
          properties: {quack: {type: boolean}}
    Cat:
      type: object
      properties: {meow: {type: boolean}}
"""


def test_each_open_oneof_branch_is_flagged_and_never_the_parent() -> None:
    found = findings(spec("3.0.3", ONE_OF))
    # Cat is used only as a branch: judged on its own; the closed branch passes; the parent,
    # whose closing would reject every valid payload, is not flagged
    assert sorted(found) == ["#/components/schemas/Cat", "#/components/schemas/Event/oneOf/1"]
    branch = found["#/components/schemas/Event/oneOf/1"]
    assert (branch.line, branch.location.column) == (9, 11)  # the `- type: object` branch
    assert branch.properties["composition"] == "branch"
    assert "additionalProperties" in branch.message and len(branch.message) < 100
    assert all("Event:" not in f.message for f in found.values())


def test_anyof_branches_are_judged_the_same_way() -> None:
    found = findings(spec("3.1.0", ONE_OF.replace("oneOf", "anyOf")))
    assert sorted(found) == ["#/components/schemas/Cat", "#/components/schemas/Event/anyOf/1"]


ALL_OF = """\
    Base:
      type: object
      properties: {id: {type: string}}
    Dog:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          properties: {bark: {type: boolean}}
"""


def test_allof_advice_in_31_is_unevaluated_properties_on_the_composed_schema() -> None:
    found = findings(spec("3.1.0", ALL_OF))
    assert list(found) == ["#/components/schemas/Dog"]  # Base is only a member: judged in the whole
    assert "unevaluatedProperties" in found["#/components/schemas/Dog"].message
    assert found["#/components/schemas/Dog"].properties["composition"] == "allOf"
    closed = ALL_OF.replace("    Dog:\n", "    Dog:\n      unevaluatedProperties: false\n")
    assert findings(spec("3.1.0", closed)) == {}


def test_allof_advice_in_30_never_recommends_false_when_several_members_hold_properties() -> None:
    found = findings(spec("3.0.3", ALL_OF))
    message = found["#/components/schemas/Dog"].message
    assert "additionalProperties: true" in message and "unevaluated" not in message
    strict = {**CONFIG, "rules": {RULE: {"severity": "error", "require": False}}}
    assert "cannot be closed" in findings(spec("3.0.3", ALL_OF), strict)["#/components/schemas/Dog"].message


def test_allof_advice_in_30_names_the_one_member_holding_the_properties() -> None:
    members = "        - type: object\n          properties: {bark: {type: boolean}}\n"
    one_holder = ALL_OF.replace(members, "        - required: [id]\n")
    found = findings(spec("3.0.3", one_holder))
    assert (
        found["#/components/schemas/Dog"].properties["fix"]
        == "declare additionalProperties on #/components/schemas/Base"
    )
    fixed = one_holder.replace("      type: object\n", "      type: object\n      additionalProperties: false\n", 1)
    assert findings(spec("3.0.3", fixed)) == {}


def test_additional_properties_false_that_breaks_an_allof_is_a_finding() -> None:
    broken = ALL_OF.replace("      properties: {id", "      additionalProperties: false\n      properties: {id")
    found = findings(spec("3.0.3", broken))
    message = found["#/components/schemas/Dog"].message
    assert "additionalProperties: false on #/components/schemas/Base rejects" in message
    assert "#/components/schemas/Dog/allOf/1" in message
    parent_closed = ALL_OF.replace("    Dog:\n", "    Dog:\n      additionalProperties: false\n")
    assert "false on it rejects" in findings(spec("3.1.0", parent_closed))["#/components/schemas/Dog"].message


def test_a_member_used_only_inside_oneof_is_judged_on_its_own_even_when_also_an_allof_member() -> None:
    both = ALL_OF + '    Pet:\n      oneOf:\n        - $ref: "#/components/schemas/Base"\n        - {type: string}\n'
    assert sorted(findings(spec("3.1.0", both))) == ["#/components/schemas/Base", "#/components/schemas/Dog"]


def test_findings_name_nested_schemas_by_pointer_with_escaped_keys() -> None:
    text = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /events/{id}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                properties:
                  payload: {type: object}
"""
    found = findings(text)
    assert list(found) == [
        "#/paths/~1events~1{id}/get/responses/200/content/application~1json/schema/properties/payload"
    ]
    finding = next(iter(found.values()))
    assert finding.message.startswith("object schema #/paths/~1events~1{id}/get/")
