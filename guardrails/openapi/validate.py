"""Validate a spec with openapi-spec-validator, remembering the verdict per content.

The library's checks run through fast_validator.py (0.2 s on GitHub's 13 MB
description instead of 14-17 s); the verdict is still cached by a hash of every
file the spec reaches (and the library's version), so an unchanged spec is not
validated again. A spec of a megabyte and more is validated in a forked child
while the rules check it here (start_validation). The ``openapi.validate: false``
setting skips it (see source.py).
The library raises on some structurally invalid specs (a tag without a name,
a parameter that is not an object); such a crash is reported as a finding after
the errors found before it, never passed on.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from functools import partial, reduce
from pathlib import Path
from typing import Any

from guardrails.findings import Finding, Location, Severity
from guardrails.openapi.document import Document
from guardrails.openapi.spec import Spec

MAX_ERRORS = 500  # past this the spec is clearly not valid; the rest would be noise
_MAX_MESSAGE = 300
_FORMAT = 2
# Specs this large are validated in a child process (see start_validation). Below it the
# rules take too little time to overlap, and each child would import the library again.
FORK_BYTES = 1024 * 1024


def cache_dir() -> Path:
    from guardrails import cache

    return cache.cache_dir("openapi-validation")


def start_validation(spec: Spec, root_dir: Path) -> Callable[[], list[Finding]]:
    """The spec's validation, started now; the function returned gives its parse-error findings:
    what the validator rejects (at most MAX_ERRORS), or its crash.

    A spec of FORK_BYTES and more that is not in the verdict cache is validated in a forked
    child (parallel.Forked), which inherits the parsed spec, so the library's import and its
    checks run on another core while the rules check the spec here. The answer is the same
    as in-process (the child sends back the errors, placed here); call it before the spec
    is released."""
    from importlib.metadata import version

    from guardrails.parallel import Forked, cores

    key = _cache_key(spec, version("openapi-spec-validator"))
    cached = _read_cache(key)
    running = None
    if cached is None:
        size = sum(len(d.text) for d in spec.documents.values())
        running = Forked(partial(_run_validator, spec, root_dir), fork=size >= FORK_BYTES and cores() > 1)

    def findings() -> list[Finding]:
        verdict = cached
        if running is not None:
            verdict = running.result()
            _write_cache(key, verdict)
        errors = verdict or []
        places = _locate_all(spec, [path for _, path in errors])
        # each error is its own finding, even where several name one place (engine: "distinct")
        return [
            Finding("parse-error", Severity.WARNING, place, message, extra={"distinct": "validator"})
            for (message, _), place in zip(errors, places, strict=True)
        ]

    return findings


def _run_validator(spec: Spec, root_dir: Path) -> list[tuple[str, list[Any]]]:
    from guardrails.openapi.fast_validator import iter_errors, place_of
    from guardrails.openapi.walk import child_pointer, pointer_text

    name = f"OpenAPI {spec.version}" if spec.version != "2.0" else "Swagger 2.0"
    base_uri = (root_dir / spec.path).resolve().as_uri()
    out: list[tuple[str, list[Any]]] = []
    try:
        for error in iter_errors(spec, base_uri):
            where = place_of(error)
            # the first paragraph: jsonschema-rs appends the failing schema and instance after a blank line
            text = _shorten((getattr(error, "message", None) or str(error)).split("\n\n")[0])
            at = pointer_text(reduce(child_pointer, where, "")) if where else "the top level"
            out.append((f"invalid {name} spec: {text} (at {at}; openapi-spec-validator)", where))
            if len(out) >= MAX_ERRORS:
                out.append((f"invalid {name} spec: stopped after {MAX_ERRORS} validation errors", []))
                break
    except RecursionError:
        out.append(
            (
                f"openapi-spec-validator gave up on this {name} spec (recursion too deep); "
                "guardrails still checked what it could read",
                [],
            )
        )
    except Exception as exc:  # the validator's own bugs must not stop the checks
        out.append(
            (
                f"openapi-spec-validator crashed on this {name} spec after {len(out)} errors "
                f"({type(exc).__name__}: {_shorten(str(exc))}); guardrails still checked what it could read",
                [],
            )
        )
    return out


def _locate_all(spec: Spec, paths: list[list[Any]]) -> list[Location]:
    """For each path from the root, the position of the deepest mapping on it that has one,
    following $refs into other files. Positions are asked for once per document, for every
    mapping on every path: one at a time, each would count lines from the top of the file."""
    walks = [_walk(spec, path) for path in paths]
    wanted: dict[int, tuple[Document, list[Any]]] = {}
    for walk in walks:
        for doc, node in walk:
            wanted.setdefault(id(doc), (doc, []))[1].append(node)
    where: dict[tuple[int, int], tuple[int, int]] = {}
    for doc, nodes in wanted.values():
        for node_id, position in doc.positions(nodes).items():
            where[(id(doc), node_id)] = position
    out = []
    for walk in walks:
        best = Location(spec.path, 1, 1)
        for doc, node in walk:
            line, column = where[(id(doc), id(node))]
            if line:
                best = Location(doc.path, line, column)
        out.append(best)
    return out


def _walk(spec: Spec, path: Iterable[str]) -> list[tuple[Document, Any]]:
    """The mappings on path from the root, each with the document it is written in."""
    doc: Document = spec.root
    node: Any = doc.data
    out: list[tuple[Document, Any]] = []
    for part in path:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            resolved = spec.resolve(node["$ref"], doc)
            if resolved is None:
                break
            doc, node = resolved
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            break
        if isinstance(node, dict):
            out.append((doc, node))
    return out


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _cache_key(spec: Spec, validator_version: str) -> str:
    # _FORMAT: what guardrails keeps of each error; a change must not serve old verdicts
    digest = hashlib.sha256(f"{_FORMAT}\0{validator_version}\0{spec.version}\0{spec.path}\0".encode())
    for path in sorted(spec.documents):
        digest.update(path.encode() + b"\0")
        text = spec.documents[path].text
        digest.update(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _read_cache(key: str) -> list[tuple[str, list[Any]]] | None:
    try:
        data = json.loads((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
        return [(str(m), list(p)) for m, p in data]
    except (OSError, ValueError, TypeError):
        return None


def _write_cache(key: str, result: list[tuple[str, list[Any]]]) -> None:
    target = cache_dir() / f"{key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps(result), encoding="utf-8")
        temp.replace(target)
    except OSError:
        pass  # a read-only home only costs the next run the validation time
