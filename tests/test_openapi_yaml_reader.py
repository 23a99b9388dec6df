"""Large YAML specs are read with rapidyaml (ryaml.py): the same data, positions and key lines
as the PyYAML reader gives, and PyYAML's own message where the YAML is broken."""

from __future__ import annotations

from typing import Any

import pytest

from guardrails.openapi import document
from guardrails.openapi.document import DocumentError, parse_document
from guardrails.testing import run
from tests.test_openapi_locations import RULE, SPEC_31, flagged_in
from tests.test_openapi_refs import PET, ROOT

AWKWARD = """\
openapi: 3.0.3
info: {title: "caf\u00e9 \u2603", version: '1'}
x-values: [0x1F, 1_000, 012, 012345678912345678, 1.5e3, .inf, ~, null, "", '', true, yes, no, on, 2016-12-31T23:59:60Z]
x-tagged: [!!str 12, !!int "7", !!float 1]
x-anchors:
  base: &base {type: object, "quoted key": {a: 1}}
  derived:
    <<: *base
    extra: 2
  alias: *base
  block: |
    text: {not: a mapping}
  empty: {}
  flow:   { type: object ,  properties: {id: {type: string}} }
paths: {}
components:
  schemas:
    'Quoted':
      "type": object
      x-guardrails-ignore: {openapi-additional-properties: on purpose}
    Unicode\u00e9:
      description: "\u2603 snowman"
      type: object
"""


def both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[document.Document, document.Document]:
    monkeypatch.setattr(document, "RAPID_BYTES", 0)
    rapid = parse_document("spec.yaml", text)
    monkeypatch.setattr(document, "RAPID_BYTES", 10**12)
    return rapid, parse_document("spec.yaml", text)


def mappings(data: Any) -> list[dict[str, Any]]:
    out, stack = [], [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


@pytest.mark.parametrize("text", [AWKWARD, SPEC_31, ROOT, PET], ids=["awkward", "spec31", "root", "pet"])
def test_rapidyaml_gives_what_pyyaml_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rapid, slow = both(text, monkeypatch)
    assert type(rapid.index).__name__ == "YamlIndex" and slow.index is None  # both readers really ran
    assert rapid.data == slow.data
    ours, theirs = mappings(rapid.data), mappings(slow.data)
    where, expected = rapid.positions(ours), slow.positions(theirs)
    assert [where[id(m)] for m in ours] == [expected[id(m)] for m in theirs]
    assert [rapid.key_line(m) for m in ours] == [slow.key_line(m) for m in theirs]
    assert [r["$ref"] for r in rapid.refs] == [r["$ref"] for r in slow.refs]
    assert len(rapid.ignored) == len(slow.ignored)


def test_nested_aliases_are_shared_not_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    levels = ["a0: &a0 {x: 1}"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    rapid, slow = both("openapi: 3.0.3\n" + "\n".join(levels) + "\n", monkeypatch)  # 10**9 leaves if expanded
    assert rapid.data["a9"][0] is rapid.data["a9"][1] is rapid.data["a8"]
    assert rapid.position(rapid.data["a0"]) == slow.position(slow.data["a0"]) == (2, 5)


def test_broken_large_yaml_gets_pyyamls_message_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document, "RAPID_BYTES", 0)
    with pytest.raises(DocumentError) as raised:
        parse_document("spec.yaml", "openapi: 3.0.3\ninfo: [unclosed\npaths: {}\n")
    assert raised.value.line == 3 and "invalid YAML" in str(raised.value)


def test_findings_in_a_large_yaml_spec_are_at_their_exact_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document, "RAPID_BYTES", 0)
    findings = run({"api.yaml": SPEC_31}, {"version": 1, "extends": "none", "rules": {RULE: "error"}}, select=[RULE])
    assert {(f.path, f.line, f.location.column) for f in findings} == flagged_in(SPEC_31, "api.yaml")
