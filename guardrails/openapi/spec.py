"""A spec as a set of documents joined by relative ``$ref``s, loaded once, refs checked once."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from guardrails.findings import Finding, Location, Severity
from guardrails.openapi.document import Document, DocumentError, parse_document
from guardrails.openapi.refs import RefError, follow_pointer, is_remote, split_ref

_UNSEEN = object()


@dataclass
class Spec:
    """The unit the openapi input yields: a root document and every file it reaches."""

    path: str  # the root file
    version: str  # "2.0", "3.0", "3.1" or "3.2"
    documents: dict[str, Document]
    problems: list[Finding] = field(default_factory=list)  # broken refs, found while loading
    checked: set[str] = field(default_factory=set)  # the documents in scope: findings only there
    unparsed: set[str] = field(default_factory=set)  # files it reaches that are not YAML or JSON
    # (ref, file it is written in) -> resolve_at()'s answer: a large spec uses one ref thousands of times.
    _resolved: dict[tuple[str, str], tuple[Document, Any, str] | None] = field(default_factory=dict, repr=False)

    def release(self) -> None:
        """Let go of the parsed files once every rule has seen them (the engine keeps the unit)."""
        for doc in self.documents.values():
            if doc.index is not None:
                doc.index.close()
        self.documents.clear()
        self._resolved.clear()

    @property
    def root(self) -> Document:
        return self.documents[self.path]

    def resolve(self, ref: str, doc: Document) -> tuple[Document, Any] | None:
        """Follow a $ref chain to what it finally names; None if remote, broken or circular
        (loading reported those)."""
        found = self.resolve_at(ref, doc)
        return None if found is None else (found[0], found[1])

    def resolve_at(self, ref: str, doc: Document) -> tuple[Document, Any, str] | None:
        """resolve(), plus the JSON pointer (RFC 6901, not URI-encoded) of what it names in its file."""
        key = (ref, doc.path)
        found = self._resolved.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._resolved[key] = self._resolve(ref, doc)
        return found  # type: ignore[return-value]

    def _resolve(self, ref: str, doc: Document) -> tuple[Document, Any, str] | None:
        seen: set[tuple[str, str]] = set()
        while True:
            if is_remote(ref):
                return None
            try:
                file, pointer = split_ref(ref, doc.path)
            except RefError:
                return None
            if (file, pointer) in seen or file not in self.documents:
                return None
            seen.add((file, pointer))
            doc = self.documents[file]
            try:
                target = follow_pointer(doc.data, pointer, file)
            except RefError:
                return None
            if isinstance(target, dict) and isinstance(target.get("$ref"), str):
                ref = target["$ref"]
                continue
            return doc, target, unquote(pointer).rstrip("/") if pointer != "/" else ""


def spec_version(data: Any) -> str | None:
    """ "2.0", "3.0", "3.1" or "3.2" for a document that is an OpenAPI or Swagger root, else None.
    A later 3.x is read as the newest minor version guardrails knows (3.2)."""
    if not isinstance(data, dict):
        return None
    if str(data.get("swagger", "")).startswith("2"):
        return "2.0"
    version = str(data.get("openapi", ""))
    if version.startswith("3.0"):
        return "3.0"
    if version.startswith("3.1"):
        return "3.1"
    if version.startswith("3."):
        return "3.2"
    return None


def has_unevaluated(version: str) -> bool:
    """Whether schemas of this version are JSON Schema 2020-12 (unevaluatedProperties exists)."""
    return version not in ("2.0", "3.0")


def load_spec(
    root: str, version: str, root_doc: Document, read: Callable[[str], str | bytes]
) -> tuple[Spec, list[Finding]]:
    """Load every file the root reaches and check each $ref once.

    read(path) returns a file's text or raises; the findings are parse-errors for
    files that cannot be read or parsed and for broken or circular refs, each at
    the $ref that names them.
    """
    spec = Spec(root, version, {root: root_doc})
    findings: list[Finding] = []
    queue = deque([root_doc])
    failed: dict[str, str] = {}  # file -> why it could not be loaded
    sites: list[tuple[Document, dict[str, Any], str]] = []
    while queue:
        doc = queue.popleft()
        for holder in doc.refs:
            ref = holder["$ref"]
            sites.append((doc, holder, ref))
            if is_remote(ref):
                continue
            try:
                file, _ = split_ref(ref, doc.path)
            except RefError:
                continue
            if file in spec.documents or file in failed:
                continue
            try:
                loaded = parse_document(file, read(file))
            except DocumentError as exc:
                failed[file] = f"{file} cannot be parsed"
                spec.unparsed.add(file)
                findings.append(_problem(Location(file, exc.line, exc.column), str(exc)))
                continue
            except Exception as exc:  # unreadable, missing: reported at each ref below
                failed[file] = _why_unreadable(file, exc)
                continue
            spec.documents[file] = loaded
            queue.append(loaded)
    verdicts: dict[tuple[str, str], str] = {}  # one spec repeats a ref thousands of times
    for doc, holder, ref in sites:
        key = (ref, doc.path)
        if key not in verdicts:
            verdicts[key] = _check_ref(spec, doc, ref, failed)
        message = verdicts[key]
        if message:
            findings.append(_problem(doc.location(holder), message))
    spec.problems = findings
    return spec, findings


def _check_ref(spec: Spec, doc: Document, ref: str, failed: dict[str, str]) -> str:
    chain: list[str] = []
    seen: set[tuple[str, str]] = set()
    current = doc
    while True:
        if is_remote(ref):
            return ""  # not fetched: guardrails runs offline
        try:
            file, pointer = split_ref(ref, current.path)
        except RefError as exc:
            return f"broken $ref: {exc}"
        if file in failed:
            return f"broken $ref {ref!r}: {failed[file]}"
        if (file, pointer) in seen:
            return f"circular $ref: {' -> '.join(chain + [ref])} never reaches a definition"
        seen.add((file, pointer))
        chain.append(ref)
        current = spec.documents[file]
        try:
            target = follow_pointer(current.data, pointer, file)
        except RefError as exc:
            return f"broken $ref {ref!r}: {exc}"
        if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
            return ""
        ref = target["$ref"]


def _why_unreadable(file: str, exc: Exception) -> str:
    message = str(exc)
    if "No such file" in message or isinstance(exc, FileNotFoundError):
        return f"{file} does not exist"
    return f"{file}: {message}"


def _problem(location: Location, message: str) -> Finding:
    return Finding("parse-error", Severity.WARNING, location, message)
