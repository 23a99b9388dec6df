"""Find EXPLAIN output pasted into a pull-request description, and which tables each one covers.

Recognised, inside or outside code fences, as the mysql and mariadb clients
print them: the ``+----+`` table, tab-separated batch output (``-B``/``-e``,
where newlines inside a value are escaped as ``\\n``), the ``\\G`` vertical form,
FORMAT=JSON (bare, in a table cell or in a ``\\G`` row), FORMAT=TREE and
EXPLAIN ANALYZE trees. A table named in prose is not an EXPLAIN: only a table
that appears in one of these shapes counts. The text parsed here is client
output, not SQL, so plain string handling is the right tool.

``guardrails:no-explain TARGET reason`` waives a table or a query fingerprint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_BORDER = re.compile(r"^\s*\+-[-+]*\+\s*$")
_ROW_MARKER = re.compile(r"^\s*\*+ \d+\. row \*+\s*$")
_FIELD = re.compile(r"^\s*([A-Za-z_]+): ?(.*)$")
_PROMPT = re.compile(r"^\s*(?:mysql|mariadb|(?:MariaDB|MySQL) \[[^\]]*\])>\s", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(?:```|~~~)")
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
class Waiver:
    line: int
    target: str  # lower-case table name or query fingerprint
    reason: str


@dataclass
class Description:
    explains: list[Explain] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)  # with a reason: these waive
    unreasoned: list[Waiver] = field(default_factory=list)  # without one: these do not


def read_description(text: str) -> Description:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = Description()
    for number, line in enumerate(lines, 1):
        for m in _WAIVER.finditer(line):
            target = m.group(1).strip("`'\"").lower()
            if target.startswith("<"):
                continue  # a template's placeholder such as <table-or-fingerprint>, not a waiver
            reason = m.group(2).strip()
            reason = reason.removesuffix("-->").strip().removesuffix("*/").strip()
            waiver = Waiver(number, target, reason)
            (out.waivers if target and reason else out.unreasoned).append(waiver)
    out.explains = list(_scan(_clean_lines(lines)))
    return out


def _clean_lines(lines: list[str]) -> list[str]:
    """The description's lines with fences and echoed client input blanked (line numbers kept)."""
    lines = list(lines)
    in_echo = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            lines[i] = ""
            in_echo = False
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


def _scan(lines: list[str]) -> Iterator[Explain]:
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        found: tuple[Explain | None, int] | None = None
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
            found = _bare_json(lines, i)
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


def _table(lines: list[str], i: int) -> tuple[Explain | None, int]:
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
        return Explain(i + 1, "table", _tables(names)), after
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


def _vertical(lines: list[str], i: int) -> tuple[Explain | None, int]:
    """``\\G`` output: ``*** 1. row ***`` then ``key: value`` lines; values may span lines."""
    names: set[str] = set()
    values: list[str] = []
    j = i
    rows = 0
    while j < len(lines) and _ROW_MARKER.match(lines[j]):
        rows += 1
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
        if "table" in fields:
            names.add(fields["table"][0].strip())
        for key in _SINGLE_COLUMN_HEADS & fields.keys():
            values.append("\n".join(fields[key]).strip())
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


_ROW_KEYS = {
    "id",
    "select_type",
    "table",
    "partitions",
    "type",
    "possible_keys",
    "key",
    "key_len",
    "ref",
    "rows",
    "r_rows",
    "filtered",
    "r_filtered",
    "extra",
    "explain",
    "analyze",
    "r_loops",
    "r_total_time_ms",
    "r_other_time_ms",
    "r_engine_stats",
}


def _tsv(lines: list[str], i: int) -> tuple[Explain | None, int]:
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
    return Explain(i + 1, "tsv", _tables(names)), j


def _bare_json(lines: list[str], i: int) -> tuple[Explain | None, int]:
    text = "\n".join(lines[i:])
    start = text.index("{")
    try:
        doc, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None, i + 1
    if not _is_plan(doc):
        return None, i + 1
    return Explain(i + 1, "json", frozenset(_json_tables(doc))), i + text.count("\n", 0, end) + 1


def _bare_tree(lines: list[str], i: int) -> tuple[Explain | None, int]:
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
            doc, _ = json.JSONDecoder().raw_decode(value)  # "1 row in set" may follow
        except ValueError:
            return None
        return _json_tables(doc) if _is_plan(doc) else None
    if value.startswith("->"):
        return _tree_tables(value)
    return None


def _is_plan(doc: object) -> bool:
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
