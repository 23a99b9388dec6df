"""openapi-additional-properties: every object schema says what extra fields mean."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guardrails.findings import Finding, Location, Severity, Value
from guardrails.openapi.spec import Spec
from guardrails.rules import Rule, RuleContext
from guardrails.state import StateKey

RULE_ID = "openapi-additional-properties"
SUMMARY = "an object schema that does not declare additionalProperties"
INCIDENT = (
    "Object schemas that did not say whether extra fields were allowed let clients send, and servers "
    "return, fields nobody had defined. The validator, the generated clients and the server each "
    "treated them differently, and a misspelt field name passed every check and was silently dropped. "
    "The team made declaring additionalProperties mandatory on every object schema, in every spec."
)
BAD = "components:\n  schemas:\n    Refund:\n      type: object\n      properties:\n        amount: {type: integer}"
GOOD = (
    "components:\n"
    "  schemas:\n"
    "    Refund:\n"
    "      type: object\n"
    "      additionalProperties: false\n"
    "      properties:\n"
    "        amount: {type: integer}"
)
OPTIONS: dict[str, Any] = {
    "require": {
        "enum": ["declared", False],
        "default": "declared",
        "description": "declared: any explicit additionalProperties passes; false: every object must be "
        "closed with additionalProperties: false unless suppressed with a reason",
    },
    "allow_composition_members": {
        "type": "boolean",
        "default": True,
        "description": "judge allOf members as part of the composed schema, not one by one",
    },
}
HELP = (
    "An object schema that does not say whether extra fields are allowed lets clients send, and servers "
    "return, fields nobody defined; validators, code generators and servers disagree about them, and a "
    "misspelt field name passes silently. Declare it: `additionalProperties: false` to reject unknown "
    "fields, `true` or a schema if extra fields are intended. Compositions need care, because "
    "additionalProperties only sees the properties of its own schema: a oneOf/anyOf branch is validated "
    "on its own, so declare it on each branch (never on the composed parent, which would reject every "
    "valid payload); for allOf in OpenAPI 3.1/3.2 put `unevaluatedProperties: false` on the composed "
    "schema; in 2.0/3.0, `additionalProperties: false` on the parent or on a member rejects the "
    "properties the other members define, so declare it on the one member that holds the properties, "
    "or `additionalProperties: true` on purpose. Suppress one schema with "
    "`x-guardrails-ignore: {openapi-additional-properties: reason}` on it, or a YAML comment "
    "`# guardrails:ignore[openapi-additional-properties] reason` on its line or above its key."
)
DETAILS = """\
An object is a schema with `type: object`, a type list containing `object` (3.1), or `properties`
and no `type`. A declaration is `additionalProperties` with any value (true, false or a schema), and
in OpenAPI 3.1 and 3.2 also `unevaluatedProperties` on the schema itself. With `require: false` only
`false` passes.

Each finding names its schema by JSON pointer in the file where it is written (`#/components/schemas
/Event/properties/payload`), and is reported once, at the line and column where that mapping starts,
never again at each `$ref` that uses it. The schemas are found by following the OpenAPI structure
(paths, operations, components, webhooks, callbacks), not in examples or extensions.

Composition (`allow_composition_members: true`, the default):
- oneOf/anyOf: each branch is validated on its own, so each branch is judged on its own, and a
  finding names the open branch. The composed parent is not judged for them.
- allOf: the members are validated together, so the composed schema is judged as a whole: it is an
  object if it or any member is, and it declares extra fields if it or any member declares
  `additionalProperties` (3.1/3.2: or it declares `unevaluatedProperties`). The fix named depends on
  the version: 3.1/3.2, `unevaluatedProperties` on the composed schema; 2.0/3.0, `additionalProperties`
  on the one member (or the parent) that holds `properties`, or `additionalProperties: true` when
  several do (there, `false` cannot work). `additionalProperties: false` (or a member's
  `unevaluatedProperties: false`) on one part while another part defines properties rejects those
  properties: that is a finding too, whatever the option.
- A schema reached only as an allOf member is judged in its composed wholes; reached anywhere else
  (a oneOf/anyOf branch, a property, a response), it is judged on its own as well.
