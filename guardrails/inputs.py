"""What an input is: a named loader of typed units, the files it reads and its config sections.

An input module exposes ``INPUT = Input(...)``, registered under the entry-point group
``guardrails.inputs`` (see guardrails.registry). The engine builds an input once per run,
only when an enabled rule reads it, and hands each unit to the rules that want its type.

A loader yields four kinds of thing:

- units (``Input.units``), which rules check;
- ``SourceFile`` for every file it read: the reported file count and the ignore comments the
  engine applies come from these, so a loader says what it read instead of the engine
  watching it read;
- ``Finding``: a ``parse-error`` (``guardrails.findings.parse_error``) for input it could not
  read, which is never dropped silently;
- ``Unread`` for input a rule needed and could not read at all (see ``unreadable_input``).

An input that yields no unit for an enabled rule says why through ``Input.empty``: the run
reports it once per rule, as a note, so that "no finding" is never mistaken for "checked".

Importing an input module must stay cheap: import heavy libraries inside ``load``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from guardrails.findings import Finding
from guardrails.records import Record
from guardrails.suppress import Ignore

if TYPE_CHECKING:
    from guardrails.config import Config
    from guardrails.state import RunState
    from guardrails.workspace import Workspace

U = TypeVar("U")


@dataclass(frozen=True)
class SourceFile:
    """A file an input read, with the ignore directives written in it."""

    path: str
    ignores: tuple[Ignore, ...] = ()


@dataclass
class LoadContext:
    """What a loader sees: the files (for a split run, this process's share), the config and the run."""

    workspace: Workspace
    config: Config
    state: RunState

    def section(self, name: str) -> Mapping[str, Any]:
        """A config section this input owns, as validated against its schema ({} when absent)."""
        return self.config.section(name)


@dataclass(frozen=True)
class Unread:
    """Input a rule needed and could not read (a configured spec, the --pr-body file): the run
    fails with exit 2 naming it, because a rule that never ran must not look like a pass;
    with ``unreadable_input: warning`` in the config it is a parse-error warning at ``path``
    instead, and the run goes on. ``path`` is "" for input that is not a repository file."""

    message: str
    path: str = ""
    line: int = 0
    column: int = 0

    @property
    def text(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


Loaded: TypeAlias = "U | Finding | SourceFile | Unread"


@dataclass(frozen=True)
class Input(Generic[U]):
    """An input named ``name`` yielding units of the types in ``units``.

    ``files``: the repository files the input reads (in scope for this run); given, the engine
    may split them between processes, each running ``load`` on a workspace narrowed to its
    share. ``config``: the top-level config sections the input owns, each a JSON Schema of
    that section, merged into the schema of .guardrails.yml. ``empty``: why an enabled rule of
    this input got no unit this run (a text, or a function of the run's context), said once per
    rule as a note; "" when no unit is itself a clean result (no clock read found is a pass).
    """

    name: str
    summary: str
    units: tuple[type[U], ...]
    load: Callable[[LoadContext], Iterable[Loaded[U]]]
    files: Callable[[LoadContext], list[str]] | None = None
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    empty: str | Callable[[LoadContext], str] = ""

    def empty_reason(self, ctx: LoadContext) -> str:
        return self.empty(ctx) if callable(self.empty) else self.empty


@dataclass
class InputResult:
    """What running one input's rules produced: small, so a worker process can send it back.

    ``offered``: the rules a unit of their type came for (even where they are off); ``checked``:
    those that were handed at least one (on for its file); ``idle``: rule -> why it said it had
    nothing to check (``RuleContext.nothing_to_check``); ``unread``: how many times the input
    said it could not read something (an Unread, or a finding of its own such as a parse-error)."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    offered: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)
    idle: dict[str, str] = field(default_factory=dict)
    unread: int = 0
    records: list[Record] = field(default_factory=list)  # report data the rules added (guardrails.records)

    def merge(self, other: InputResult) -> None:
        self.findings += other.findings
        self.records += other.records
        self.errors += other.errors
        self.sources += other.sources
        self.offered |= other.offered
        self.checked |= other.checked
        for rule, reason in other.idle.items():
            self.idle.setdefault(rule, reason)
        self.unread += other.unread


# The JSON Schema of a list of globs, as input sections write their file patterns.
GLOBS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}


def lazy(target: str) -> Callable[[LoadContext], Any]:
    """The function ``module:function``, imported on its first call: an input's module stays
    cheap to import, and its loader's heavy imports wait until an enabled rule reads it."""
    module_name, _, attr = target.partition(":")

    def call(ctx: LoadContext) -> Any:
        import importlib

        return getattr(importlib.import_module(module_name), attr)(ctx)

    call.__qualname__ = call.__name__ = target
    return call


def source_file(path: str, data: str | bytes) -> SourceFile:
    """The SourceFile record for a file read whole, its ignore comments found in ``data``."""
    from guardrails.suppress import ignores_in

    return SourceFile(path, ignores_in(path, data))
