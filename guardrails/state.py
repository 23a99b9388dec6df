"""Per-run state: one object the engine owns for a run, handed out to rules and inputs by key.

A rule that needs something built once per run (the schema model, a database connection,
"already reported" sets) asks ``ctx.state.get(KEY, make)``. Keys are typed, so two owners
never share a slot by accident and mypy knows what comes back. Forked workers each get their
own copy (guardrails.parallel), so state never crosses processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class StateKey(Generic[T]):
    """A slot of per-run state; ``name`` is for messages only, identity is the key."""

    name: str


@dataclass
class RunState:
    # Command-line settings an input reads (``--pr-body``), by name; the engine knows no input.
    arguments: Mapping[str, str] = field(default_factory=dict)
    # The inputs this run builds, in the order the engine builds them (set by the engine): an
    # input that reads what another also reads keeps it for the other only if the other is to come.
    inputs: tuple[str, ...] = ()
    _slots: dict[StateKey[Any], Any] = field(default_factory=dict, repr=False)

    def get(self, key: StateKey[T], make: Callable[[], T]) -> T:
        """The value in this slot, made on first use."""
        if key not in self._slots:
            self._slots[key] = make()
        value: T = self._slots[key]
        return value

    def builds_later(self, first: str, second: str) -> bool:
        """Whether this run builds input ``second`` after input ``first``."""
        return first in self.inputs and second in self.inputs[self.inputs.index(first) + 1 :]

    def peek(self, key: StateKey[T]) -> T | None:
        """The value if it was made this run, else None (never makes it)."""
        value: T | None = self._slots.get(key)
        return value
