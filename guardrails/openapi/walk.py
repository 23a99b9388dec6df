"""Find every schema a spec contains, once each, in the file where it is written.

The walk follows the OpenAPI structure (not every mapping: examples and
extensions hold data that merely looks like schemas) and resolves each $ref to
its target, so a schema used in ten places is visited once, where it is
defined. It is iterative, because real specs nest deeper than Python's
recursion limit once refs are followed, and it visits each (mapping, kind)
once, so recursive schemas terminate.
"""

from __future__ import annotations

from typing import Any

from guardrails.openapi.document import Document
from guardrails.openapi.spec import Spec

# How a schema is reached, as bits (a schema reached several ways has several); a rule
# may judge composition members differently.
DEFINITION = 1  # components/schemas, definitions, $defs
MEMBER = 2  # an element of allOf/oneOf/anyOf
USE = 4  # anywhere else

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
COMPOSITIONS = ("allOf", "oneOf", "anyOf")
# schema keyword -> (role of the schemas under it, layout); "any": a schema or a list of them.
_SCHEMA_CHILDREN: dict[str, tuple[int, str]] = {
    "properties": (USE, "map"),
    "patternProperties": (USE, "map"),
    "dependentSchemas": (USE, "map"),
    "$defs": (DEFINITION, "map"),
    "definitions": (DEFINITION, "map"),
    "additionalProperties": (USE, "one"),
    "unevaluatedProperties": (USE, "one"),
    "additionalItems": (USE, "one"),
    "unevaluatedItems": (USE, "one"),
    "contains": (USE, "one"),
    "propertyNames": (USE, "one"),
    "not": (USE, "one"),
    "if": (USE, "one"),
    "then": (USE, "one"),
    "else": (USE, "one"),
    "items": (USE, "any"),
    "prefixItems": (USE, "list"),
    "allOf": (MEMBER, "list"),
    "oneOf": (MEMBER, "list"),
    "anyOf": (MEMBER, "list"),
}

# kind -> [(key, kind of each value, how the value is laid out)]; "one": the value itself,
# "map": a mapping of names to values, "list": a list of values. A kind that is an int is
# a schema reached in that role.
_STRUCTURE: dict[str, list[tuple[str, str | int, str]]] = {
    "root2": [
        ("definitions", DEFINITION, "map"),
        ("parameters", "parameter", "map"),
        ("responses", "response", "map"),
        ("paths", "pathitem", "map"),
    ],
    "root3": [("components", "components", "one"), ("paths", "pathitem", "map"), ("webhooks", "pathitem", "map")],
    "components": [
        ("schemas", DEFINITION, "map"),
        ("parameters", "parameter", "map"),
        ("requestBodies", "requestbody", "map"),
        ("responses", "response", "map"),
        ("headers", "header", "map"),
        ("callbacks", "callback", "map"),
        ("pathItems", "pathitem", "map"),
    ],
    "pathitem": [("parameters", "parameter", "list"), *((m, "operation", "one") for m in METHODS)],
    "operation": [
        ("parameters", "parameter", "list"),
        ("requestBody", "requestbody", "one"),
        ("responses", "response", "map"),
        ("callbacks", "callback", "map"),
    ],
    "parameter": [("schema", USE, "one"), ("content", "mediatype", "map")],
    "requestbody": [("content", "mediatype", "map")],
    "response": [("schema", USE, "one"), ("headers", "header", "map"), ("content", "mediatype", "map")],
    "header": [("schema", USE, "one"), ("content", "mediatype", "map")],
    "mediatype": [("schema", USE, "one"), ("encoding", "encoding", "map")],
    "encoding": [("headers", "header", "map")],
}


class SchemaSite:
    """A schema mapping, the file it is written in, and the roles (bits) it is reached in."""

    __slots__ = ("doc", "schema", "roles")  # one per schema: 40,000 on GitHub's description

    def __init__(self, doc: Document, schema: dict[str, Any], roles: int) -> None:
        self.doc = doc
        self.schema = schema
        self.roles = roles


