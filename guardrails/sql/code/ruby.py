"""SQL in Ruby: quoted strings with interpolation, ``%q``/``%Q``, heredocs, ``+``
concatenation, and Sequel's ``insert_ignore`` (INSERT IGNORE on MySQL)."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.sql.code.builders import INSTEAD, QueryBuilderCall
from guardrails.sql.code.treesitter import Grammar, Node, Source, extract_with
from guardrails.sql.statement import SqlStatement


def _load() -> object:
    import tree_sitter_ruby

    return tree_sitter_ruby.language()


def _builders(node: Node, source: Source) -> Iterator[QueryBuilderCall]:
    method = node.child_by_field_name("method")
    if method is not None and source.slice(method) == "insert_ignore":
        yield QueryBuilderCall(
            source.path, source.location(method), "Sequel .insert_ignore (INSERT IGNORE on MySQL)",
            "INSERT", "IGNORE", INSTEAD["sequel"], "ruby",
        )  # fmt: skip


RUBY = Grammar(
    origin="ruby",
    load=_load,
    strings=frozenset({"string", "heredoc_body"}),
    fragments=frozenset({"string_content", "heredoc_content"}),
    skip=frozenset({"heredoc_end"}),
    concat=frozenset({"binary"}),
    calls=frozenset({"call"}),
    builders=_builders,
)


def extract(path: str, text: str) -> Iterator[SqlStatement | QueryBuilderCall]:
    return extract_with(RUBY, path, text)
