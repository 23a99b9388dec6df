"""What the speed work on large specs must not change: the same findings, the same JSON text.

A large spec is validated in a forked child while the rules check it (validate.py,
parallel.Forked); the JSON and SARIF reports are written by report/indent.py instead of
json.dumps(indent=2). Both must give exactly what the slower way gives.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from guardrails import parallel
from guardrails.openapi import validate
from guardrails.report.indent import indented
from guardrails.testing import run

CONFIG = "version: 1\nextends: none\nopenapi:\n  specs: ['api/openapi.json']\nrules:\n  openapi-additional-properties: error\n"
OK = {"200": {"description": "ok"}}


def _invalid_spec() -> dict[str, Any]:
    """A spec with an error of each stage: structural, semantic (duplicate operationId, a path
    parameter never declared, a default outside its schema) and one in a referenced file."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "same", "summary": 5, "responses": OK}},
            "/b/{id}": {"get": {"operationId": "same", "responses": OK}},
            "/c": {
                "get": {
                    "parameters": [{"name": "n", "in": "query", "schema": {"type": "integer", "default": "x"}}],
                    "responses": OK,
                }
            },
            "/d": {"get": {"parameters": [{"$ref": "common.json#/Limit"}], "responses": OK}},
        },
        "components": {"schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}},
    }


FILES = {
    "api/openapi.json": json.dumps(_invalid_spec(), indent=2),
    "api/common.json": json.dumps(
        {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 0}}}
    ),
}


def _findings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> list[tuple[object, ...]]:
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(tmp_path / name))  # cold: no verdict cached
    return [(f.rule, f.path, f.line, f.location.column, f.message) for f in run(FILES, CONFIG)]


def test_a_spec_validated_in_a_child_gets_the_findings_of_one_validated_in_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GUARDRAILS_JOBS", "1")  # everything in this process, as before the change
    serial = _findings(monkeypatch, tmp_path, "serial")
    monkeypatch.delenv("GUARDRAILS_JOBS")
    monkeypatch.setattr(validate, "FORK_BYTES", 0)  # this small spec is validated in a child too
    monkeypatch.setattr(parallel, "cores", lambda: 2)  # as on a machine with a second core
    forks: list[int] = []
    real_fork = parallel._fork_call
    monkeypatch.setattr(parallel, "_fork_call", lambda fn: forks.append(1) or real_fork(fn))
    forked = _findings(monkeypatch, tmp_path, "forked")
    assert forks, "the validation did not run in a child"
    assert forked == serial
    errors = [f for f in serial if f[0] == "parse-error"]
    messages = " ".join(str(f[4]) for f in errors)
    expected_all = ('5 is not of type "string"', "Operation ID 'same'", "Path parameter 'id'", "'x' is not of type")
    for expected in (*expected_all, "less than the minimum of 1"):
        assert expected in messages, (expected, errors)
    assert ("parse-error", "api/common.json") in {f[:2] for f in errors}  # the error in the referenced file
    assert ("openapi-additional-properties", "api/openapi.json") in {f[:2] for f in serial}  # the rule ran too


def test_a_child_that_dies_loses_nothing_its_call_runs_here() -> None:
    parent = os.getpid()

    def answer() -> list[str]:
        if os.getpid() != parent:
            os._exit(3)  # the child dies before it answers (killed, out of memory)
        return ["computed in the parent"]

    running = parallel.Forked(answer)
    assert running.forked
    assert running.result() == ["computed in the parent"]


def test_the_json_text_is_what_json_dumps_with_indent_2_writes() -> None:
    value = {
        "findings": [
            {"message": 'ü "quoted" \\ \n\t\u2028 \U0001f600 <b>&</b>', "line": 3, "suppressed": False},
            {"properties": {"risks": [], "reasons": ["a", "b"], "nested": {}}, "ratio": 0.1, "none": None},
        ],
        "empty": [],
        "tuple": (1, "x"),
        1: "a number as a key",
        "big": 10**30,
        "float": 1e-7,
    }
    for part in [value, [], {}, "s", 0, [[[]]], [{}]]:
        assert indented(part) == json.dumps(part, indent=2)


