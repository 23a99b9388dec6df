"""The loaded Spec seen through the path interface openapi-spec-validator walks.

openapi-spec-validator's semantic checks (unique operationIds, path parameters,
defaults, per-schema meta-checks) walk the spec through jsonschema-path's
SchemaPath, which re-resolves the whole path from the root on every ``in`` and
``/``: 480,000 lookups and 13 s on GitHub's 13 MB description. SpecPath answers
the same calls from the documents guardrails already loaded, following each
``$ref`` once (Spec.resolve caches them), so the library's own checks run
unchanged at dictionary speed.

Only what the library's keyword validators call is offered; the agreement test
(tests/test_openapi_validate.py) runs both paths over the same specs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from guardrails.openapi.document import Document
from guardrails.openapi.spec import Spec, has_unevaluated

_MISSING = object()


@dataclass(frozen=True)
class Resolved:
    """What SchemaPath.resolve() yields: the contents and a resolver for the $refs inside."""

    contents: Any
    resolver: Any


class _Walk:
    """What every SpecPath of one validation shares."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._registry: Any = None

    def resolver(self, doc: Document) -> Any:
        import referencing
        import referencing.jsonschema

        if self._registry is None:
            drafts = referencing.jsonschema
            draft = drafts.DRAFT202012 if has_unevaluated(self.spec.version) else drafts.DRAFT4
            self._registry = referencing.Registry().with_resources(
                (document_uri(d), referencing.Resource.from_contents(d.data, default_specification=draft))
                for d in self.spec.documents.values()
            )
        return self._registry.resolver(base_uri=document_uri(doc))


class SpecPath:
    """One place in a Spec, with $refs on the way to it already followed."""

    __slots__ = ("_walk", "_doc", "_value", "_parent", "_key")

    def __init__(self, walk: _Walk, doc: Document, value: Any, parent: SpecPath | None = None, key: Any = None) -> None:
        self._walk = walk
        self._doc = doc
        self._value = value
        self._parent = parent  # the path is kept as links: only an error ever asks for it
        self._key = key

    @classmethod
    def root(cls, spec: Spec) -> SpecPath:
        return cls(_Walk(spec), spec.root, spec.root.data)

    @property
    def parts(self) -> tuple[Any, ...]:
        """The keys from the root, through any $refs on the way."""
        keys = []
        node: SpecPath | None = self
        while node is not None and node._parent is not None:
            keys.append(node._key)
            node = node._parent
        return tuple(reversed(keys))

    def _child(self, key: Any) -> SpecPath:
        value = self._value
        if type(value) is dict:
            child = value.get(key, _MISSING)
        elif isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
            child = value[key]
        else:
            child = _MISSING
        doc = self._doc
        if type(child) is dict and "$ref" in child and isinstance(child["$ref"], str):
            resolved = self._walk.spec.resolve(child["$ref"], doc)
            if resolved is not None:  # broken, remote and circular refs stay as written (loading reported them)
                doc, child = resolved
        return SpecPath(self._walk, doc, child, self, key)

    def _existing(self) -> Any:
        if self._value is _MISSING:
            raise KeyError(str(self))
        return self._value

    def __truediv__(self, key: Any) -> SpecPath:
        return self._child(key)

    def __contains__(self, key: Any) -> bool:  # asked 400,000 times on GitHub's description
        value = self._value
        if type(value) is dict:  # noqa: E721 - exact type first: parsers build plain dicts
            return key in value
        if isinstance(value, dict):
            return key in value
        if isinstance(value, list):
            return isinstance(key, int) and -len(value) <= key < len(value)
        return False

    def __getitem__(self, key: Any) -> Any:
        child = self._child(key)
        value = child._existing()
        return child if isinstance(value, (dict, list)) else value

    def __iter__(self) -> Iterator[SpecPath]:
        return map(self._child, self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def keys(self) -> list[Any]:
        value = self._existing()
        if isinstance(value, dict):
            return list(value)
        if isinstance(value, list):
            return list(range(len(value)))
        raise KeyError(str(self))

    def items(self) -> Iterator[tuple[Any, SpecPath]]:
        for key in self.keys():
            yield key, self._child(key)

    def read_value(self) -> Any:
        return self._existing()

    def read_str(self, default: Any = _MISSING) -> Any:
        if self._value is _MISSING and default is not _MISSING:
            return default
        value = self._existing()
        if not isinstance(value, str):
            raise TypeError(f"Expected a string value, got {type(value)}")
        return value

    def _clone_with_parts(self, parts: tuple[Any, ...]) -> SpecPath:
        if parts:
            raise NotImplementedError("only the root is asked for")
        return SpecPath(self._walk, self._walk.spec.root, self._walk.spec.root.data)

    @contextmanager
    def resolve(self) -> Iterator[Resolved]:
        """The value and a referencing resolver based at its document, for $refs inside it
        (a default value is validated against its schema with those followed)."""
        yield Resolved(self._existing(), self._walk.resolver(self._doc))

    def __str__(self) -> str:
        return "/".join(map(str, self.parts))


def document_uri(doc: Document) -> str:
    """A URI per document, so relative $refs between them resolve as between files."""
    return "file:///" + doc.path.lstrip("/")
