"""openapi-additional-properties: every object schema says what extra fields mean.

An object schema that does not declare ``additionalProperties`` lets clients
send, and servers return, fields nobody defined; validators, code generators
and the server disagree about them, and a typo in a field name passes silently.

What counts as an object: ``type: object``, a type list containing ``object``
(3.1), or a schema with ``properties`` and no ``type``. What counts as a
declaration: ``additionalProperties`` with any value (true, false or a schema),
and in OpenAPI 3.1 also ``unevaluatedProperties``.

Composition: closing each member of an ``allOf`` breaks it (a member with
``additionalProperties: false`` rejects the properties the other members
define), so by default (``allow_composition_members: true``) the members of
allOf/oneOf/anyOf are not judged one by one: the composed schema is judged as a
whole. It is an object if it or any member is one, and it declares
``additionalProperties`` if it does itself, or (allOf) any member does, or
(oneOf/anyOf) every object member does. A component that is used only as a
member is exempt; used anywhere else, it is judged on its own. In 3.1, close a
composition with ``unevaluatedProperties: false`` on the composed schema.

Each schema is reported once, where it is written (the file and line of the
mapping), never again at each ``$ref`` that uses it. Suppress with a YAML
comment (``# guardrails:ignore[openapi-additional-properties] reason``) on the
schema's line or above its key, or, in JSON too, with
``x-guardrails-ignore: {openapi-additional-properties: reason}`` on the schema.

Validation: each spec is first validated with openapi-spec-validator (an invalid
spec is reported with the library's reason at the place it names, and still
checked). The library's own checks run over the documents guardrails already
loaded (guardrails/openapi/fast_validator.py): 0.35 s on GitHub's 13 MB
description, where the library run as shipped takes 14-17 s. The verdict is
cached by a hash of the spec's content (``$GUARDRAILS_CACHE_DIR``, default
``~/.cache/guardrails``), with ``--base`` a spec is validated and checked only
when a file it reaches changed, and ``openapi: {validate: false}`` skips
validation for a repository that validates its specs in another step. Running
the validator in a forked process beside the walk was measured and rejected:
0.15 s faster on GitHub's description but 19 MiB more, because both processes
write refcounts on the shared parsed spec, whose pages are then copied.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from guardrails.findings import Finding, Location, Severity
from guardrails.openapi.spec import Spec
from guardrails.rules import Rule, RuleContext
from guardrails.state import StateKey

RULE_ID = "openapi-additional-properties"
# (rule, file, line, column[, message]) already reported: specs sharing a file report it once.
_REPORTED: StateKey[set[tuple[Any, ...]]] = StateKey("openapi-additional-properties.reported")
IGNORE_KEY = "x-guardrails-ignore"
MISSING, OPEN, CLOSED = 0, 1, 2  # what a schema says about extra fields, in increasing strictness
WHY = "clients can send, and servers return, fields nobody defined, and a misspelt field name passes silently"


def check(unit: Spec, ctx: RuleContext) -> Iterator[Finding]:
    from guardrails.openapi.walk import MEMBER, USE, schemas

    strict = ctx.options.get("require", "declared") in (False, "false")
    composed = bool(ctx.options.get("allow_composition_members", True))
    known_rules = set(ctx.config.rules)
    reported = ctx.state.get(_REPORTED, set)
    flagged: list[tuple[Any, dict[str, Any], int]] = []  # (file, schema, what it says), or -1: only an ignore
    checked = unit.checked
    for site in schemas(unit):
        doc, schema = site.doc, site.schema
        if doc.path not in checked:
            continue
        # Most schemas are leaves such as {type: string}: settle them without a call.
        kind = schema.get("type")
        plain = kind is not None and kind != "object" and type(kind) is not list  # noqa: E721
        if plain and not (composed and _has_composition(schema)):
            if IGNORE_KEY in schema:
                flagged.append((doc, schema, -1))
            continue
        says = -1
        if not (composed and site.roles & MEMBER and not site.roles & USE):  # else judged in the whole
            is_object, says = _judge(unit, doc, schema, composed, set())
            if not is_object or says == CLOSED or (says == OPEN and not strict):
                says = -1
        if says != -1 or IGNORE_KEY in schema:
            flagged.append((doc, schema, says))
    where = {}
    for doc in {id(d): d for d, _, _ in flagged}.values():
        where.update(doc.positions([s for d, s, _ in flagged if d is doc]))
    for doc, schema, says in flagged:
        line, column = where[id(schema)]
        location = Location(doc.path, line, column)
        ignore_reason, problems = _ignore(schema, location, known_rules)
        for problem in problems:
            if _first(reported, ("bad-suppression", doc.path, line, column, problem.message)):
                yield problem
        if says == -1 or not _first(reported, (RULE_ID, doc.path, line, column)):
            continue  # nothing to say, or another spec sharing this file said it already
        finding = ctx.finding(location, _message(says, strict, composed and _has_composition(schema), unit.version))
        key_line = doc.key_line(schema)
        if key_line:
            finding.extra["statement_line"] = str(key_line)
        if ignore_reason:
            finding = replace(finding, suppressed=True, suppression=ignore_reason)
        yield finding


def _judge(spec: Any, doc: Any, schema: dict[str, Any], composed: bool, seen: set[int]) -> tuple[bool, int]:
    """(is it an object, what it says about extra fields), its composition members included."""
    from guardrails.openapi.walk import members

    seen.add(id(schema))
    kind = schema.get("type")
    if kind is None and "properties" not in schema and not (composed and _has_composition(schema)):
        return False, MISSING  # the common case, decided without more lookups
    is_object = (
        kind == "object"
        or (isinstance(kind, list) and "object" in kind)
        or ("properties" in schema and "type" not in schema)
    )
    says = _declared(schema, spec.version)
    if not composed or not _has_composition(schema):
        return is_object, says
    for key in ("allOf", "oneOf", "anyOf"):
        judged = [_judge(spec, d, m, composed, seen) for d, m in members(spec, doc, schema, key) if id(m) not in seen]
        objects = [s for obj, s in judged if obj]
        if not objects:
            continue
        is_object = True
        if says == MISSING:
            says = max(objects) if key == "allOf" else min(objects)
    return is_object, says


def _declared(schema: dict[str, Any], version: str) -> int:
    values = [
        schema[k]
        for k in ("additionalProperties", "unevaluatedProperties")
        if k in schema and (k == "additionalProperties" or version == "3.1")
    ]
    if not values:
        return MISSING
    return CLOSED if any(v is False for v in values) else OPEN


def _has_composition(schema: dict[str, Any]) -> bool:
    if "allOf" not in schema and "oneOf" not in schema and "anyOf" not in schema:
        return False  # the common case, without three lookups
    return any(isinstance(schema.get(k), list) for k in ("allOf", "oneOf", "anyOf"))


@functools.cache  # a handful of distinct texts, shared by thousands of findings
def _message(says: int, strict: bool, composition: bool, version: str) -> str:
    whole = (
        " (judged together with its allOf/oneOf/anyOf members: declare it on this composed schema)"
        if composition
        else ""
    )
    if not strict:
        return (
            f"object schema does not declare additionalProperties{whole}: {WHY}. State it: "
            "`additionalProperties: false` to reject unknown fields, or `true` or a schema if extra "
            "fields are intended."
        )
    now = "is not declared" if says == MISSING else "allows extra fields"
    close = "`unevaluatedProperties: false`" if composition and version == "3.1" else "`additionalProperties: false`"
    return (
        f"object schema is open: additionalProperties {now}{whole}, and this repository requires every "
        f"object to be closed because {WHY}. Close it with {close}, or suppress it with "
        f"`{IGNORE_KEY}: {{{RULE_ID}: reason}}`."
    )


def _ignore(schema: dict[str, Any], location: Location, known_rules: set[str]) -> tuple[str, list[Finding]]:
    """The reason this schema's x-guardrails-ignore gives for this rule, and findings for broken entries."""
    value = schema.get(IGNORE_KEY)
    if value is None:
        return "", []
    if not isinstance(value, dict):
        return "", [
            _bad(
                location,
                f"{IGNORE_KEY} must map rule ids to reasons, e.g. "
                f"`{IGNORE_KEY}: {{{RULE_ID}: why extra fields are fine here}}`",
            )
        ]
    problems = []
    for rule in value:
        if rule not in known_rules:
            problems.append(
                _bad(
                    location,
                    f"{IGNORE_KEY} names unknown rule {rule!r}; it suppresses nothing. "
                    "Run `guardrails rules` for the rule ids",
                )
            )
    reason = value.get(RULE_ID)
    if RULE_ID in value and not (isinstance(reason, str) and reason.strip()):
        problems.append(
            _bad(
                location,
                f"{IGNORE_KEY} for {RULE_ID} has no reason, so it does not suppress: "
                "write why extra fields are safe here as its value",
            )
        )
        reason = ""
    return (reason.strip() if isinstance(reason, str) else ""), problems


