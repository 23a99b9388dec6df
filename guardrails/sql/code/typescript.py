"""SQL in TypeScript and JavaScript: quoted strings, template literals (substitutions become
placeholders), ``+`` concatenation, and the builder calls that render INSERT IGNORE on MySQL:
knex's ``.onConflict().ignore()``, kysely's ``.ignore()``/``.orIgnore()``, TypeORM's ``.orIgnore()``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guardrails.sql.code.builders import INSTEAD, QueryBuilderCall
from guardrails.sql.code.treesitter import Grammar, Node, Source, chain_names, extract_with
from guardrails.sql.statement import SqlStatement


def _load() -> object:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_typescript()


def _load_tsx() -> object:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_tsx()


def _builders(node: Node, source: Source) -> Iterator[QueryBuilderCall]:
    names = chain_names(node, source)
    if not names or names[0] not in ("ignore", "orIgnore"):
        return
    if names[:2] == ["ignore", "onConflict"]:
        api, family = "knex .onConflict().ignore()", "knex"
    elif "insertInto" in names[1:]:  # kysely: db.insertInto(t).values(...).ignore() / .orIgnore()
        api, family = f"kysely .{names[0]}()", "kysely"
    elif names[0] == "orIgnore":  # TypeORM: createQueryBuilder().insert().into(T).values(...).orIgnore()
        api, family = "TypeORM .orIgnore()", "typeorm"
    else:
        return
    function = node.child_by_field_name("function")
    where = function.child_by_field_name("property") if function is not None else None
    yield QueryBuilderCall(
        source.path, source.location(where or node), api, "INSERT", "IGNORE", INSTEAD[family], "typescript"
    )


_COMMON: dict[str, Any] = dict(
    strings=frozenset({"string", "template_string"}),
    fragments=frozenset({"string_fragment"}),
    builders=_builders,
)
TYPESCRIPT = Grammar(origin="typescript", load=_load, **_COMMON)
TSX = Grammar(origin="tsx", load=_load_tsx, **_COMMON)


def extract(path: str, text: str) -> Iterator[SqlStatement | QueryBuilderCall]:
    return extract_with(TSX if path.endswith((".tsx", ".jsx")) else TYPESCRIPT, path, text)
