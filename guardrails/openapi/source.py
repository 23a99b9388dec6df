"""The ``openapi`` input: one Spec per root document, configured or detected.

Roots come from ``openapi.specs``, or, with no such key, from every tracked
.json/.yaml/.yml file whose top level has ``openapi`` or ``swagger``. A spec is
checked when any file it reaches is in scope, so a pull request that edits only
a referenced fragment still gets its findings; findings are kept only for files
in scope.

Each spec is validated with openapi-spec-validator (see validate.py for the
verdict cache, and for a large spec validated in a child process while the
rules check it; fast_validator.py for how the library's checks run in 0.2-0.35 s
on GitHub's 13 MB description), unless ``openapi.validate: false``, for a
repository that already validates its specs in another CI step. With
``--base`` a spec is validated (and checked) only when a file it reaches changed.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from guardrails.findings import Finding, parse_error
from guardrails.inputs import LoadContext, SourceFile, Unread, source_file
from guardrails.openapi.document import DocumentError, parse_document
from guardrails.openapi.ignores import spec_ignores
from guardrails.openapi.spec import Spec, load_spec, spec_version
from guardrails.workspace import UnreadableFile, Workspace, git_output, read_inside

if TYPE_CHECKING:
    from guardrails.openapi.validate import EarlyValidator

SPEC_EXTENSIONS = (".json", ".yaml", ".yml")
TRIM_BYTES = 4 * 1024 * 1024  # specs this large leave enough freed memory to be worth returning
_MARKERS = (b"openapi", b"swagger")
# a name ending in one of SPEC_EXTENSIONS, in any case: a regex, so 50,000 paths are filtered in C
_SPEC_NAME = re.compile(r".*\.(?:json|yaml|yml)\Z", re.IGNORECASE | re.DOTALL)
LITERAL_PATHS = 500  # up to this many files are named to git grep; more, and it greps by extension


def load_specs(ctx: LoadContext) -> Iterator[Spec | Finding | SourceFile | Unread]:
    workspace = ctx.workspace
    section = ctx.section("openapi")
    configured = None if section.get("specs") is None else list(section["specs"])
    validate = section.get("validate", True) is not False
    in_scope = set(workspace.files)
    pull_request = workspace.base is not None and workspace.scope != "all"
    if pull_request and not any(_may_be_spec(p) for p in in_scope):
        # A pull request that changed no JSON or YAML file changed no spec document: loading
        # the unchanged specs (13 MB, 0.3 s) could only produce findings that are out of scope.
        return
    if not pull_request:
        roots = workspace.select_all(configured) if configured is not None else _detected(workspace)
    elif configured is not None:
        roots = _may_reach_changes(workspace, workspace.select_all(configured), in_scope)
    else:  # the few files that may reach a change first, then which of them are specs: one grep of the repository
        roots = _detected(
            workspace, _may_reach_changes(workspace, list(filter(_SPEC_NAME.match, workspace.tracked)), in_scope)
        )
    for path in roots:
        try:
            yield from _load_one(workspace, path, in_scope, explicit=configured is not None, validate=validate)
        except Exception as exc:  # one spec guardrails cannot handle must not stop the others
            if path in in_scope:
                yield parse_error(path, f"could not check this spec: {type(exc).__name__}: {exc}", 1, 1)


def _load_one(
    workspace: Workspace, path: str, in_scope: set[str], explicit: bool, validate: bool
) -> Iterator[Spec | Finding | SourceFile | Unread]:
    try:
        yield from _check_one(workspace, path, in_scope, explicit, validate)
    finally:
        gc.unfreeze()  # what _tree_building froze goes back to the collector, garbage or not


def _check_one(
    workspace: Workspace, path: str, in_scope: set[str], explicit: bool, validate: bool
) -> Iterator[Spec | Finding | SourceFile | Unread]:
    from guardrails.openapi.validate import start_validation

    early = None
    try:
        text = _read(workspace, path)
        early = _early_validation(workspace, path, text) if validate else None
        with _tree_building():
            doc = parse_document(path, text, scan_in_child=early is None)
    except UnreadableFile as exc:
        _close(early)
        if explicit and path in in_scope:  # a configured spec no rule could read fails the run
            yield Unread(str(exc), path, exc.line, exc.column)
        elif path in in_scope:  # detected by its text: it may not be a spec, but say it was skipped
            yield parse_error(path, f"looks like an OpenAPI spec but {exc}", exc.line, exc.column)
        return
    except DocumentError as exc:
        _close(early)
        if explicit and path in in_scope:
            yield parse_error(path, str(exc), exc.line, exc.column)
        elif path in in_scope:  # detected by its text but unreadable: say why it was skipped
            yield parse_error(path, f"looks like an OpenAPI spec but {exc}", exc.line, exc.column)
        return
    version = spec_version(doc.data)
    if version is None:
        _close(early)
        if explicit and path in in_scope:
            yield parse_error(
                path,
                'not an OpenAPI or Swagger document: the top level has no `openapi: 3.x` or `swagger: "2.0"`',
                1,
                1,
            )
        return
    with _tree_building():
        spec, problems = load_spec(path, version, doc, lambda p: _read(workspace, p))
    for document in spec.documents.values():
        comments = source_file(document.path, document.text).ignores
        yield SourceFile(document.path, comments + spec_ignores(document))
    # a reached file that does not parse is in the spec too: its syntax error is reported in it
    reached = in_scope.intersection(spec.documents.keys() | spec.unparsed)
    if not reached:
        _close(early)
        return
    spec.checked = reached
    # started before the rules see the spec: a large one is validated meanwhile, in a child
    validation = start_validation(spec, workspace.root, early) if validate else None
    yield from (f for f in problems if f.path in reached)
    yield spec
    if validation is not None:  # the validator's errors are placed in the spec: before it is released
        yield from (f for f in validation() if f.path in reached)
    size = sum(len(d.text) for d in spec.documents.values())
    spec.release()  # every rule has seen it: let the data go before the engine reports
    del doc
    if size >= TRIM_BYTES:
        _return_freed_memory()


def _early_validation(workspace: Workspace, path: str, text: str | bytes) -> EarlyValidator | None:
    """A large spec's validator, started before this process parses it (validate.EarlyValidator),
    so that the validator's import runs meanwhile. Not when the verdict is probably cached (a
    run over an unchanged spec), below FORK_BYTES, or on one core: then validate.py forks after
    the parse, or validates here. While the child runs, this process scans JSON braces itself
    (braces.py), so that two processes, not three, share two cores."""
    from guardrails.openapi.validate import FORK_BYTES, EarlyValidator, probably_cached
    from guardrails.parallel import cores

    if len(text) < FORK_BYTES or cores() < 2 or probably_cached(path, text):
        return None
    try:
        early = EarlyValidator(workspace.root)
    except OSError:  # no temporary file or pipe to be had: validate.py's other paths apply
        return None
    return early if early.running else None


def _close(early: EarlyValidator | None) -> None:
    if early is not None:
        early.close()


@contextmanager
def _tree_building() -> Iterator[None]:
    """No cyclic garbage collection while a spec's tree is built. The parsers build plain dicts
    and lists, never garbage, but every 700 of them the collector scans the young ones and,
    every so often, the whole growing tree: 0.25 s of CPU on GitHub's 13 MB description.
    A tree built is frozen (gc.freeze) before collection resumes: it is never garbage while it
    is checked, and the first collection would otherwise scan all of it (30 ms on GitHub's
    description); a forked validator child also leaves its pages unwritten by the collector.
    _load_one unfreezes it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    except BaseException:
        if enabled:
            gc.enable()
        raise
    gc.freeze()
    if enabled:
        gc.enable()


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


