"""YAML loading that remembers where every value and key was written."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Path_ = tuple[Any, ...]
Where = Callable[[Any], tuple[int, int]]  # a PyYAML mark -> the file's 1-based (line, column)
# YAML 1.1 (PyYAML, libyaml) also ends lines at these, git and editors do not
_YAML_BREAKS = ("\x85", "\u2028", "\u2029")


class YamlError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@functools.cache
def yaml12_loader() -> Any:
    """PyYAML's C loader with YAML 1.2 booleans: only true/false are booleans, so
    `insert-ignore: off` (or an enum value `no`) stays the string the author wrote.
    Made once: a spec spread over 2,850 files would otherwise build it 2,850 times."""
    import re

    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Yaml12Loader(base):  # type: ignore[valid-type,misc]
        pass

    Yaml12Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Yaml12Loader


def mark_positions(text: str) -> Where:
    """How a mark becomes a position: PyYAML's own line and column, unless the text holds a
    line break only YAML 1.1 counts (U+2028, NEL, a lone "\\r"), when the mark's character
    index is placed on the file's lines instead."""
    if not any(c in text for c in _YAML_BREAKS) and text.count("\r") == text.count("\r\n"):
        return lambda mark: (mark.line + 1, mark.column + 1)
    from guardrails.sql.positions import FileOffsets, line_starts

    at = FileOffsets(line_starts(text), 0)
    return lambda mark: at(mark.index)


@contextmanager
def _yaml_errors(text: str, where_is: Where | None = None) -> Iterator[None]:
    """PyYAML's errors as YamlError at the line and column where the YAML is broken (placed by
    ``where_is``, or as ``text`` says: looked at only on an error)."""
    import yaml

    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (where_is or mark_positions(text))(mark) if mark else (1, 1)
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 1, 1) from None


def compose(text: str) -> Any:
    """The document's node tree (PyYAML's C composer, YAML 1.2 booleans), or None when empty;
    raises YamlError at the line and column where the YAML is broken."""
    import yaml

    with _yaml_errors(text):
        return yaml.compose(text, Loader=yaml12_loader())


def load_with_positions(
    text: str, aliases: bool = True
) -> tuple[Any, dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
    """Parse one YAML document into plain data plus two maps from a path of
    keys and indexes to a 1-based (line, column): where each value starts, and
    where each mapping key is written. ``aliases=False``: an alias (``*name``) is an error."""
    node = compose(text)
    if node is None:
        return None, {}, {}
    return _with_positions(node, mark_positions(text), aliases)


def load_all_with_positions(text: str) -> list[tuple[Any, dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]]:
    """Every document of a multi-document stream (``---``), each as load_with_positions gives
    it; raises YamlError where the stream is broken."""
    import yaml

    with _yaml_errors(text):
        nodes = list(yaml.compose_all(text, Loader=yaml12_loader()))
    where = mark_positions(text)
    return [_with_positions(node, where) for node in nodes if node is not None]


def _with_positions(
    node: Any, where_is: Where, aliases: bool = True
) -> tuple[Any, dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
    """Build the data once per node: an alias shares what its anchor built instead of being
    expanded again, so nested aliases (a "billion laughs" document) stay linear in size."""
    import yaml

    values: dict[Path_, tuple[int, int]] = {}
    keys: dict[Path_, tuple[int, int]] = {}
    built: dict[int, Any] = {}  # id(node) -> its data, for nodes an alias may name again
    constructor = yaml.SafeLoader("")  # only its scalar resolution is used

    def build(n: Any, path: Path_, at: tuple[int, int]) -> Any:
        if id(n) in built:
            if not aliases:
                raise YamlError("aliases (*name) are not allowed here: write the value out", *at)
            return built[id(n)]
        values[path] = where_is(n.start_mark)
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            built[id(n)] = out
            for k, v in n.value:
                key = constructor.construct_object(k) if isinstance(k, yaml.ScalarNode) else str(k.value)
                where = where_is(k.start_mark)
                if key in out:
                    first = keys[path + (key,)][0]
                    raise YamlError(f"duplicate key {key!r}: first at line {first}, again at line {where[0]}", *where)
                keys[path + (key,)] = where
                out[key] = build(v, path + (key,), where)
            return out
        if isinstance(n, yaml.SequenceNode):
            items: list[Any] = []
            built[id(n)] = items
            # an alias item is reported at its sequence (its own mark is the anchor's)
            items.extend(build(v, path + (i,), values[path]) for i, v in enumerate(n.value))
            return items
        value = constructor.construct_object(n)
        built[id(n)] = value
        return value

    with _yaml_errors("", where_is):  # a tag no safe constructor knows (!!python/object) is an error at its line
        return build(node, (), (1, 1)), values, keys
