"""The ``openapi`` input: one Spec per root document, configured or detected.

Roots come from ``openapi.specs``, or, with no such key, from every tracked
.json/.yaml/.yml file whose top level has ``openapi`` or ``swagger``. A spec is
checked when any file it reaches is in scope, so a pull request that edits only
a referenced fragment still gets its findings; findings are kept only for files
in scope.

Each spec is validated with openapi-spec-validator first (see validate.py for
the verdict cache and fast_validator.py for how the library's checks run in
0.35 s on GitHub's 13 MB description), unless ``openapi.validate: false``, for
a repository that already validates its specs in another CI step. With
``--base`` a spec is validated (and checked) only when a file it reaches changed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from guardrails.findings import Finding, parse_error
from guardrails.inputs import LoadContext, SourceFile, source_file
from guardrails.openapi.document import DocumentError, parse_document
from guardrails.openapi.ignores import spec_ignores
from guardrails.openapi.spec import Spec, load_spec, spec_version
from guardrails.workspace import UnreadableFile, Workspace, read_inside

SPEC_EXTENSIONS = (".json", ".yaml", ".yml")
TRIM_BYTES = 4 * 1024 * 1024  # specs this large leave enough freed memory to be worth returning
_MARKERS = (b"openapi", b"swagger")


def load_specs(ctx: LoadContext) -> Iterator[Spec | Finding | SourceFile]:
    workspace = ctx.workspace
    section = ctx.section("openapi")
    configured = None if section.get("specs") is None else list(section["specs"])
    validate = section.get("validate", True) is not False
    in_scope = set(workspace.files)
    if configured is not None:
        roots = workspace.select_all(configured)
    else:
        roots = [p for p in workspace.tracked if p.lower().endswith(SPEC_EXTENSIONS) and _mentions_spec(workspace, p)]
    for path in roots:
        try:
            yield from _load_one(workspace, path, in_scope, explicit=configured is not None, validate=validate)
        except Exception as exc:  # one spec guardrails cannot handle must not stop the others
            if path in in_scope:
                yield parse_error(path, f"could not check this spec: {type(exc).__name__}: {exc}", 1, 1)


def _load_one(
    workspace: Workspace, path: str, in_scope: set[str], explicit: bool, validate: bool
) -> Iterator[Spec | Finding | SourceFile]:
    from guardrails.openapi.validate import validate_spec

    try:
        doc = parse_document(path, _read(workspace, path))
    except UnreadableFile as exc:
        if explicit and path in in_scope:
            yield parse_error(path, str(exc), exc.line, exc.column)
        return
    except DocumentError as exc:
        if explicit and path in in_scope:
            yield parse_error(path, str(exc), exc.line, exc.column)
        elif path in in_scope:  # detected by its text but unreadable: say why it was skipped
            yield parse_error(path, f"looks like an OpenAPI spec but {exc}", exc.line, exc.column)
        return
    version = spec_version(doc.data)
    if version is None:
        if explicit and path in in_scope:
            yield parse_error(
                path,
                'not an OpenAPI or Swagger document: the top level has no `openapi: 3.x` or `swagger: "2.0"`',
                1,
                1,
            )
        return
    spec, problems = load_spec(path, version, doc, lambda p: _read(workspace, p))
    for document in spec.documents.values():
        comments = source_file(document.path, document.text).ignores
        yield SourceFile(document.path, comments + spec_ignores(document))
    # a reached file that does not parse is in the spec too: its syntax error is reported in it
    reached = in_scope.intersection(spec.documents.keys() | spec.unparsed)
    if not reached:
        return
    spec.checked = reached
    for finding in problems + (validate_spec(spec, workspace.root) if validate else []):
        if finding.path in spec.checked:
            yield finding
    yield spec
    size = sum(len(d.text) for d in spec.documents.values())
    spec.release()  # every rule has seen it: let the data go before the engine reports
    del doc
    if size >= TRIM_BYTES:
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Hand the freed spec's pages back to the operating system.

    The parsed tree's larger blocks come from glibc's main heap, which returns
    memory on its own only from the top; freed in the middle, they stay resident
    while the engine then reads files for fingerprints (24 MB of the peak on
    GitHub's description). malloc_trim releases them; elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass


def _read(workspace: Workspace, path: str) -> str | bytes:
    """The file's text; JSON as its bytes, never decoded whole, because a decoded str can take
    four times the file's size (one emoji is enough): jsonpos checks the UTF-8 itself."""
    return workspace.read_bytes(path) if path.lower().endswith(".json") else workspace.read_text(path)


def _mentions_spec(workspace: Workspace, path: str) -> bool:
    """Cheap sniff before parsing: reads bytes without registering the file as checked."""
    try:
        data = read_inside(workspace.root, path)
    except UnreadableFile:
        return False
    return any(marker in data for marker in _MARKERS)