With `allow_composition_members: false`, every schema is judged by its own keywords alone.

Each spec is first validated with openapi-spec-validator (its checks run over the documents guardrails
already loaded, guardrails/openapi/fast_validator.py); an invalid spec is reported as parse-error
findings at the places the messages name, and still checked. `openapi: {validate: false}` skips
validation. OpenAPI 3.2 documents are validated against the 3.2 schema.
"""
PROPERTIES = {
    "schema": "the schema's JSON pointer in its file (`#/components/schemas/Pet`)",
    "composition": "`allOf` when the schema was judged with its allOf members, `branch` for a oneOf/anyOf branch",
    "fix": "the declaration that works here, for this OpenAPI version",
}

# (rule, file, line, column) already reported: specs sharing a file report it once.
_REPORTED: StateKey[set[tuple[Any, ...]]] = StateKey("openapi-additional-properties.reported")
MISSING, OPEN, CLOSED = 0, 1, 2  # what a schema says about extra fields, in increasing strictness
Part = tuple[Any, dict[str, Any], str]  # (Document, schema, pointer): one schema of an allOf whole


def check(unit: Spec, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.openapi.walk import BRANCH, MEMBER, USE, schemas

    strict = ctx.options.get("require", "declared") in (False, "false")
    composed = bool(ctx.options.get("allow_composition_members", True))
    reported = ctx.state.get(_REPORTED, set)
    flagged: list[tuple[Any, str, dict[str, Value]]] = []  # (site, message, properties)
    checked = unit.checked
    for site in schemas(unit):
        if site.doc.path not in checked:
            continue
        schema = site.schema
        # Most schemas are leaves such as {type: string}: settle them without a call.
        kind = schema.get("type")
        plain = kind is not None and kind != "object" and type(kind) is not list  # noqa: E721
        if plain and not (composed and "allOf" in schema):
            continue
        if composed and site.roles & MEMBER and not site.roles & (USE | BRANCH):
            continue  # judged in the allOf whole it belongs to
        verdict = _judge(unit, site, composed, strict)
        if verdict is not None:
            message, properties = verdict
            if site.roles & BRANCH:
                properties.setdefault("composition", "branch")
            flagged.append((site, message, properties))
    where: dict[int, tuple[int, int]] = {}
    for doc in {id(s.doc): s.doc for s, _, _ in flagged}.values():
        where.update(doc.positions([s.schema for s, _, _ in flagged if s.doc is doc]))
    for site, message, properties in flagged:
        line, column = where[id(site.schema)]
        if not _first(reported, (RULE_ID, site.doc.path, line, column)):
            continue  # another spec sharing this file said it already
        finding = ctx.finding(Location(site.doc.path, line, column), message, properties=properties)
        finding.extra["subject"] = str(properties.get("schema", ""))  # its JSON pointer: stable, unlike `type: object`
        key_line = site.doc.key_line(site.schema)
        if key_line:
            finding.extra["statement_line"] = str(key_line)
        yield finding


def _judge(spec: Spec, site: Any, composed: bool, strict: bool) -> tuple[str, dict[str, Value]] | None:
    """The finding's message and properties for one schema, or None when it is fine."""
    from guardrails.openapi.walk import pointer_text

    schema, name = site.schema, pointer_text(site.pointer)
    if composed and isinstance(schema.get("allOf"), list):
        return _judge_all_of(spec, site, strict)
    if not _is_object(schema):
        return None
    if composed and _has_object_branch(spec, site):
        return None  # each oneOf/anyOf branch is judged on its own; closing the parent breaks them
    says = _declared(schema, spec.version, composed=False)
    if says == CLOSED or (says == OPEN and not strict):
        return None
    properties: dict[str, Value] = {"schema": name, "fix": "additionalProperties: false"}
    if says == MISSING:
        return f"object schema {name} does not declare additionalProperties", properties
    return f"object schema {name} allows extra fields (additionalProperties is not false)", properties


