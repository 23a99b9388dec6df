"""YAML specs read with rapidyaml: the data, and where each mapping starts, on request.

PyYAML's C composer builds a Python node with two marks for every value before guardrails
builds the data: 6 s on a 10 MB spec. rapidyaml (C++) parses into its own tree in a tenth
of that; the data is built from the tree in one pass, and a mapping's position (its first
key's byte offset, read from the key's view into the parsed buffer) is taken only for the
mappings a finding or a validation error names.

Scalars are resolved as the PyYAML reader resolves them (document.py: YAML 1.1 numbers and
nulls, YAML 1.2 booleans, dates kept as strings), so both readers give the same data. Any
YAML rapidyaml rejects goes back to the PyYAML reader, whose messages name the line.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import partial
from typing import Any

_RESOLVED = "tag:yaml.org,2002:"
_NONE = 2**64 - 1  # rapidyaml's NONE: no such node
# A plain scalar starting with one of these may be a number, a null or a boolean; any other
# is a string (most scalars: descriptions, names, URLs), settled without a regular expression.
_MAYBE_TYPED = frozenset(b"0123456789+-.~nNtTfF")


class RapidYamlUnavailable(Exception):
    """rapidyaml is not installed, or rejected the text: read it with PyYAML instead."""


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


def _address(view: Any) -> int:
    """Where a buffer's bytes start in memory (the buffer protocol, read-only views too)."""
    buffer = _PyBuffer()
    ctypes.pythonapi.PyObject_GetBuffer(ctypes.py_object(view), ctypes.byref(buffer), 0)
    try:
        return int(buffer.buf or 0)
    finally:
        ctypes.pythonapi.PyBuffer_Release(ctypes.byref(buffer))


class YamlIndex:
    """Byte offsets of mappings of one parsed YAML text, computed on request."""

    def __init__(self, tree: Any, buffer: bytearray, maps: dict[int, int], holders: dict[int, int]) -> None:
        self._tree = tree  # rapidyaml's tree; its key views point into buffer
        self._buffer = buffer
        self._maps = maps  # id(dict) -> its tree node
        self._holders = holders  # id(dict) -> tree node whose key holds it
        self._base = _address(buffer)

    def offsets(self, objs: list[Any]) -> dict[int, int]:
        """The offset where each mapping in objs starts (its first key, or the { of a flow
        mapping, or the quote of a quoted key), by id."""
        out = {}
        buffer = self._buffer
        for obj in objs:
            node = self._maps.get(id(obj))
            at = None if node is None else self._first_key(node)
            if at is None:
                at = self._empty_at(obj)
                if at is not None:
                    out[id(obj)] = at
                continue
            if at > 0 and buffer[at - 1] in b"'\"":
                at -= 1
            back = _before(buffer, at)
            if back >= 0 and buffer[back] == ord("{"):
                at = back
            out[id(obj)] = _properties_start(buffer, at)
        return out

    def key_offset(self, obj: Any) -> int | None:
        """The offset of the key whose value obj is, if any."""
        node = self._holders.get(id(obj))
        return None if node is None else self._key_offset(node)

    def _empty_at(self, obj: Any) -> int | None:
        """Where the {} of an empty mapping under a key is: after that key's colon."""
        node = self._holders.get(id(obj))
        at = None if node is None else self._key_offset(node)
        if at is None:
            return None
        brace = self._buffer.find(b"{", at)
        return brace if brace >= 0 else None

    def _first_key(self, node: int) -> int | None:
        child = self._tree.first_child(node)
        return None if child == _NONE else self._key_offset(child)

    def close(self) -> None:
        self._maps.clear()
        self._holders.clear()

    def _key_offset(self, node: int) -> int | None:
        view = self._tree.key(node)
        if view is None or len(view) == 0:
            return None
        at = _address(view) - self._base
        return at if 0 <= at < len(self._buffer) else None


def _before(buffer: bytearray, at: int) -> int:
    """The offset of the last byte before at that is not white space (-1 if none)."""
    back = at - 1
    while back >= 0 and buffer[back] in b" \t\r\n":
        back -= 1
    return back


def _properties_start(buffer: bytearray, at: int) -> int:
    """Where a node written at ``at`` starts as PyYAML marks it: at its anchor or tag
    (``&base {...}``, ``!!map``), if it has them."""
    for _ in range(2):  # a tag and an anchor, in either order
        end = _before(buffer, at)
        start = end
        while start > 0 and buffer[start - 1] not in b" \t\r\n":
            start -= 1
        if end < 0 or buffer[start] not in b"&!":
            break
        at = start
    return at


def load(raw: bytes, marker: str) -> tuple[Any, YamlIndex, list[dict[str, Any]], list[dict[str, Any]]]:
    """The data, its index, the mappings holding a string $ref and those holding ``marker``;
    raises RapidYamlUnavailable when rapidyaml is missing or rejects the text."""
    try:
        import ryml
    except ImportError:
        raise RapidYamlUnavailable("rapidyaml is not installed") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise RapidYamlUnavailable("byte-order mark")  # rare; offsets would shift
    buffer = bytearray(raw)
    try:
        tree = ryml.parse_in_place(buffer)
    except Exception as exc:  # its parse errors: PyYAML says where, in its words
        raise RapidYamlUnavailable(str(exc)) from None
    root = tree.root_id()
    if tree.is_stream(root):
        if tree.num_children(root) != 1:  # none, or several documents: PyYAML reports those
            raise RapidYamlUnavailable("not one document")
        root = tree.first_child(root)
    builder = _Builder(tree, ryml, marker)
    try:
        data = builder.build(root)
    except RecursionError:
        raise RapidYamlUnavailable("nested too deeply") from None
    return data, YamlIndex(tree, buffer, builder.maps, builder.holders), builder.refs, builder.marked