def _bad(location: Location, message: str) -> Finding:
    return Finding("bad-suppression", Severity.ERROR, location, message)


def _first(seen: set[Any], key: Any) -> bool:
    if key in seen:
        return False
    seen.add(key)
    return True


RULE: Rule[Spec] = Rule(
    id=RULE_ID,
    summary="an object schema that does not declare additionalProperties",
    severity=Severity.ERROR,
    incident=(
        "Object schemas that did not say whether extra fields were allowed let clients send, and servers "
        "return, fields nobody had defined. The validator, the generated clients and the server each "
        "treated them differently, and a misspelt field name passed every check and was silently dropped. "
        "The team made declaring additionalProperties mandatory on every object schema, in every spec."
    ),
    bad=(
        "components:\n  schemas:\n    Refund:\n      type: object\n      properties:\n        amount: {type: integer}"
    ),
    good=(
        "components:\n"
        "  schemas:\n"
        "    Refund:\n"
        "      type: object\n"
        "      additionalProperties: false\n"
        "      properties:\n"
        "        amount: {type: integer}"
    ),
    input="openapi",
    check=check,
    options={
        "require": {
            "enum": ["declared", False],
            "default": "declared",
            "description": "declared: any explicit additionalProperties passes; false: every object must be "
            "closed with additionalProperties: false unless suppressed with a reason",
        },
        "allow_composition_members": {
            "type": "boolean",
            "default": True,
            "description": "judge allOf/oneOf/anyOf members as part of the composed schema, not one by one",
        },
    },
    language="yaml",
)