def _judge_all_of(spec: Spec, site: Any, strict: bool) -> tuple[str, dict[str, Value]] | None:
    from guardrails.openapi.walk import pointer_text

    name = pointer_text(site.pointer)
    parts = _all_of_parts(spec, (site.doc, site.schema, site.pointer), set())
    if not any(_is_object(s) for _, s, _ in parts):
        return None
    holders = [p for p in parts if isinstance(p[1].get("properties"), dict)]
    label = {id(s): pointer_text(at) if d is site.doc else f"{d.path}{pointer_text(at)}" for d, s, at in parts}
    properties: dict[str, Value] = {"schema": name, "composition": "allOf"}
    for _, part, _ in parts:
        own = part is site.schema
        closes = part.get("additionalProperties") is False or (not own and part.get("unevaluatedProperties") is False)
        others = [h for h in holders if h[1] is not part]
        if closes and others:
            what = "it" if own else label[id(part)]
            properties["fix"] = _fix(spec.version, holders, label, strict, site.schema)
            return (
                f"allOf schema {name}: additionalProperties: false on {what} rejects "
                f"the properties of {label[id(others[0][1])]}",
                properties,
            )
    says = max(_declared(s, spec.version, composed=s is not site.schema) for _, s, _ in parts)
    if says == CLOSED or (says == OPEN and not strict):
        return None
    fix = _fix(spec.version, holders, label, strict, site.schema)
    properties["fix"] = fix
    now = "does not declare extra fields" if says == MISSING else "allows extra fields"
    return f"allOf schema {name} {now}: {fix}", properties


def _fix(version: str, holders: list[Part], label: dict[int, str], strict: bool, whole: dict[str, Any]) -> str:
    """What works on an allOf whole in this version."""
    from guardrails.openapi.spec import has_unevaluated

    if has_unevaluated(version):
        return "add unevaluatedProperties: false to it" if strict else "add unevaluatedProperties to it"
    if len(holders) <= 1:
        where = "it" if not holders or holders[0][1] is whole else label[id(holders[0][1])]
        return f"declare additionalProperties on {where}"
    if strict:
        return f"in {version} it cannot be closed (false breaks allOf): suppress it with a reason"
    return f"set additionalProperties: true on it (in {version} false breaks allOf)"


def _all_of_parts(spec: Spec, part: Part, seen: set[int]) -> list[Part]:
    """The schema and its allOf members, theirs included, each once."""
    from guardrails.openapi.walk import members

    doc, schema, at = part
    seen.add(id(schema))
    out = [part]
    for member in members(spec, doc, schema, "allOf", at):
        if id(member[1]) not in seen:
            out += _all_of_parts(spec, member, seen)
    return out


def _has_object_branch(spec: Spec, site: Any) -> bool:
    from guardrails.openapi.walk import members

    return any(
        _is_object(m) or isinstance(m.get("allOf"), list)
        for key in ("oneOf", "anyOf")
        if key in site.schema
        for _, m, _ in members(spec, site.doc, site.schema, key, site.pointer)
    )


def _is_object(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if kind == "object" or (isinstance(kind, list) and "object" in kind):
        return True
    return "properties" in schema and kind is None


def _declared(schema: dict[str, Any], version: str, composed: bool) -> int:
    """What a schema says about extra fields; ``composed``: it is an allOf member, where its
    unevaluatedProperties speaks only for itself (and was judged above as breaking the whole)."""
    from guardrails.openapi.spec import has_unevaluated

    keys = ["additionalProperties"]
    if has_unevaluated(version) and not composed:
        keys.append("unevaluatedProperties")
    values = [schema[k] for k in keys if k in schema]
    if not values:
        return MISSING
    return CLOSED if any(v is False for v in values) else OPEN


def _first(seen: set[Any], key: Any) -> bool:
    if key in seen:
        return False
    seen.add(key)
    return True


RULE: Rule[Spec] = Rule(
    id=RULE_ID,
    summary=SUMMARY,
    severity=Severity.ERROR,
    incident=INCIDENT,
    bad=BAD,
    good=GOOD,
    input="openapi",
    check=check,
    options=OPTIONS,
    language="yaml",
    help=HELP,
    details=DETAILS,
    properties=PROPERTIES,
)