def _detected(workspace: Workspace, among: list[str] | None = None) -> list[str]:
    """Every listed JSON/YAML file (of ``among``, when given) that mentions openapi or swagger:
    one ``git grep`` (C, threads) instead of reading 10,000 YAML files in Python; the Python
    sniff where git cannot. A few files of ``among`` are named to git, not the whole tree."""
    candidates = workspace.tracked if among is None else among
    if among is not None and len(among) <= LITERAL_PATHS:
        pathspecs = [f":(literal){p}" for p in among]
    else:
        pathspecs = [f"*{ext}" for ext in SPEC_EXTENSIONS]
    if not pathspecs:
        return []
    found = git_output(
        workspace.root,
        "grep",
        "-l",
        "-z",
        "-I",
        "-F",
        "-e",
        "openapi",
        "-e",
        "swagger",
        "--untracked",
        "--",
        *pathspecs,
    )
    if found is None:
        return [p for p in candidates if _may_be_spec(p) and _mentions_spec(workspace, p)]
    hits = set(filter(None, found.split("\0")))
    return [p for p in candidates if p in hits and _may_be_spec(p)]


def _may_reach_changes(workspace: Workspace, roots: list[str], in_scope: set[str]) -> list[str]:
    """With --base: the roots whose documents may include a changed one, so an unchanged spec
    that reaches no changed file is not read at all. A $ref to another file names it, so a root
    may reach a changed document when it, or a file that may reach it, mentions the document's
    file name: followed to a fixed point, one ``git grep`` per step of the $ref chain."""
    wanted = {p for p in in_scope if _may_be_spec(p)}
    frontier = set(wanted)
    globs = [f"*{ext}" for ext in SPEC_EXTENSIONS]
    for _ in range(16):  # $ref chains are short; past this, every root is kept
        names = sorted({p.rsplit("/", 1)[-1] for p in frontier})
        patterns = [arg for name in names for arg in ("-e", name)]
        found = git_output(workspace.root, "grep", "-l", "-z", "-F", *patterns, "--untracked", "--", *globs)
        if found is None:
            return roots
        frontier = set(filter(None, found.split("\0"))) - wanted
        if not frontier:
            return [r for r in roots if r in wanted]
        wanted |= frontier
    return roots


def _may_be_spec(path: str) -> bool:
    return _SPEC_NAME.match(path) is not None


def _mentions_spec(workspace: Workspace, path: str) -> bool:
    """Cheap sniff before parsing: reads bytes without registering the file as checked."""
    try:
        data = read_inside(workspace.root, path)
    except UnreadableFile:
        return False
    return any(marker in data for marker in _MARKERS)
