"""The installed distributions' entry points, read straight from their metadata directories.

``importlib.metadata.entry_points()`` costs 40-70 ms of every run: importing it pulls in the
email, zipfile and csv modules, and it reads the entry points of every distribution on
``sys.path``. guardrails needs two groups, so this module lists each ``sys.path`` directory
once, opens only ``entry_points.txt`` files and, for the few distributions that declare a
guardrails group, reads the name from their metadata. It finds what importlib.metadata finds
in the same order: ``*.dist-info`` and ``*.egg-info`` directories, the first distribution of
a name on ``sys.path`` shadowing later ones. Where distributions can come from anywhere else
(a zip file or an .egg on ``sys.path``, a meta-path finder of its own), it asks
importlib.metadata instead.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

_SEPARATORS = re.compile(r"[-_.]+")
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@dataclass(frozen=True)
class EntryPoint:
    """One entry of a group: ``name = module:attr``, declared by the distribution ``dist``."""

    name: str
    value: str
    group: str
    dist: str

    def load(self) -> Any:
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"not an entry point (module:attribute): {self.value!r}")
        module = importlib.import_module(match.group("module"))
        return reduce(getattr, filter(None, (match.group("attr") or "").split(".")), module)


@dataclass(frozen=True)
class Installed:
    """The entry points of the wanted groups, in ``sys.path`` order, and the metadata directory
    of every distribution by normalized name (whether one is installed, and which version: the
    directory is name-version.dist-info), without importing importlib.metadata."""

    entry_points: tuple[EntryPoint, ...]
    directories: dict[str, str]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.directories)

    def group(self, group: str) -> list[EntryPoint]:
        return [ep for ep in self.entry_points if ep.group == group]


def normalize(name: str) -> str:
    """A distribution's name as importlib.metadata compares them (PEP 503, with underscores)."""
    return _SEPARATORS.sub("_", name).lower()


def installed(groups: Sequence[str], path: Sequence[str] | None = None) -> Installed:
    """The entry points of ``groups`` of the distributions on ``path`` (default: sys.path)."""
    entries = list(sys.path if path is None else path)
    if path is None and any(_finds_distributions(finder) for finder in sys.meta_path):
        return _from_importlib(groups)
    found: list[EntryPoint] = []
    seen: dict[str, str] = {}
    for entry in entries:
        directory = entry or "."
        if directory.lower().endswith(".egg") or os.path.isfile(directory):
            return _from_importlib(groups)  # an egg or a zip: importlib.metadata reads inside those
        try:
            children = os.listdir(directory)
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            key = normalize(low.rpartition(".")[0].partition("-")[0])
            if key in seen:  # the first of a name on sys.path is the one importlib would load
                continue
            seen[key] = os.path.join(directory, child)
            found.extend(_entry_points(os.path.join(directory, child), groups))
    return Installed(tuple(found), seen)


def _finds_distributions(finder: object) -> bool:
    """A finder other than the path-based one that provides distributions itself."""
    from importlib.machinery import PathFinder

    return finder is not PathFinder and callable(getattr(finder, "find_distributions", None))


def _entry_points(info: str, groups: Sequence[str]) -> list[EntryPoint]:
    try:
        with open(os.path.join(info, "entry_points.txt"), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:  # most distributions declare none (or the .egg-info is a file)
        return []
    if not any(f"[{group}]" in text for group in groups):
        return []
    dist = _name(info)
    out: list[EntryPoint] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section in groups and "=" in line:
            name, _, value = line.partition("=")
            out.append(EntryPoint(name.strip(), value.strip(), section, dist))
    return out


def _name(info: str) -> str:
    """The Name field of the distribution's metadata (its directory name if it has none)."""
    for file in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(info, file), encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if not line.strip():
                        break  # the headers end at the first blank line
                    key, _, value = line.partition(":")
                    if key.strip().lower() == "name":
                        return value.strip()
        except OSError:
            continue
    return os.path.basename(info).rpartition(".")[0].partition("-")[0]


def _from_importlib(groups: Sequence[str]) -> Installed:
    import importlib.metadata

    found = []
    for group in groups:
        for ep in importlib.metadata.entry_points(group=group):
            dist = getattr(ep, "dist", None)
            found.append(EntryPoint(ep.name, ep.value, group, str(dist.name) if dist else "an unknown distribution"))
    directories: dict[str, str] = {}
    for d in importlib.metadata.distributions():
        directories.setdefault(normalize(str(d.metadata["Name"] or "")), f"{d.metadata['Name']}-{d.version}")
    return Installed(tuple(found), directories)
