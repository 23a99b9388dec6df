"""The ``openapi`` input: one ``Spec`` per root document, with every file its ``$ref``s reach."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guardrails.findings import Finding
from guardrails.inputs import Input, LoadContext, SourceFile, Unread
from guardrails.openapi.spec import Spec


def _load(ctx: LoadContext) -> Iterator[Spec | Finding | SourceFile | Unread]:
    from guardrails.openapi.source import load_specs

    return load_specs(ctx)


_GLOBS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
OPENAPI_SECTION: dict[str, Any] = {
    "type": "object",
    "description": "OpenAPI and Swagger specs",
    "properties": {
        "specs": {
            **_GLOBS,
            "x-guardrails-must-match": True,
            "description": "root documents (default: every file whose top level has openapi/swagger)",
        },
        "validate": {"type": "boolean", "description": "validate with openapi-spec-validator first (default true)"},
    },
    "additionalProperties": False,
}


OPENAPI: Input[Spec] = Input(
    name="openapi",
    summary="OpenAPI 2.0/3.x specs, configured or detected, with the files their $refs reach",
    units=(Spec,),
    load=_load,
    config={"openapi": OPENAPI_SECTION},
)
