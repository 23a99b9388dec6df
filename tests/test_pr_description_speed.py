"""Reading a pull-request description is linear: doubling a hostile description at most about
doubles the work, counted in operations (Python events traced; characters handed to the JSON
decoder), never in seconds. Issue 12 measured 4 s at 64 KB and over 120 s at 1 MB."""

from __future__ import annotations

import json
import sys
from types import FrameType
from typing import Any

import pytest

from benchmarks.bench_hostile import PR_SHAPES
from guardrails.github.explain_text import read_description
from guardrails.pull_request.rendered import MAX_NESTING, render, task_items


def _operations(text: str) -> int:
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    try:
        rendered = render(text)
        read_description(rendered)
        task_items(rendered)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", list(PR_SHAPES))
def test_doubling_a_hostile_description_about_doubles_the_work(shape: str) -> None:
    read_description(PR_SHAPES[shape](100))  # imports done before counting
    small, large = (PR_SHAPES[shape](size) for size in (6_000, 12_000))
    per_character = [_operations(text) / len(text) for text in (small, large)]
    # twice the text costs at most 2.5 times the work (quadratic would be 4)
    assert per_character[1] <= 1.25 * per_character[0], per_character
    # and a bounded cost per character: markdown-it's link rule, linear too, cost 30 times this
    assert per_character[1] <= 1_000, per_character


def test_the_json_decoder_is_handed_a_window_not_the_rest_of_the_description(monkeypatch: pytest.MonkeyPatch) -> None:
    # The C decoder's work is not traced: count the characters it is handed instead. Trying a JSON
    # plan at every line starting with "{" handed it the rest of the description each time.
    handed = 0
    decode = json.JSONDecoder.raw_decode

    def counting(self: json.JSONDecoder, s: str, idx: int = 0) -> tuple[Any, int]:
        nonlocal handed
        handed += len(s) - idx
        return decode(self, s, idx)

    monkeypatch.setattr(json.JSONDecoder, "raw_decode", counting)
    for text in ("{\n" * 20_000, '{"query_block":\n' * 4_000, '{"a": 1}\n' * 5_000):
        handed = 0
        read_description(text)
        assert handed <= 100 * len(text), (text[:20], handed)  # the first window is 128 characters


def test_nesting_deeper_than_is_read_is_said_not_dropped() -> None:
    deep = "".join("  " * depth + "- x\n" for depth in range(MAX_NESTING))
    assert render(deep).too_deep
    assert not render("- a\n  - b\n    - [x] c\n").too_deep


def test_a_description_nested_too_deep_is_a_parse_error_on_the_pull_request() -> None:
    from guardrails.testing import run

    deep = "".join("  " * depth + "- [x] item 1\n" for depth in range(MAX_NESTING))
    found = run({"a.sql": "SELECT 1;\n"}, {"version": 1, "pull_request": {"checklist": ["item 1"]}}, pr_body=deep)
    [error] = [f for f in found if f.rule == "parse-error"]
    assert error.path == "" and f"deeper than {MAX_NESTING} levels" in error.message


def test_what_lies_past_the_read_limit_is_said_not_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    import guardrails.pull_request.rendered as rendered
    from guardrails.testing import run

    monkeypatch.setattr(rendered, "MAX_CHARACTERS", 1_000)  # 1 MB in use: memory stays bounded
    body = "Notes.\n" * 200 + "- [x] item 1\n"
    config = {"version": 1, "pull_request": {"checklist": ["item 1"]}}
    found = run({"a.sql": "SELECT 1;\n"}, config, select=["pr-checklist"], pr_body=body)
    assert sorted((f.rule, f.message.split(": ")[-1]) for f in found) == [
        ("parse-error", "it was read up to line 142 only"),
        ("pr-checklist", "missing from the description"),
    ]
    one_line = run({"a.sql": "SELECT 1;\n"}, config, select=["pr-checklist"], pr_body="`a" * 1_000 + "- [x] item 1")
    assert [f.message.split(": ")[-1] for f in one_line if f.rule == "parse-error"] == ["it was read up to line 1 only"]