def _serial_findings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[object, ...]]:
    monkeypatch.setenv("GUARDRAILS_JOBS", "1")  # everything in this process
    serial = _findings(monkeypatch, tmp_path, "serial")
    monkeypatch.delenv("GUARDRAILS_JOBS")
    return serial


def _counting_forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Large-spec behaviour on this small spec, with each forked call's name recorded."""
    monkeypatch.setattr(validate, "FORK_BYTES", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    forks: list[str] = []
    real_fork = parallel._fork_call

    def fork_call(fn: Any) -> Any:
        forks.append(getattr(getattr(fn, "func", fn), "__name__", "?"))
        return real_fork(fn)

    monkeypatch.setattr(parallel, "_fork_call", fork_call)
    return forks


def test_the_validator_starts_before_the_parse_only_when_no_verdict_is_known(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    serial = _serial_findings(monkeypatch, tmp_path)
    forks = _counting_forks(monkeypatch)
    cache = {"GUARDRAILS_CACHE_DIR": str(tmp_path / "shared")}
    monkeypatch.setenv(*next(iter(cache.items())))
    first = [(f.rule, f.path, f.line, f.location.column, f.message) for f in run(FILES, CONFIG)]
    assert (first, forks) == (serial, ["_validate_handed"])  # cold: the early child, handed the parse
    forks.clear()
    again = [(f.rule, f.path, f.line, f.location.column, f.message) for f in run(FILES, CONFIG)]
    assert (again, forks) == (serial, [])  # the same content: the cached verdict, no child at all
    # the root is unchanged but a file it reaches is not: validated after the parse, in a child
    changed = {**FILES, "api/common.json": FILES["api/common.json"].replace('"minimum": 1', '"minimum": 2')}
    after = [(f.rule, f.path, f.line, f.location.column, f.message) for f in run(changed, CONFIG)]
    assert forks == ["run_validator"]
    assert any("less than the minimum of 2" in str(f[4]) for f in after)


def test_an_early_validator_that_cannot_be_handed_the_spec_or_dies_loses_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    serial = _serial_findings(monkeypatch, tmp_path)
    forks = _counting_forks(monkeypatch)
    parent = os.getpid()
    real = validate.run_validator

    def dies(*args: Any) -> Any:
        if os.getpid() != parent:
            os._exit(3)  # handed the spec, then killed (out of memory): the parent validates instead
        return real(*args)

    monkeypatch.setattr(validate, "run_validator", dies)
    assert (_findings(monkeypatch, tmp_path, "died"), forks) == (serial, ["_validate_handed"])
    monkeypatch.setattr(validate, "run_validator", real)
    forks.clear()
    # data marshal cannot send (only plain data goes): the child is stopped, a fork after the parse validates
    monkeypatch.setattr(validate, "_handed_data", lambda spec: {"not": object()})
    assert (_findings(monkeypatch, tmp_path, "unsendable"), forks) == (serial, ["_validate_handed", "run_validator"])


def test_the_json_report_is_json_dumps_with_indent_2_of_its_document() -> None:
    from guardrails.engine import RunResult
    from guardrails.findings import Finding, Location, Severity
    from guardrails.report import json_format

    findings = [
        Finding("insert-ignore", Severity.ERROR, Location("a/ü.sql", 3, 1, 3, 14), 'IGNORE "x" \\ \u2028 😀', "ab12"),
        Finding("ddl-review", Severity.NOTICE, Location("m.sql", 1, 1), "plain", "cd34", suppressed=True),
        Finding("pr-explain", Severity.WARNING, Location("q.go", 9, 2), "p", "ef56", properties={"tables": ["t"]}),
    ]
    result = RunResult(findings, 2, 0.5, [], {}, [], [])
    text = json_format.render(result, {})
    expected = {**json.loads(text), "findings": [json_format.finding_object(f) for f in findings]}
    assert text == json.dumps(expected, indent=2) + "\n"
