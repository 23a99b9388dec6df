"""Validate a spec with openapi-spec-validator, remembering the verdict per content.

The library's checks run through fast_validator.py (0.2 s on GitHub's 13 MB
description instead of 14-17 s); the verdict is still cached by a hash of every
file the spec reaches (and the library's version), so an unchanged spec is not
validated again. A spec of a megabyte and more is validated in another process
while the rules check it here (start_validation): on a first run, in a child started
before the parse, which imports the library meanwhile (EarlyValidator). The
``openapi.validate: false`` setting skips it (see source.py).
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
from typing import TYPE_CHECKING, Any

from guardrails.findings import Finding, Location, Severity
from guardrails.openapi.document import Document
from guardrails.openapi.spec import Spec

if TYPE_CHECKING:
    from guardrails.parallel import Forked

MAX_ERRORS = 500  # past this the spec is clearly not valid; the rest would be noise
_MAX_MESSAGE = 300
_FORMAT = 2
# Specs this large are validated in a child process (see start_validation). Below it the
# rules take too little time to overlap, and each child would import the library again.
FORK_BYTES = 1024 * 1024
_KIND = "openapi-validation"  # the user cache's directory for verdicts and root markers


def cache_dir() -> Path:
    from guardrails import cache

    return cache.cache_dir(_KIND)


Verdict = list[tuple[str, list[Any]]]  # (message, path from the root) of each error


def start_validation(spec: Spec, root_dir: Path, early: EarlyValidator | None = None) -> Callable[[], list[Finding]]:
    """The spec's validation, started now; the function returned gives its parse-error findings:
    what the validator rejects (at most MAX_ERRORS), or its crash.

    A spec of FORK_BYTES and more that is not in the verdict cache is validated in another
    process while the rules check it here: in ``early`` (see EarlyValidator), handed the
    parsed spec now, or else in a child forked now (parallel.Forked), which inherits it. The
    answer is the same as in-process (the child sends back the errors, placed here); call it
    before the spec is released."""
    from guardrails.parallel import Forked, cores

    key = verdict_key(spec)
    cached = _read_cache(key)
    running: EarlyValidator | Forked[Verdict] | None = None
    if cached is not None:
        if early is not None:
            early.close()
    elif early is not None and early.hand(spec):
        running = early
    else:
        size = sum(len(d.text) for d in spec.documents.values())
        running = Forked(partial(run_validator, spec, root_dir), fork=size >= FORK_BYTES and cores() > 1)

    def findings() -> list[Finding]:
        verdict = cached
        if running is not None:
            verdict = running.result()
            _write_cache(key, verdict, root_marker(spec.path, spec.root.text))
        errors = verdict or []
        places = _locate_all(spec, [path for _, path in errors])
        # each error is its own finding, even where several name one place (engine: "distinct")
        return [
            Finding("parse-error", Severity.WARNING, place, message, extra={"distinct": "validator"})
            for (message, _), place in zip(errors, places, strict=True)
        ]

    return findings


class EarlyValidator:
    """A validator child started before the spec is parsed. It imports openapi-spec-validator
    (0.2-0.3 s) while this process parses; hand() then gives it the parsed documents (marshal:
    0.03 s to write and 0.04 s to read on GitHub's 13 MB description, against 0.1 s to parse
    again), and it validates them while the rules check the spec here. It is the same data
    the rules see, so the verdict is the one an in-process run gives; where the child gives
    no answer, result() validates here.

    The data goes through an unlinked file, in one write, and a pipe says it is there: written
    into a pipe, it would go 64 KB at a time, each waiting for this process's rules to let go
    of the interpreter."""

    def __init__(self, root_dir: Path) -> None:
        import tempfile

        from guardrails.parallel import Forked

        self._root_dir = root_dir
        self._spec: Spec | None = None
        self._data = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close() and result()
        read_end, self._ready = os.pipe()
        self._child: Forked[Verdict] = Forked(
            partial(_validate_handed, read_end, self._ready, self._data.fileno(), root_dir),
            fallback=self._validate_here,
        )
        os.close(read_end)
        if not self._child.forked:  # no fork: nothing was started (validate.py's other paths apply)
            self.close()

    @property
    def running(self) -> bool:
        return self._child.forked

    def hand(self, spec: Spec) -> bool:
        """Give the parsed spec to the child; False (the child stopped) if it is not running or the
        data cannot be sent (marshal takes plain data only: a YAML tag's object would not go)."""
        import marshal

        if not self.running:
            return False
        self._spec = spec
        try:
            payload = marshal.dumps((spec.path, spec.version, _handed_data(spec), sorted(spec.unparsed)))
            self._data.write(payload)
            self._data.flush()
            os.write(self._ready, len(payload).to_bytes(8, "little"))
        except (ValueError, OSError):  # not plain data, a full disk, a child gone: no early answer
            self.close()
            return False
        return True

    def result(self) -> Verdict:
        try:
            return self._child.result()
        finally:
            self.close()

    def close(self) -> None:
        self._child.close()
        self._data.close()
        if self._ready >= 0:
            os.close(self._ready)
            self._ready = -1

    def _validate_here(self) -> Verdict:
        assert self._spec is not None, "result() comes after hand()"
        return run_validator(self._spec, self._root_dir)


def _handed_data(spec: Spec) -> dict[str, Any]:
    return {path: doc.data for path, doc in spec.documents.items()}


def _validate_handed(ready: int, ready_write_end: int, data: int, root_dir: Path) -> Verdict:
    """In the early child: import the library, then validate the documents handed over."""
    import gc
    import marshal

    os.close(ready_write_end)  # so that the parent's close, without data, ends the wait
    gc.disable()  # plain data and a process that ends after one validation: nothing to collect
    import openapi_spec_validator  # noqa: F401 - imported while the parent parses: the point of this child

    size = int.from_bytes(os.read(ready, 8), "little")
    payload = bytearray()
    while len(payload) < size:
        chunk = os.pread(data, size - len(payload), len(payload))
        if not chunk:
            raise OSError("the spec's data ended early")
        payload += chunk
    path, version, documents, unparsed = marshal.loads(payload)
    del payload
    spec = Spec(path, version, {p: Document(p, value, b"") for p, value in documents.items()}, unparsed=set(unparsed))
    # Kept until the child's os._exit: freed when this returns, the tree would be taken apart
    # object by object (20 ms on GitHub's description) before the answer is sent.
    _KEPT_BY_THE_CHILD.append(spec)
    return run_validator(spec, root_dir)


_KEPT_BY_THE_CHILD: list[Spec] = []


def run_validator(spec: Spec, root_dir: Path) -> Verdict:
    from guardrails.openapi.fast_validator import iter_errors, place_of
    from guardrails.openapi.walk import child_pointer, pointer_text

    name = f"OpenAPI {spec.version}" if spec.version != "2.0" else "Swagger 2.0"
    base_uri = (root_dir / spec.path).resolve().as_uri()
    out: Verdict = []
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


def verdict_key(spec: Spec) -> str:
    """What a verdict is cached under: every file the spec reaches and the validator's version."""
    # _FORMAT: what guardrails keeps of each error; a change must not serve old verdicts
    digest = hashlib.sha256(f"{_FORMAT}\0{_validator_version()}\0{spec.version}\0{spec.path}\0".encode())
    for path in sorted(spec.documents):
        digest.update(path.encode() + b"\0")
        digest.update(_bytes(spec.documents[path].text))
        digest.update(b"\0")
    return digest.hexdigest()


def root_marker(path: str, text: str | bytes) -> str:
    """A verdict for a spec with this root file was cached: known before anything is parsed,
    so that source.py starts no early child for a spec whose verdict is probably cached (its
    other files may have changed: then the verdict key misses, and the spec is validated)."""
    digest = hashlib.sha256(f"root\0{_FORMAT}\0{_validator_version()}\0{path}\0".encode())
    digest.update(_bytes(text))
    return digest.hexdigest()


def probably_cached(path: str, text: str | bytes) -> bool:
    from guardrails import cache

    return cache.known(_KIND, f"{root_marker(path, text)}.root")


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def _validator_version() -> str:
    """The installed openapi-spec-validator (name-version), from the directory listing the
    registry made already: importlib.metadata costs 10 ms to import."""
    from guardrails.distributions import normalize
    from guardrails.registry import installed_distributions

    known = installed_distributions().directories.get(normalize("openapi-spec-validator"))
    if known:
        return known
    from importlib.metadata import version

    return version("openapi-spec-validator")


def _read_cache(key: str) -> Verdict | None:
    try:
        data = json.loads((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
        return [(str(m), list(p)) for m, p in data]
    except (OSError, ValueError, TypeError):
        return None


def _write_cache(key: str, result: Verdict, marker: str) -> None:
    target = cache_dir() / f"{key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps(result), encoding="utf-8")
        temp.replace(target)
    except OSError:
        return  # a read-only home only costs the next run the validation time
    from guardrails import cache

    cache.remember(_KIND, f"{marker}.root")
