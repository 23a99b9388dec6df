"""SQL in Java: string literals, text blocks, ``+`` concatenation, and jOOQ's
``onDuplicateKeyIgnore()`` and core-ng's ``insertIgnore()`` (INSERT IGNORE on MySQL)."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.sql.code.builders import INSTEAD, QueryBuilderCall
from guardrails.sql.code.treesitter import Grammar, Node, Source, extract_with
from guardrails.sql.statement import SqlStatement


def _load() -> object:
    import tree_sitter_java

    return tree_sitter_java.language()


# core-ng's Repository methods that run INSERT IGNORE
_CORE_NG = frozenset({"insertIgnore", "batchInsertIgnore"})


def _builders(node: Node, source: Source) -> Iterator[QueryBuilderCall]:
    name = node.child_by_field_name("name")
    method = source.slice(name) if name is not None else ""
    if method == "onDuplicateKeyIgnore":
        yield QueryBuilderCall(
            source.path, source.location(name), "jOOQ .onDuplicateKeyIgnore()",
            "INSERT", "IGNORE", INSTEAD["jooq"], "java",
        )  # fmt: skip
    elif method in _CORE_NG:
        yield QueryBuilderCall(
            source.path, source.location(name), f"core-ng Repository.{method}()",
            "INSERT", "IGNORE", INSTEAD["core-ng"], "java",
        )  # fmt: skip


JAVA = Grammar(
    origin="java",
    load=_load,
    strings=frozenset({"string_literal"}),
    fragments=frozenset({"string_fragment", "multiline_string_fragment"}),
    calls=frozenset({"method_invocation"}),
    builders=_builders,
)


def extract(path: str, text: str) -> Iterator[SqlStatement | QueryBuilderCall]:
    return extract_with(JAVA, path, text)
