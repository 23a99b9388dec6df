"""SQL in PHP: single- and double-quoted strings, heredoc and nowdoc, ``.`` concatenation,
and Laravel's ``insertOrIgnore()`` (INSERT IGNORE on MySQL)."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.sql.code.builders import INSTEAD, QueryBuilderCall
from guardrails.sql.code.treesitter import Grammar, Node, Source, extract_with
from guardrails.sql.statement import SqlStatement


def _load() -> object:
    import tree_sitter_php

    return tree_sitter_php.language_php()


def _builders(node: Node, source: Source) -> Iterator[QueryBuilderCall]:
    name = node.child_by_field_name("name")
    if name is not None and source.slice(name) == "insertOrIgnore":
        yield QueryBuilderCall(
            source.path, source.location(name),
            "Laravel ->insertOrIgnore()",
            "INSERT", "IGNORE", INSTEAD["laravel"], "php",
        )  # fmt: skip


PHP = Grammar(
    origin="php",
    load=_load,
    strings=frozenset({"string", "encapsed_string", "heredoc", "nowdoc"}),
    fragments=frozenset({"string_content", "nowdoc_string"}),
    containers=frozenset({"heredoc_body", "nowdoc_body"}),
    skip=frozenset({"heredoc_start", "heredoc_end"}),
    concat_op=".",
    calls=frozenset(
        {
            "function_call_expression",
            "member_call_expression",
            "scoped_call_expression",
            "nullsafe_member_call_expression",
        }
    ),  # fmt: skip
    keep_unknown_escapes=True,
    builders=_builders,
    flow=True,
)


def extract(path: str, text: str) -> Iterator[SqlStatement | QueryBuilderCall]:
    return extract_with(PHP, path, text)
