"""One spec file as plain data, plus where each mapping in it is written (1-based line, column)."""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from guardrails.findings import Location

if TYPE_CHECKING:
    from guardrails.openapi.jsonpos import JsonIndex
    from guardrails.openapi.ryaml import YamlIndex


# YAML this large is read with rapidyaml (ryaml.py), ten times faster than PyYAML's composer;
# below it PyYAML's time is small and rapidyaml's import is not.
RAPID_BYTES = 256 * 1024
# The suppression key of a schema (DESIGN.md, Suppression); collected while parsing, for free.
IGNORE_KEY = "x-guardrails-ignore"


class DocumentError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class Document:
    path: str  # repository-relative, with /
    data: Any
    text: str | bytes = field(repr=False)  # small YAML: the text; JSON and large YAML: the raw bytes
    # JSON, and large YAML: finds the offset of a mapping's start when asked (most specs need few).
    index: JsonIndex | YamlIndex | None = field(default=None, repr=False)
    # YAML: id(dict) -> (line, column, line of the key that holds it, or 0).
    marks: dict[int, tuple[int, int, int]] = field(default_factory=dict, repr=False)
    _newlines: array[int] | None = field(default=None, repr=False)  # offsets of "\n", once key_line needs them
    refs: list[dict[str, Any]] = field(default_factory=list, repr=False)  # mappings with a $ref
    ignored: list[dict[str, Any]] = field(default_factory=list, repr=False)  # mappings with IGNORE_KEY

    def position(self, obj: Any) -> tuple[int, int]:
        """Where the mapping obj starts: (line, column), or (0, 0) if it is not in this file."""
        return self.positions([obj])[id(obj)]

    def key_line(self, obj: Any) -> int:
        """The line of the YAML key whose value obj is, so a comment above the key covers it."""
        mark = self.marks.get(id(obj))
        if mark:
            return mark[2]
        key_offset = getattr(self.index, "key_offset", None)
        at = key_offset(obj) if key_offset is not None else None
        if at is None:
            return 0
        if self._newlines is None:  # asked once per finding: count the lines once, not per call
            text: Any = self.text
            newline = b"\n" if isinstance(text, bytes) else "\n"
            found, start = array("q"), text.find(newline)
            while start >= 0:
                found.append(start)
                start = text.find(newline, start + 1)
            self._newlines = found
        return bisect.bisect_left(self._newlines, at) + 1

    def location(self, obj: Any) -> Location:
        line, column = self.position(obj)
        return Location(self.path, line, column)

    def positions(self, objs: list[Any]) -> dict[int, tuple[int, int]]:
        """position() for many mappings, by id: one pass over the text, not one per mapping."""
        out: dict[int, tuple[int, int]] = {}
        pending: list[tuple[int, int]] = []
        spans = self.index.offsets(objs) if self.index is not None else {}
        for obj in objs:
            mark = self.marks.get(id(obj))
            start = spans.get(id(obj))
            if mark is not None:
                out[id(obj)] = (mark[0], mark[1])
            elif start is not None:
                pending.append((start, id(obj)))
            else:
                out[id(obj)] = (0, 0)
        pending.sort()
        text: Any = self.text
        newline = b"\n" if isinstance(text, bytes) else "\n"
        line, last = 1, 0
        for offset, key in pending:
            line += text.count(newline, last, offset)
            last = offset
            out[key] = (line, self._column(offset))
        return out

    def line_column(self, offset: int) -> tuple[int, int]:
        text: Any = self.text
        newline = b"\n" if isinstance(text, bytes) else "\n"
        return text.count(newline, 0, offset) + 1, self._column(offset)

    def _column(self, offset: int) -> int:
        text = self.text
        if isinstance(text, bytes):  # columns count characters, not bytes
            start = text.rfind(b"\n", 0, offset) + 1
            if start == 0 and text.startswith(b"\xef\xbb\xbf"):  # editors do not show a BOM
                start = 3
            return len(text[start:offset].decode("utf-8", "replace")) + 1
        return offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_document(path: str, text: str | bytes, scan_in_child: bool = True) -> Document:
    """Parse a JSON (by extension, as bytes) or YAML file; raises DocumentError with a position.
    ``scan_in_child``: see jsonpos.load_json."""
    if path.lower().endswith(".json"):
        from guardrails.openapi.jsonpos import JsonError, load_json

        raw = text if isinstance(text, bytes) else text.encode("utf-8")
        try:
            data, index, refs, ignored = load_json(raw, IGNORE_KEY, scan_in_child)
        except JsonError as exc:
            line, column = Document(path, None, raw).line_column(exc.offset)
            raise DocumentError(str(exc), line, column) from None
        return Document(path, data, raw, index=index, refs=refs, ignored=ignored)
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if len(raw) >= RAPID_BYTES:
        from guardrails.openapi.ryaml import RapidYamlUnavailable, load

        try:
            data, yaml_index, refs, ignored = load(raw, IGNORE_KEY)
        except (RapidYamlUnavailable, UnicodeDecodeError):
            pass  # PyYAML below reads it, or says where it is broken
        else:
            return Document(path, data, raw, index=yaml_index, refs=refs, ignored=ignored)
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    data, marks, refs = _load_yaml(text)
    ignored = [d for d in refs if IGNORE_KEY in d]  # _load_yaml lists them with the refs
    refs = [d for d in refs if isinstance(d.get("$ref"), str)]
    return Document(path, data, text, marks=marks, refs=refs, ignored=ignored)


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _load_yaml(text: str) -> tuple[Any, dict[int, tuple[int, int, int]], list[dict[str, Any]]]:
    import yaml

    from guardrails.yamlpos import YamlError, compose, mark_positions

    try:
        root = compose(text)  # YAML 1.2, as OpenAPI specifies: `enum: [no, yes]` stays strings
    except YamlError as exc:
        raise DocumentError(str(exc), exc.line, exc.column) from None
    marks: dict[int, tuple[int, int, int]] = {}
    refs: list[dict[str, Any]] = []
    if root is None:
        return None, marks, refs
    scalar = yaml.SafeLoader("").construct_object  # only its scalar resolution is used
    where = mark_positions(text)  # on git's lines: PyYAML also ends one at U+2028 and NEL
    built: dict[int, Any] = {}  # by node id: aliases share one object, and recursion terminates

    def build(node: Any, key_line: int) -> Any:
        done = built.get(id(node))
        if done is not None:
            return done
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            built[id(node)] = out
            marks[id(out)] = (*where(node.start_mark), key_line)
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
                out[key] = build(v, where(k.start_mark)[0])
            if isinstance(out.get("$ref"), str) or IGNORE_KEY in out:
                refs.append(out)
            return out
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            built[id(node)] = items
            items.extend(build(v, 0) for v in node.value)
            return items
        if node.tag == _TIMESTAMP:
            # OpenAPI is JSON: a date in an example is a string (a datetime would also stop the
            # validator, and `...T23:59:60Z`, a leap second, is no datetime at all)
            return node.value
        try:
            return scalar(node)
        except (yaml.YAMLError, ValueError, OverflowError):  # e.g. an impossible date: keep the text
            return node.value

    try:
        return build(root, 0), marks, refs
    except RecursionError:
        raise DocumentError("invalid YAML: nested too deeply", 1, 1) from None
