"""GitHub's REST description of the operations guardrails uses, as a request and answer checker."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

OPERATIONS = Path(__file__).parent / "fixtures" / "github" / "operations.json"


@dataclass
class Operation:
    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]


class Description:
    def __init__(self, path: Path = OPERATIONS) -> None:
        self.doc = json.loads(path.read_text(encoding="utf-8"))
        self.operations = list(self._operations())

    def example(self, name: str) -> Any:
        return self.doc["components"]["examples"][name]["value"]

    def _operations(self) -> Iterator[Operation]:
        for template, methods in self.doc["paths"].items():
            regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            for method, spec in methods.items():
                yield Operation(spec["operationId"], method, template, re.compile(f"^{regex}$"), spec)

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations:
            m = op.pattern.match(path)
            if m and op.method == method:
                return op, m.groupdict()
        return None

    def validate_request(self, op: Operation, params: dict[str, str], query: dict[str, str], body: Any) -> list[str]:
        problems: list[str] = []
        declared = {}
        for parameter in op.spec.get("parameters", []):
            parameter = self._resolve(parameter)
            declared[(parameter["in"], parameter["name"])] = parameter
        for name, value in params.items():
            problems += self._check_value(declared[("path", name)], value)
        for name, value in query.items():
            if ("query", name) not in declared:
                problems.append(f"query parameter {name!r} is not in the description")
                continue
            problems += self._check_value(declared[("query", name)], value)
        request_body = op.spec.get("requestBody")
        if request_body is None:
            if body is not None:
                problems.append("a body was sent to an operation that takes none")
        elif body is None:
            if request_body.get("required"):
                problems.append("the required JSON body is missing")
        else:
            schema = request_body["content"]["application/json"]["schema"]
            problems += [f"body: {e}" for e in self._errors(schema, body)]
        return problems

    def _check_value(self, parameter: dict[str, Any], raw: str) -> list[str]:
        schema = parameter.get("schema", {})
        value: Any = raw
        if schema.get("type") == "integer":
            if not re.fullmatch(r"-?\d+", raw):
                return [f"{parameter['in']} parameter {parameter['name']!r}={raw!r} is not an integer"]
            value = int(raw)
        return [f"{parameter['in']} parameter {parameter['name']!r}: {e}" for e in self._errors(schema, value)]

    def validate_response(self, op: Operation, status: int, payload: Any) -> list[str]:
        response = self._resolve(op.spec["responses"][str(status)])
        schema = response["content"]["application/json"]["schema"]
        return self._errors(schema, payload)

    def _errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        root = {"allOf": [schema], "components": self.doc["components"]}
        validator = OAS30Validator(root)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {_short(e.message)}"
            for e in validator.iter_errors(instance)
        ]

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            _, _, kind, name = node["$ref"].split("/", 3)
            node = self.doc["components"][kind][name]
        return node


def _short(message: str) -> str:
    return message if len(message) <= 300 else message[:140] + " … " + message[-140:]
