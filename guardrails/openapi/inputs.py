"""The ``openapi`` input: one ``Spec`` per root document, with every file its ``$ref``s reach."""

from __future__ import annotations

from typing import Any

from guardrails.inputs import GLOBS, Input, LoadContext, lazy
from guardrails.openapi.spec import Spec

OPENAPI_SECTION: dict[str, Any] = {
    "type": "object",
    "description": "OpenAPI and Swagger specs",
    "properties": {
        "specs": {
            **GLOBS,
            "x-guardrails-must-match": True,
            "description": "root documents (default: every file whose top level has openapi/swagger)",
        },
        "validate": {"type": "boolean", "description": "validate with openapi-spec-validator first (default true)"},
    },
    "additionalProperties": False,
}


def _no_spec(ctx: LoadContext) -> str:
    if ctx.section("openapi").get("specs") is not None:
        return "no spec of openapi.specs among the files checked"
    return "no JSON or YAML file checked has a top-level openapi or swagger key (or set openapi.specs)"


OPENAPI: Input[Spec] = Input(
    name="openapi",
    summary="OpenAPI 2.0/3.x specs, configured or detected, with the files their $refs reach",
    units=(Spec,),
    load=lazy("guardrails.openapi.source:load_specs"),
    config={"openapi": OPENAPI_SECTION},
    empty=_no_spec,
)
