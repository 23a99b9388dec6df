"""SQL in Go: raw and interpreted strings, ``+`` with constants, ``fmt.Sprintf`` formats,
and the squirrel and GORM forms of INSERT IGNORE."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.sql.code.assemble import Literal
from guardrails.sql.code.builders import INSTEAD, QueryBuilderCall, instead, is_ignore_word, verb_of
from guardrails.sql.code.treesitter import (
    Grammar,
    Node,
    Source,
    Walker,
    callee_name,
    chain_names,
    extract_with,
)
from guardrails.sql.statement import SqlStatement

_STRINGS = ("interpreted_string_literal", "raw_string_literal")


def _load() -> object:
    import tree_sitter_go

    return tree_sitter_go.language()


def _format_call(node: Node, source: Source) -> Node | None:
    """The format argument of fmt.Sprintf (verbs become placeholders, %% becomes %)."""
    function = node.child_by_field_name("function")
    if function is None or source.slice(function) not in ("fmt.Sprintf", "Sprintf"):
        return None
    arguments = node.child_by_field_name("arguments")
    if arguments is None or arguments.named_child_count == 0:
        return None
    return arguments.named_children[0]


def _constants(root: Node, source: Source, walker: Walker) -> dict[str, Literal]:
    """Package-level and local ``const`` strings of this file, in order, so a constant may
    use the ones declared before it."""
    found: dict[str, Literal] = {}
    stack = [root]
    specs = []
    while stack:
        node = stack.pop()
        if node.type == "const_spec":
            specs.append(node)
            continue
        stack.extend(reversed(node.children))
    walker.constants = found  # filled as we go: a constant may use those before it
    for spec in specs:
        names = spec.children_by_field_name("name")
        value = spec.child_by_field_name("value")
        if len(names) != 1 or value is None or value.named_child_count != 1:
            continue
        literal = walker.assemble(value.named_children[0])
        if literal is not None:
            found[source.slice(names[0])] = literal
    return found


def _builders(node: Node, source: Source) -> Iterator[QueryBuilderCall]:
    if node.type == "composite_literal":
        kind = node.child_by_field_name("type")
        if kind is None or source.slice(kind) not in ("clause.Insert", "Insert"):
            return
        body = node.child_by_field_name("body")
        for element in body.named_children if body is not None else []:
            if element.type != "keyed_element" or element.named_child_count != 2:
                continue
            key, value = element.named_children
            text = source.slice(value).strip('"`')
            if source.slice(key) == "Modifier" and is_ignore_word(text):
                yield QueryBuilderCall(
                    source.path, source.location(value),
                    'GORM clause.Insert{Modifier: "IGNORE"}', "INSERT", "IGNORE",
                    INSTEAD["gorm"], "go",
                )  # fmt: skip
        return
    if callee_name(node, source) != "Options":
        return
    arguments = node.child_by_field_name("arguments")
    for argument in arguments.named_children if arguments is not None else []:
        if argument.type in _STRINGS and is_ignore_word(source.slice(argument).strip('"`')):
            verb = verb_of(chain_names(node, source)[1:])
            yield QueryBuilderCall(
                source.path, source.location(argument),
                'squirrel .Options("IGNORE")', verb, "IGNORE", instead("squirrel", verb), "go",
            )  # fmt: skip


GO = Grammar(
    origin="go",
    load=_load,
    strings=frozenset(_STRINGS),
    fragments=frozenset({"interpreted_string_literal_content", "raw_string_literal_content"}),
    builders=_builders,
    constants=_constants,
    format_call=_format_call,
    flow=True,
)


def extract(path: str, text: str) -> Iterator[SqlStatement | QueryBuilderCall]:
    return extract_with(GO, path, text)
