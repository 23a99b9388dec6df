"""Find EXPLAIN output pasted into a pull-request description, and which tables each one covers.

Recognised, inside or outside code fences, as the mysql and mariadb clients
print them: the ``+----+`` table, tab-separated batch output (``-B``/``-e``,
where newlines inside a value are escaped as ``\\n``), the ``\\G`` vertical form,
FORMAT=JSON (bare, in a table cell or in a ``\\G`` row), FORMAT=TREE and
EXPLAIN ANALYZE trees. A table named in prose is not an EXPLAIN: only a table
that appears in one of these shapes counts. The text parsed here is client
output, not SQL, so plain string handling is the right tool.

``guardrails:no-explain TARGET reason`` waives a table or a query fingerprint.

The description is read as GitHub renders it (guardrails.pull_request.rendered): output or a
waiver inside an HTML comment or a tag's attributes is not shown, so it is not there. A block shaped like client
output whose columns are not an EXPLAIN's (guardrails.pull_request.plans) is kept apart, in
``Description.rejected``, so a rule can say why it did not count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeGuard

from guardrails.pull_request.plans import TABULAR_COLUMNS, header_problem, json_problem

if TYPE_CHECKING:
    from guardrails.pull_request.rendered import Rendered

_BORDER = re.compile(r"^\s*\+-[-+]*\+\s*$")
_ROW_MARKER = re.compile(r"^\s*\*+ \d+\. row \*+\s*$")
_FIELD = re.compile(r"^\s*([A-Za-z_]+): ?(.*)$")
_PROMPT = re.compile(r"^\s*(?:mysql|mariadb|(?:MariaDB|MySQL) \[[^\]]*\])>\s", re.IGNORECASE)
# Tree (FORMAT=TREE, EXPLAIN ANALYZE) access paths that name a table: "Table scan on t",
# "Index lookup on t using k", "Covering index skip scan for grouping on t", "Constant row from t".
_TREE_TABLE = re.compile(r"(?:\b(?:scan|lookup|search)(?: for \w+)? on|\bConstant row from) (`[^`]+`|[^\s(),]+)")
_WAIVER = re.compile(r"guardrails:no-explain\b[ \t]*(\S*)[ \t]*(.*)")
_SINGLE_COLUMN_HEADS = {"explain", "analyze"}
_PLAN_KEYS = {"query_block", "query_plan", "query", "inputs"}  # tops of JSON plans
_BATCH_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "0": "\0"}


@dataclass(frozen=True)
class Explain:
    line: int  # 1-based line of the description where the output starts
    form: str  # table | tsv | vertical | json | tree
    tables: frozenset[str]  # lower-case table names and aliases, as the plan shows them


@dataclass(frozen=True)
class Rejected:
    """A block shaped like client output that is not EXPLAIN output of MySQL or MariaDB."""

    line: int
    tables: frozenset[str]
    problem: str  # what is wrong, in words


@dataclass(frozen=True)
class Waiver:
    line: int
    target: str  # lower-case table name or query fingerprint
    reason: str


@dataclass
class Description:
    explains: list[Explain] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)  # with a reason: these waive
    unreasoned: list[Waiver] = field(default_factory=list)  # without one: these do not
    rejected: list[Rejected] = field(default_factory=list)  # not EXPLAIN output: these do not count


def read_description(body: str | Rendered) -> Description:
    """The EXPLAINs and waivers a reviewer sees in a description (text, or already rendered)."""
    from guardrails.pull_request.rendered import render

    lines = list((render(body) if isinstance(body, str) else body).lines)
    out = Description()
    for number, line in enumerate(lines, 1):
        for m in _WAIVER.finditer(line):
            target = m.group(1).strip("`'\"").lower()
            if target.startswith("<"):
                continue  # a template's placeholder such as <table-or-fingerprint>, not a waiver
            reason = m.group(2).strip()
            reason = reason.removesuffix("*/").strip()
            waiver = Waiver(number, target, reason)
            (out.waivers if target and reason else out.unreasoned).append(waiver)
    for found in _scan(_clean_lines(lines)):
        if isinstance(found, Rejected):
            out.rejected.append(found)
        else:
            out.explains.append(found)
    return out


def _clean_lines(lines: list[str]) -> list[str]:
    """The shown lines with echoed client input blanked (line numbers kept); the renderer
    has already blanked the fence lines."""
    in_echo = False
    for i, line in enumerate(lines):
        if not line.strip():
            in_echo = False  # a blank line (or a fence) ends what the client echoed
            continue
        if _PROMPT.match(line):
            in_echo = True
        if in_echo:
            # "mysql> EXPLAIN FORMAT=TREE" and its "    -> SELECT ..." continuation lines are input,
            # and look like tree output: drop them up to the statement's terminator.
            stripped = line.rstrip()
            lines[i] = ""
            if stripped.endswith((";", "\\G", "\\g")):
                in_echo = False
    return lines


Found = tuple["Explain | Rejected | None", int]  # what starts at a line, and the line after it


def _scan(lines: list[str]) -> Iterator[Explain | Rejected]:
    i, n = 0, len(lines)
    document = _Document(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        found: Found | None = None
        if _BORDER.match(line):
            found = _table(lines, i)
        elif _ROW_MARKER.match(line):
            found = _vertical(lines, i)
        elif "\t" in line:
            found = _tsv(lines, i)
        elif stripped.lower() in _SINGLE_COLUMN_HEADS and i + 1 < n:
            value = _unescape_batch(lines[i + 1].strip())
            tables = _value_tables(value)
            if tables is not None:
                found = (Explain(i + 1, _value_form(value), frozenset(tables)), i + 2)
        elif stripped.startswith("{"):
            found = _bare_json(document, i)
        elif stripped.startswith("->"):
            found = _bare_tree(lines, i)
        if found is None:
            i += 1
            continue
        explain, after = found
        if explain is not None:
            yield explain
        i = max(after, i + 1)


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table(lines: list[str], i: int) -> Found:
    """``+---+`` output: a header row, then rows; or one cell (JSON or a tree) spanning lines."""
    if i + 2 >= len(lines) or not _is_row(lines[i + 1]) or not _BORDER.match(lines[i + 2]):
        return None, i + 1
    header = [c.lower() for c in _cells(lines[i + 1])]
    body: list[str] = []
    j = i + 3
    while j < len(lines) and not _BORDER.match(lines[j]):
        if not body and not _is_row(lines[j]):
            return None, j  # a border, a header, then something else: not client output
        body.append(lines[j])
        j += 1
    after = j + 1
    if "table" in header:
        col = header.index("table")
        names = {_cells(row)[col] for row in body if _is_row(row) and len(_cells(row)) > col}
        return _tabular(i + 1, "table", header, names), after
    if len(header) == 1 and header[0] in _SINGLE_COLUMN_HEADS:
        value = "\n".join(_strip_cell(row) for row in body).strip()
        tables = _value_tables(value)
        if tables is not None:
            return Explain(i + 1, _value_form(value), frozenset(tables)), after
    return None, after


def _strip_cell(row: str) -> str:
    row = row.rstrip()
    if row.lstrip().startswith("| "):
        row = row.lstrip()[2:]
    if row.endswith(" |"):
        row = row[:-2]
    return row


def _tabular(line: int, form: str, header: list[str], names: set[str]) -> Explain | Rejected:
    """A table, batch or ``\\G`` block with a ``table`` column: EXPLAIN output if its columns are."""
    problem = header_problem(header)
    if problem:
        return Rejected(line, _tables(names), problem)
    return Explain(line, form, _tables(names))


def _vertical(lines: list[str], i: int) -> Found:
    """``\\G`` output: ``*** 1. row ***`` then ``key: value`` lines; values may span lines."""
    names: set[str] = set()
    values: list[str] = []
    keys: list[str] | None = None  # the first row's, which are the columns of every row
    j = i
    while j < len(lines) and _ROW_MARKER.match(lines[j]):
        fields: dict[str, list[str]] = {}
        last = ""
        j += 1
        while j < len(lines) and lines[j].strip() and not _ROW_MARKER.match(lines[j]):
            m = _FIELD.match(lines[j])
            if m and (m.group(1).lower() in _ROW_KEYS or not last):
                last = m.group(1).lower()
                fields[last] = [m.group(2)]
            elif last:
                fields[last].append(lines[j])
            j += 1
        if keys is None:
            keys = list(fields)
        if "table" in fields:
            names.add(fields["table"][0].strip())
        for key in _SINGLE_COLUMN_HEADS & fields.keys():
            values.append("\n".join(fields[key]).strip())
    if names and keys is not None:
        return _tabular(i + 1, "vertical", keys, names), j
    tables = _tables(names)
    form = "vertical"
    for value in values:
        found = _value_tables(value)
        if found is None:
            continue
        tables |= found
        form = _value_form(value)
    if not names and not values:
        return None, j
    return Explain(i + 1, form, frozenset(tables)), j


# The keys of a ``\\G`` row: the tabular columns, the one of FORMAT=JSON/TREE, ANALYZE's timings.
_ROW_KEYS = TABULAR_COLUMNS | {"explain", "analyze", "r_loops", "r_total_time_ms", "r_other_time_ms", "r_engine_stats"}


def _tsv(lines: list[str], i: int) -> Found:
    header = [c.strip().lower() for c in lines[i].split("\t")]
    if "table" not in header or not ({"select_type", "id"} & set(header)):
        return None, i + 1
    col = header.index("table")
    names: set[str] = set()
    j = i + 1
    while j < len(lines) and len(lines[j].split("\t")) == len(header):
        names.add(lines[j].split("\t")[col].strip())
        j += 1
    if j == i + 1:
        return None, j
    return _tabular(i + 1, "tsv", header, names), j


class _Document:
    """The shown lines joined once, with where each line starts and where its block (its run of
    non-blank lines) ends: a JSON plan lies within one block, as the clients print no blank line
    inside one. Joining the rest of the description for every line starting with ``{`` made
    reading quadratic (a 64 KB description of ``{`` lines took 30 s)."""

    def __init__(self, lines: list[str]) -> None:
        self.text = "\n".join(lines)
        self.starts = [0]
        for line in lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.block_end = [len(lines)] * (len(lines) + 1)
        for i in range(len(lines) - 1, -1, -1):
            self.block_end[i] = i if not lines[i].strip() else self.block_end[i + 1]


def _bare_json(document: _Document, i: int) -> Found:
    """A JSON plan starting on line i. What the decoder read, plan or not, is not read again from
    a later line, and it reads a window only as large as the document needs: linear."""
    text = document.text
    start = text.index("{", document.starts[i])
    if text[start + 1 : start + 80].lstrip()[:1] not in ('"', "}"):
        return None, i + 1  # an object's first key (or its end) comes next, or it is not JSON
    limit = min(len(text), document.starts[document.block_end[i]])
    try:
        doc, window, end = _decode(text, start, limit)
    except _NotJson as exc:
        return None, i + max(1, exc.lines)  # the line it broke on may start a plan
    except RecursionError:  # nested deeper than any plan: no plan starts in this block
        return None, max(i + 1, document.block_end[i])
    after = i + window.count("\n", 0, max(0, end - 1)) + 1
    if not _is_plan(doc):
        return None, after
    problem = json_problem(doc)
    if problem:
        return Rejected(i + 1, frozenset(_json_tables(doc)), problem), after
    return Explain(i + 1, "json", frozenset(_json_tables(doc))), after


_DECODER = json.JSONDecoder()


class _NotJson(Exception):
    def __init__(self, lines: int) -> None:
        self.lines = lines  # how many lines after the start the decoder broke


def _decode(text: str, start: int, limit: int) -> tuple[object, str, int]:
    """The JSON value at ``start`` (ending before ``limit``), the window it was read from and its
    end in that window. The window grows fourfold while the error is the window's own cut, so
    the work is a few times the value's size, never the rest of the description's."""
    size = 128
    while True:
        window = text[start : min(limit, start + size)]
        try:
            doc, end = _DECODER.raw_decode(window)
            return doc, window, end
        except json.JSONDecodeError as exc:
            cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(window.rstrip()) - 6
            if start + size >= limit or not cut:
                raise _NotJson(window.count("\n", 0, exc.pos)) from None
        size *= 4


def _bare_tree(lines: list[str], i: int) -> Found:
    j = i
    while j < len(lines) and lines[j].lstrip().startswith(("->", "(actual")):
        j += 1
    tree = "\n".join(lines[i:j])
    return Explain(i + 1, "tree", frozenset(_tree_tables(tree))), j


def _value_form(value: str) -> str:
    return "json" if value.lstrip().startswith("{") else "tree"


def _value_tables(value: str) -> set[str] | None:
    """Tables of a single EXPLAIN value (JSON document or tree); None if it is neither."""
    value = value.strip()
    if value.startswith("{"):
        try:
            doc, _ = _DECODER.raw_decode(value)  # "1 row in set" may follow
        except (ValueError, RecursionError):
            return None
        return _json_tables(doc) if _is_plan(doc) and not json_problem(doc) else None
    if value.startswith("->"):
        return _tree_tables(value)
    return None


def _is_plan(doc: object) -> TypeGuard[dict[str, object]]:
    return isinstance(doc, dict) and bool(_PLAN_KEYS & doc.keys())


def _json_tables(doc: object) -> set[str]:
    """Every ``table_name`` (and, in MySQL's JSON format 2, ``alias``) in a JSON plan."""
    names: set[str] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("table_name", "alias"):
                if isinstance(node.get(key), str):
                    names.add(node[key])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return set(_tables(names))


def _tree_tables(tree: str) -> set[str]:
    return set(_tables(m.group(1) for m in _TREE_TABLE.finditer(tree)))


def _tables(names: Iterator[str] | set[str]) -> frozenset[str]:
    """Lower-case table names; drops NULL and MySQL's ``<derived2>``-style internal names."""
    out = set()
    for name in names:
        name = name.strip().strip("`")
        if not name or name.upper() == "NULL" or name.startswith("<"):
            continue
        out.add(name.rsplit(".", 1)[-1].strip("`").lower())
    return frozenset(out)


def _unescape_batch(value: str) -> str:
    """Undo the batch client's escaping of a value: ``\\n``, ``\\t``, ``\\\\`` and ``\\0``."""
    if "\\" not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            out.append(_BATCH_ESCAPES.get(value[i + 1], value[i : i + 2]))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
