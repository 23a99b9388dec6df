"""SQL in Ruby: quoted strings with interpolation, ``%q``/``%Q``, heredocs, ``+``
concatenation, Sequel's ``insert_ignore`` and activerecord-import's ``import(..., on_duplicate_key_ignore:
true)`` (INSERT IGNORE on MySQL)."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.sql.code.builders import INSTEAD, QueryBuilderCall
from guardrails.sql.code.treesitter import Grammar, Node, Source, extract_with
from guardrails.sql.statement import SqlStatement


def _load() -> object:
    import tree_sitter_ruby

    return tree_sitter_ruby.language()


_IMPORTS = frozenset({"import", "import!", "bulk_import", "bulk_import!"})
# activerecord-import's options that render INSERT IGNORE on MySQL
_IMPORT_IGNORE = frozenset({"on_duplicate_key_ignore", "ignore"})


def _builders(node: Node, source: Source) -> Iterator[QueryBuilderCall]:
    method = node.child_by_field_name("method")
    name = source.slice(method) if method is not None else ""
    if name == "insert_ignore":
        yield QueryBuilderCall(
            source.path, source.location(method), "Sequel .insert_ignore",
            "INSERT", "IGNORE", INSTEAD["sequel"], "ruby",
        )  # fmt: skip
    elif name in _IMPORTS:
        arguments = node.child_by_field_name("arguments")
        for pair in arguments.named_children if arguments is not None else []:
            if pair.type != "pair" or pair.child_by_field_name("value") is None:
                continue
            key = source.slice(pair.child_by_field_name("key")).strip(":\"'")
            if key in _IMPORT_IGNORE and pair.child_by_field_name("value").type == "true":
                yield QueryBuilderCall(
                    source.path, source.location(pair), f"activerecord-import .{name}({key}: true)",
                    "INSERT", "IGNORE", INSTEAD["activerecord-import"], "ruby",
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
