"""Which clock readings only measure elapsed time: facts from a language reader, one decision.

A reader walks a file and reports, per variable (a scope and a name): each assignment (is
the value a clock reading?) and each use (what it is used in). A reading measures elapsed
time when its only job is a duration: ``start := time.Now()`` whose every use is
``time.Since(start)`` or a ``Sub``; ``t0 = time.time()`` used only in ``time.time() - t0``;
a reading subtracted from such a variable. Moving the clock shifts both ends of a duration,
so these reads need no injectable clock (and Go's ``time.Since`` uses the monotonic clock).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

Key = tuple[int, str]  # (scope id, variable name)
READING: Literal["reading"] = "reading"  # a partner that is itself a clock reading
Partner = Key | Literal["reading"] | None  # the other operand of a subtraction; None: anything else


@dataclass(frozen=True)
class Use:
    """How a variable (or a reading) is used: ``since`` (the argument of time.Since), ``diff``
    (one operand of a subtraction, ``partner`` the other), or ``other``."""

    kind: Literal["since", "diff", "other"]
    partner: Partner = None


OTHER = Use("other")
SINCE = Use("since")


@dataclass
class Durations:
    """Scope 0 is the file's top level: a name a function uses without assigning it is the
    top-level variable (``var booted = time.Now()`` used in ``time.Since(booted)``)."""

    assigned: dict[Key, list[bool]] = field(default_factory=lambda: defaultdict(list))
    uses: dict[Key, list[Use]] = field(default_factory=lambda: defaultdict(list))
    _resolved: dict[Key, list[Use]] | None = None  # uses by the variable they resolve to, once collected

    def assign(self, key: Key, is_reading: bool) -> None:
        self.assigned[key].append(is_reading)

    def use(self, key: Key, how: Use) -> None:
        self.uses[key].append(how)

    def resolve(self, key: Key) -> Key:
        return key if key in self.assigned or key[0] == 0 else (0, key[1])

    def holds_reading(self, key: Key) -> bool:
        """Every value the variable is given is a clock reading."""
        values = self.assigned.get(self.resolve(key)) or []
        return bool(values) and all(values)

    def only_measures(self, key: Key) -> bool:
        """The variable holds readings and is used only to compute durations."""
        if self._resolved is None:
            self._resolved = defaultdict(list)
            for used, hows in self.uses.items():
                self._resolved[self.resolve(used)].extend(hows)
        uses = self._resolved.get(self.resolve(key)) or []
        return self.holds_reading(key) and bool(uses) and all(self._duration(u) for u in uses)

    def _duration(self, use: Use) -> bool:
        if use.kind == "since":
            return True
        return use.kind == "diff" and self._clock_partner(use.partner)

    def _clock_partner(self, partner: Partner) -> bool:
        return partner == READING or (isinstance(partner, tuple) and self.holds_reading(partner))

    def elapsed(self, assigned_to: Key | None, use: Use) -> bool:
        """Whether a reading measures elapsed time: assigned to a variable that only measures,
        or itself subtracted from a reading (``time.time() - t0``)."""
        if assigned_to is not None:
            return self.only_measures(assigned_to)
        return use.kind == "diff" and self._clock_partner(use.partner)
