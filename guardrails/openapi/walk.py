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
MEMBER = 2  # an element of allOf: validated together with the other members
USE = 4  # anywhere else
BRANCH = 8  # an element of oneOf/anyOf: validated on its own

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
    "oneOf": (BRANCH, "list"),
    "anyOf": (BRANCH, "list"),
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
    "pathitem": [
        ("parameters", "parameter", "list"),
        ("additionalOperations", "operation", "map"),  # 3.2: methods beyond the fixed fields
        *((m, "operation", "one") for m in METHODS),
    ],
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
    "mediatype": [("schema", USE, "one"), ("itemSchema", USE, "one"), ("encoding", "encoding", "map")],
    "encoding": [("headers", "header", "map")],
}


class SchemaSite:
    """A schema mapping, the file it is written in, its JSON pointer in that file (RFC 6901,
    "" for the whole file) and the roles (bits) it is reached in."""

    __slots__ = ("doc", "schema", "roles", "pointer")  # one per schema: 40,000 on GitHub's description

    def __init__(self, doc: Document, schema: dict[str, Any], roles: int, pointer: str) -> None:
        self.doc = doc
        self.schema = schema
        self.roles = roles
        self.pointer = pointer


def pointer_text(pointer: str) -> str:
    """A pointer as users write it in a $ref: ``#/components/schemas/Pet``, keys escaped."""
    return "#" + pointer


def child_pointer(parent: str, key: Any) -> str:
    """The pointer of key under the pointer parent, the key escaped as RFC 6901 says."""
    key = str(key)
    if "~" in key or "/" in key:
        key = key.replace("~", "~0").replace("/", "~1")
    return f"{parent}/{key}"


def schemas(spec: Spec) -> list[SchemaSite]:
    """Every schema mapping in the spec, with how it is reached, in no particular order."""
    found: list[tuple[Document, Any, int, str]] = []  # schemas the structure holds
    _structure(spec, found)
    sites: dict[int, SchemaSite] = {}
    get_site = sites.get
    resolve = spec.resolve_at
    children = _SCHEMA_CHILDREN.get
    stack = found
    pop, push = stack.pop, stack.append
    while stack:
        doc, node, role, at = pop()
        if type(node) is not dict:  # noqa: E721 - exact type: parsers build plain dicts
            continue
        ref = node.get("$ref")
        if type(ref) is str:  # noqa: E721
            resolved = resolve(ref, doc)
            if resolved is None:
                continue  # broken, circular or remote: reported while loading
            doc, node, at = resolved
            if type(node) is not dict:  # noqa: E721
                continue
        site = get_site(id(node))
        if site is not None:  # visited: only note the new role, so recursive schemas end
            site.roles |= role
            continue
        sites[id(node)] = SchemaSite(doc, node, role, at)
        for key, value in node.items():
            child = children(key)
            if child is None:
                continue
            child_role, layout = child
            here = at + "/" + key
            if type(value) is dict:  # noqa: E721
                if layout == "map":
                    for k, v in value.items():
                        push((doc, v, child_role, child_pointer(here, k)))
                elif layout != "list":
                    push((doc, value, child_role, here))
            elif type(value) is list and (layout == "list" or layout == "any"):  # noqa: E721
                for i, v in enumerate(value):
                    push((doc, v, child_role, f"{here}/{i}"))
    return list(sites.values())


def _structure(spec: Spec, found: list[tuple[Document, Any, int, str]]) -> None:
    """Walk the OpenAPI structure (paths, operations, components...), collecting its schemas."""
    seen: set[tuple[int, str]] = set()
    root_kind = "root2" if spec.version == "2.0" else "root3"
    stack: list[tuple[Document, Any, str | int, str]] = [(spec.root, spec.root.data, root_kind, "")]
    while stack:
        doc, node, kind, at = stack.pop()
        if isinstance(kind, int):
            found.append((doc, node, kind, at))
            continue
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            resolved = spec.resolve_at(node["$ref"], doc)
            if resolved is None:
                continue  # broken, circular or remote: reported while loading
            doc, node, at = resolved
        if not isinstance(node, dict) or (id(node), kind) in seen:
            continue
        seen.add((id(node), kind))
        if kind == "callback":
            paths = ((k, v) for k, v in node.items() if not str(k).startswith("x-"))
            stack.extend((doc, v, "pathitem", child_pointer(at, k)) for k, v in paths)
            continue
        for key, child_kind, layout in _STRUCTURE.get(kind, ()):
            value = node.get(key)
            if value is None:  # most keys are absent: a path item has one or two of nine methods
                continue
            # Schemas go straight to the schema walk; the rest of the structure onto the stack.
            out: list[Any] = found if isinstance(child_kind, int) else stack
            here = at + "/" + key
            if layout == "one":
                out.append((doc, value, child_kind, here))
            elif layout == "map" and isinstance(value, dict):
                named = ((k, v) for k, v in value.items() if not str(k).startswith("x-"))
                out.extend((doc, v, child_kind, child_pointer(here, k)) for k, v in named)
            elif layout == "list" and isinstance(value, list):
                out.extend((doc, v, child_kind, f"{here}/{i}") for i, v in enumerate(value))


def members(
    spec: Spec, doc: Document, schema: dict[str, Any], key: str, at: str = ""
) -> list[tuple[Document, dict[str, Any], str]]:
    """The resolved members of schema[key] (allOf/oneOf/anyOf), each with its file and its
    pointer there (``at``: the pointer of schema)."""
    value = schema.get(key)
    if not isinstance(value, list):
        return []
    out = []
    for i, member in enumerate(value):
        member_doc, member_at = doc, f"{at}/{key}/{i}"
        if isinstance(member, dict) and isinstance(member.get("$ref"), str):
            resolved = spec.resolve_at(member["$ref"], doc)
            if resolved is None:
                continue
            member_doc, member, member_at = resolved
        if isinstance(member, dict):
            out.append((member_doc, member, member_at))
    return out