class _Builder:
    def __init__(self, tree: Any, ryml: Any, marker: str) -> None:
        from guardrails.yamlpos import yaml12_loader

        self.tree = tree
        # rapidyaml's C functions bound to the tree, called without the one-line Python method
        # each wraps them in (SWIG): the walk makes 300,000 such calls on a 3 MB spec
        self.type = _bound(ryml, tree, "type")
        self.key = _bound(ryml, tree, "key")
        self.val = _bound(ryml, tree, "val")
        self.first_child = _bound(ryml, tree, "first_child")
        self.next_sibling = _bound(ryml, tree, "next_sibling")
        self.marker = marker
        self.none = ryml.NONE
        self.container = ryml.MAP | ryml.SEQ
        self.is_map = ryml.MAP
        self.quoted = ryml.VALQUO
        self.tagged = ryml.VALTAG
        self.alias = ryml.VALREF
        self.anchored = ryml.VALANCH
        self.key_special = ryml.KEYTAG | ryml.KEYREF | ryml.KEYANCH
        self.key_quoted = ryml.KEYQUO
        self.anchors: dict[str, Any] = {}
        self.maps: dict[int, int] = {}
        self.holders: dict[int, int] = {}
        self.refs: list[dict[str, Any]] = []
        self.marked: list[dict[str, Any]] = []
        self._resolvers = yaml12_loader().yaml_implicit_resolvers
        self._construct = _constructor()

    def build(self, node: int) -> Any:
        tree = self.tree
        kind = int(self.type(node))
        if kind & self.alias:
            # an alias shares what its anchor built, as PyYAML does: never a copy, so nested
            # aliases (a "billion laughs" document) stay linear in size
            name = bytes(tree.val_ref(node)).decode("utf-8")
            if name not in self.anchors:
                raise RapidYamlUnavailable(f"unknown anchor {name}")  # PyYAML says where
            return self.anchors[name]
        if kind & self.is_map:
            value: Any = self._mapping(node)
        elif kind & self.container:
            value = [self.build(child) for child in self._children(node)]
        else:
            value = self._scalar(node, kind)
        if kind & self.anchored:
            self.anchors[bytes(tree.val_anchor(node)).decode("utf-8")] = value
        return value

    def _mapping(self, node: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.maps[id(out)] = node
        for child in self._children(node):
            kind = int(self.type(child))
            if kind & self.key_special:
                raise RapidYamlUnavailable("tagged, anchored or aliased key")  # rare: PyYAML decides
            view = self.key(child)
            key = "" if view is None else bytes(view).decode("utf-8")
            value = self.build(child)
            if key == "<<" and not kind & self.key_quoted:  # a merge key, as document.py applies it
                for part in value if isinstance(value, list) else [value]:
                    if isinstance(part, dict):
                        for merged_key, merged in part.items():
                            out.setdefault(merged_key, merged)
                continue
            if type(value) is dict:  # noqa: E721
                self.holders.setdefault(id(value), child)  # the key that first holds it
            out[key] = value
        if "$ref" in out and isinstance(out["$ref"], str):
            self.refs.append(out)
        if self.marker in out:
            self.marked.append(out)
        return out

    def _children(self, node: int) -> list[int]:
        none, following = self.none, self.next_sibling
        out = []
        child = self.first_child(node)
        while child != none:
            out.append(child)
            child = following(child)
        return out

    def _scalar(self, node: int, kind: int) -> Any:
        view = self.val(node)
        raw = b"" if view is None else bytes(view)
        if kind & self.tagged:
            return self._tagged(node, raw)
        if kind & self.quoted or (raw and raw[0] not in _MAYBE_TYPED):
            return raw.decode("utf-8")
        text = raw.decode("utf-8")
        if not text:
            return None
        for tag, pattern in self._resolvers.get(text[0], ()):
            if pattern.match(text):
                if tag == _RESOLVED + "timestamp":
                    return text  # document.py: dates stay strings
                try:
                    return self._construct(tag, text)
                except Exception:  # as document.py: what cannot be built stays its text
                    return text
        return text

    def _tagged(self, node: int, raw: bytes) -> Any:
        tag = bytes(self.tree.val_tag(node)).decode("utf-8")
        text = raw.decode("utf-8")
        if tag in ("!!str", _RESOLVED + "str"):
            return text
        if tag.startswith("!!"):
            tag = _RESOLVED + tag[2:]
        if tag in (_RESOLVED + "int", _RESOLVED + "float", _RESOLVED + "bool", _RESOLVED + "null"):
            try:
                return self._construct(tag, text)
            except ValueError:
                return text
        raise RapidYamlUnavailable(f"tag {tag}")  # binary, set, custom tags: PyYAML's rules


def _bound(ryml: Any, tree: Any, name: str) -> Callable[[int], Any]:
    function = getattr(getattr(ryml, "_ryml", None), f"Tree_{name}", None)
    if function is None:  # another build of the bindings: its methods, as they are
        return getattr(tree, name)
    return partial(function, tree)


def _constructor() -> Callable[[str, str], Any]:
    import yaml

    loader = yaml.SafeLoader("")

    def construct(tag: str, text: str) -> Any:
        return loader.construct_object(yaml.ScalarNode(tag, text))

    return construct
