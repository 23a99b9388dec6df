"""openapi-spec-validator's own checks, run at the speed a CI step needs.

The library takes 14-17 s on GitHub's 13 MB description; the same checks run
here in 0.2 s. Nothing is re-implemented: the three costs are removed through the
library's own extension points.

- Its structural stage (the spec against the official OAS JSON Schema) uses the
  library's jsonschema-rs backend, which it picks whenever jsonschema-rs is
  installed (a dependency of guardrails).
- Its semantic stage walks the spec through jsonschema-path, which re-resolves
  every path from the root on each access; the walk gets a SpecPath instead
  (spec_path.py), over the documents guardrails already loaded.
- Its schema checker remembers visited schemas in lists (quadratic on 7,400
  schemas) and meta-checks each schema with the pure-Python jsonschema. The
  ``schema`` keyword validator, which the library lets a subclass replace, keeps
  them in sets and asks jsonschema-rs first: only a schema it rejects goes to the
  library's own checker, so every message is still the library's.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator
from functools import cache, lru_cache, partial
from typing import Any

from guardrails.openapi.spec import Spec
from guardrails.openapi.spec_path import SpecPath

_LIBRARY_CLASSES = {
    "2.0": "OpenAPIV2SpecValidator",
    "3.0": "OpenAPIV30SpecValidator",
    "3.1": "OpenAPIV31SpecValidator",
    "3.2": "OpenAPIV32SpecValidator",
}


def iter_errors(spec: Spec, base_uri: str) -> Iterator[Any]:
    """The library's errors for spec, in the library's order, each marked with its place (see
    place_of). Marking costs a quarter of the validation time, so a spec is first checked
    without it up to its first error: a valid spec, the common case, is checked once."""
    try:
        if next(_errors(spec, base_uri, placed=False), None) is None:
            return
    except Exception:  # the library's crash: the marked run below meets it again, and reports it
        pass
    yield from _errors(spec, base_uri, placed=True)


def _errors(spec: Spec, base_uri: str, placed: bool) -> Iterator[Any]:
    cls = _validator_class(spec.version, placed)
    validator = cls(spec.root.data, base_uri=base_uri)
    validator.schema_path = SpecPath.root(spec)
    try:
        yield from validator.iter_errors()
    finally:
        # The library memoizes iter_errors per validator with an unbounded lru_cache, which would
        # keep every spec it saw, and their parsed documents, alive until exit.
        cache_clear = getattr(getattr(cls.iter_errors, "__wrapped__", None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


# Set on each error of the semantic stage: the parts (from the spec's root) of the place the
# keyword validator that found it was checking. The library's errors of that stage carry no
# path (a duplicate operationId, an unresolved path parameter, a default that does not fit).
PLACE = "guardrails_place"


def place_of(error: Any) -> list[str]:
    """Where an error of iter_errors belongs: its own path when it has one from the root, else
    the place its keyword validator was checking, else [] (the top level)."""
    own = [str(p) for p in getattr(error, "absolute_path", ())]
    place = getattr(error, PLACE, None)
    if place is None or own[: len(place)] == place:
        return own
    return place  # a path relative to a checked value (a default's), not from the root


@cache
def _validator_class(version: str, placed: bool) -> Any:
    import openapi_spec_validator

    library = getattr(openapi_spec_validator, _LIBRARY_CLASSES[version])
    keywords = {**library.keyword_validators, "schema": _fast_schema_checker(library.keyword_validators["schema"])}
    if placed:
        keywords = {name: _placed(cls) for name, cls in keywords.items()}
    return type(library.__name__, (library,), {"keyword_validators": keywords})


def _placed(library: type) -> type:
    """The keyword validator, each error it yields marked with the place it was checking."""
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        where = next((a for a in args if isinstance(a, SpecPath)), None)
        for error in library.__call__(self, *args, **kwargs):
            if where is not None and getattr(error, PLACE, None) is None:
                if not isinstance(error, OpenAPIValidationError):  # as the library wraps it, keeping PLACE
                    error = OpenAPIValidationError.create_from(error)
                setattr(error, PLACE, [str(p) for p in where.parts])
            yield error

    return type(library.__name__, (library,), {"__call__": __call__})


class _IdSet(set[int]):
    """What the library keeps schema ids in (a list: ``append`` and ``in``), as a set: both at
    C speed, without a Python call each (90,000 of them on GitHub's description)."""

    append = set.add


def _fast_schema_checker(library: type) -> type:
    def __init__(self: Any, registry: Any) -> None:
        library.__init__(self, registry)  # type: ignore[misc]
        self.visited_schema_ids = _IdSet()
        self.meta_checked_schema_ids = _IdSet()

    def _get_schema_checker(self: Any, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        checker: Callable[[Any], None] = library._get_schema_checker(self, schema, schema_value)  # type: ignore[attr-defined]
        fast = _rust_checker(checker)
        if fast is None:
            return checker

        def check(value: Any) -> None:
            if not fast.is_valid(value):
                checker(value)  # the library's own verdict and message

        return check

    def _validate_schema_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        error = library._validate_schema_meta(self, schema, schema_value)  # type: ignore[attr-defined]
        if error is not None and isinstance(schema, SpecPath):
            # the library's error path starts at the schema; reports need it from the spec's root
            error.path = error.relative_path = deque([*schema.parts, *error.relative_path])
        return error

    return type(
        library.__name__,
        (library,),
        {
            "__init__": __init__,
            "_get_schema_checker": _get_schema_checker,
            "_validate_schema_meta": _validate_schema_meta,
        },
    )


def _rust_checker(checker: Callable[[Any], None]) -> Any:
    """A jsonschema-rs validator of the meta-schema the library's checker uses, or None."""
    if isinstance(checker, partial):
        function, format_checker = checker.func, checker.keywords.get("format_checker")
    else:
        function, format_checker = checker, None
    cls = getattr(function, "__self__", None)
    meta_schema = getattr(cls, "META_SCHEMA", None)
    if meta_schema is None:
        return None
    return _rust_validator(cls, format_checker or getattr(cls, "FORMAT_CHECKER", None))


@cache
def _rust_validator(cls: type, format_checker: Any) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    # the library's format checks, not jsonschema-rs's: a pattern is a Python regex to it
    formats: dict[str, Callable[..., bool]] = {}
    if format_checker is not None:
        formats = {name: partial(format_checker.conforms, format=name) for name in format_checker.checkers}
    try:
        return jsonschema_rs.validator_for(
            cls.META_SCHEMA,  # type: ignore[attr-defined]
            formats=formats,
            validate_formats=format_checker is not None,
            registry=_rust_registry(),
        )
    except Exception:  # a meta-schema jsonschema-rs cannot compile: the library checks alone
        return None


@lru_cache(maxsize=1)
def _rust_registry() -> Any:
    """The OpenAPI dialects and vocabularies openapi-schema-validator ships, for jsonschema-rs."""
    from importlib.resources import files

    import jsonschema_rs

    resources = []
    pending = [files("openapi_schema_validator").joinpath("schemas")]
    while pending:
        for entry in pending.pop().iterdir():
            if entry.is_dir():
                pending.append(entry)
                continue
            try:
                contents = json.loads(entry.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
                resources.append((contents["$id"], contents))
    return jsonschema_rs.Registry(resources)
