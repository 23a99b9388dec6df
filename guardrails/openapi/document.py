"""One spec file as plain data, plus where each mapping in it is written (1-based line, column)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from guardrails.findings import Location


class DocumentError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class Document:
    path: str  # repository-relative, with /
    data: Any
    text: str = field(repr=False)
    # JSON: id(dict) -> offsets of "{" and past "}"; converted to lines only when asked.
    spans: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    # YAML: id(dict) -> (line, column, line of the key that holds it, or 0).
    marks: dict[int, tuple[int, int, int]] = field(default_factory=dict, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)

    def position(self, obj: Any) -> tuple[int, int]:
        """Where the mapping obj starts: (line, column), or (0, 0) if it is not one of this file's."""
        mark = self.marks.get(id(obj))
        if mark is not None:
            return mark[0], mark[1]
        span = self.spans.get(id(obj))
        if span is None:
            return 0, 0
        return self.line_column(span[0])

    def key_line(self, obj: Any) -> int:
        """The line of the mapping key whose value obj is (YAML), so a comment above the key covers it."""
        mark = self.marks.get(id(obj))
        return mark[2] if mark else 0

    def location(self, obj: Any) -> Location:
        line, column = self.position(obj)
        return Location(self.path, line, column)

    def line_column(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            starts = [0]
            find, text = self.text.find, self.text
            at = find("\n")
            while at != -1:
                starts.append(at + 1)
                at = find("\n", at + 1)
            self._line_starts = starts
            del text
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def parse_document(path: str, text: str) -> Document:
    """Parse a JSON (by extension) or YAML file; raises DocumentError with a position."""
    if path.lower().endswith(".json"):
        from guardrails.openapi.jsonpos import JsonError, load_json

        try:
            data, spans = load_json(text)
        except JsonError as exc:
            doc = Document(path, None, text)
            line, column = doc.line_column(exc.offset)
            raise DocumentError(str(exc), line, column) from None
        return Document(path, data, text, spans=spans)
    data, marks = _load_yaml(text)
    return Document(path, data, text, marks=marks)


def _load_yaml(text: str) -> tuple[Any, dict[int, tuple[int, int, int]]]:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DocumentError(f"invalid YAML: {exc.problem or exc}", line, column) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"invalid YAML: {exc}", 1, 1) from None
    marks: dict[int, tuple[int, int, int]] = {}
    if root is None:
        return None, marks
    scalar = yaml.SafeLoader("").construct_object  # only its scalar resolution is used
    built: dict[int, Any] = {}  # by node id: aliases share one object, and recursion terminates

    def build(node: Any, key_line: int) -> Any:
        done = built.get(id(node))
        if done is not None:
            return done
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            built[id(node)] = out
            marks[id(out)] = (node.start_mark.line + 1, node.start_mark.column + 1, key_line)
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    key = k.value  # "200", not 200: JSON pointers and OpenAPI keys are strings
                else:
                    key = str(build(k, 0))
                if k.tag == "tag:yaml.org,2002:merge" and isinstance(v, yaml.MappingNode | yaml.SequenceNode):
                    merged = build(v, 0)
                    for part in merged if isinstance(merged, list) else [merged]:
                        if isinstance(part, dict):
                            for mk, mv in part.items():
                                out.setdefault(mk, mv)
                    continue
                out[key] = build(v, k.start_mark.line + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            built[id(node)] = items
            items.extend(build(v, 0) for v in node.value)
            return items
        try:
            return scalar(node)
        except yaml.YAMLError:  # e.g. an impossible timestamp: keep the text
            return node.value

    try:
        return build(root, 0), marks
    except RecursionError:
        raise DocumentError("invalid YAML: nested too deeply", 1, 1) from None