def schemas(spec: Spec) -> list[SchemaSite]:
    """Every schema mapping in the spec, with how it is reached, in no particular order."""
    found: list[tuple[Document, Any, int]] = []  # schemas the structure holds
    _structure(spec, found)
    sites: dict[int, SchemaSite] = {}
    get_site = sites.get
    resolve = spec.resolve
    children = _SCHEMA_CHILDREN.get
    stack = found
    pop, push = stack.pop, stack.append
    while stack:
        doc, node, role = pop()
        if type(node) is not dict:  # noqa: E721 - exact type: parsers build plain dicts
            continue
        ref = node.get("$ref")
        if type(ref) is str:  # noqa: E721
            resolved = resolve(ref, doc)
            if resolved is None:
                continue  # broken, circular or remote: reported while loading
            doc, node = resolved
            if type(node) is not dict:  # noqa: E721
                continue
        site = get_site(id(node))
        if site is not None:  # visited: only note the new role, so recursive schemas end
            site.roles |= role
            continue
        sites[id(node)] = SchemaSite(doc, node, role)
        for key, value in node.items():
            child = children(key)
            if child is None:
                continue
            child_role, layout = child
            if type(value) is dict:  # noqa: E721
                if layout == "map":
                    for v in value.values():
                        push((doc, v, child_role))
                elif layout != "list":
                    push((doc, value, child_role))
            elif type(value) is list and (layout == "list" or layout == "any"):  # noqa: E721
                for v in value:
                    push((doc, v, child_role))
    return list(sites.values())


def _structure(spec: Spec, found: list[tuple[Document, Any, int]]) -> None:
    """Walk the OpenAPI structure (paths, operations, components...), collecting its schemas."""
    seen: set[tuple[int, str]] = set()
    root_kind = "root2" if spec.version == "2.0" else "root3"
    stack: list[tuple[Document, Any, str | int]] = [(spec.root, spec.root.data, root_kind)]
    while stack:
        doc, node, kind = stack.pop()
        if isinstance(kind, int):
            found.append((doc, node, kind))
            continue
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            resolved = spec.resolve(node["$ref"], doc)
            if resolved is None:
                continue  # broken, circular or remote: reported while loading
            doc, node = resolved
        if not isinstance(node, dict) or (id(node), kind) in seen:
            continue
        seen.add((id(node), kind))
        if kind == "callback":
            stack.extend((doc, v, "pathitem") for k, v in node.items() if not str(k).startswith("x-"))
            continue
        for key, child_kind, layout in _STRUCTURE.get(kind, ()):
            value = node.get(key)
            if value is None:  # most keys are absent: a path item has one or two of nine methods
                continue
            # Schemas go straight to the schema walk; the rest of the structure onto the stack.
            out: list[Any] = found if isinstance(child_kind, int) else stack
            if layout == "one":
                out.append((doc, value, child_kind))
            elif layout == "map" and isinstance(value, dict):
                out.extend((doc, v, child_kind) for k, v in value.items() if not str(k).startswith("x-"))
            elif layout == "list" and isinstance(value, list):
                out.extend((doc, v, child_kind) for v in value)


def members(spec: Spec, doc: Document, schema: dict[str, Any], key: str) -> list[tuple[Document, dict[str, Any]]]:
    """The resolved members of schema[key] (allOf/oneOf/anyOf), each with its file."""
    value = schema.get(key)
    if not isinstance(value, list):
        return []
    out = []
    for member in value:
        member_doc = doc
        if isinstance(member, dict) and isinstance(member.get("$ref"), str):
            resolved = spec.resolve(member["$ref"], doc)
            if resolved is None:
                continue
            member_doc, member = resolved
        if isinstance(member, dict):
            out.append((member_doc, member))
    return out
