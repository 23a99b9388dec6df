"""Schedules in Go, through tree-sitter: robfig/cron and gocron (v1 and v2).

robfig/cron (in files that import it): ``AddFunc(spec, f)`` and ``AddJob(spec, job)``; a spec
that is not a string literal is reported as not checked. A literal spec has five fields,
or six with a leading seconds field (what ``cron.WithSeconds()`` parses), the descriptors
(``@hourly``, ``@daily``, ...), a ``CRON_TZ=``/``TZ=`` prefix for the zone, and ``@every``,
which is an interval. gocron v1: ``Cron(...)``/``CronWithSeconds(...)`` and ``Every(n).Day()
.At("10:30")`` chains (``Every(5).Minutes()`` is an interval); gocron v2: ``CronJob(spec,
withSeconds)``, ``DailyJob``/``WeeklyJob`` with ``NewAtTime(h, m, s)``, ``DurationJob`` (an
interval). The job is named by ``WithName``/``Tag``/``Name`` or by the function it runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from guardrails.findings import Finding, parse_error
from guardrails.schedules.model import CRON, INTERVAL, Schedule
from guardrails.sql.code.treesitter import Node, Source, callee_name, chain_names, statement_line

HINT = "a random sleep in the job"
_WORDS = ("AddFunc", "AddJob", "gocron")
_DAY_UNITS = {"Day": "*", "Days": "*", "Week": "0", "Weeks": "0", "Weekday": "*"}
_DAY_UNITS.update({d: str(i) for i, d in enumerate(("Sunday", "Monday", "Tuesday", "Wednesday"))})
_DAY_UNITS.update({"Thursday": "4", "Friday": "5", "Saturday": "6"})
_INTERVAL_UNITS = frozenset({"Second", "Seconds", "Minute", "Minutes", "Hour", "Hours", "Millisecond", "Milliseconds"})
_GO_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def mentions(text: str) -> bool:
    return any(word in text for word in _WORDS)


def read(path: str, text: str) -> Iterator[Schedule | Finding]:
    from guardrails.sql.code.go import GO
    from guardrails.sql.code.treesitter import parse

    source = Source(path, text)
    robfig = "robfig/cron" in text
    stack = [parse(GO, source)]
    while stack:
        node = stack.pop()
        if node.type == "call_expression":
            schedule = _call(node, source)
            if isinstance(schedule, Schedule):
                yield replace(schedule, statement_line=statement_line(node))
            elif schedule is None and robfig and _is_robfig_add(node, source):
                # a spec from a variable or a constant: say it was not checked, never skip it silently
                line, column = source.position(node.start_point)
                yield parse_error(
                    path, "robfig/cron schedule not checked: its spec is not a string literal", line, column
                )
        stack.extend(reversed(node.children))


def _call(call: Node, source: Source) -> Schedule | None:
    name = callee_name(call, source)
    args = _args(call)
    if name in ("AddFunc", "AddJob") and args and _is_string(args[0]) and "robfig/cron" in source.text:
        job = _job_name(args[1], source) if len(args) > 1 else f"job at line {call.start_point[0] + 1}"
        return _spec(source, args[0], job, "robfig/cron", seconds=None)
    if name in ("Cron", "CronWithSeconds") and args and _is_string(args[0]) and _in_gocron_chain(call, source):
        return _spec(source, args[0], _chain_job(call, source), "gocron", seconds=name == "CronWithSeconds")
    if name == "Do" and chain_names(call, source)[-1:] == ["Every"]:
        return _every(call, source)
    if name == "CronJob" and args and _is_string(args[0]):
        seconds = len(args) > 1 and source.slice(args[1]) == "true"
        return _spec(source, args[0], _v2_job(call, source), "gocron", seconds=seconds)
    if name in ("DailyJob", "WeeklyJob"):
        return _v2_at(call, name, source)
    if name in ("DurationJob", "DurationRandomJob") and args:
        job = _v2_job(call, source)
        return Schedule(
            source.path, source.location(call), job, "gocron", source.slice(call), INTERVAL, jitter_hint=HINT
        )
    return None


def _is_robfig_add(call: Node, source: Source) -> bool:
    args = _args(call)
    return callee_name(call, source) in ("AddFunc", "AddJob") and len(args) == 2 and not _is_string(args[0])


def _spec(source: Source, node: Node, job: str, origin: str, seconds: bool | None) -> Schedule:
    """A cron spec literal; ``seconds=None``: six fields mean a leading seconds field (robfig)."""
    spec = _string(node, source)
    zone = None
    head, _, rest = spec.partition(" ")
    if head.startswith(("CRON_TZ=", "TZ=")):
        zone, spec = head.partition("=")[2], rest.strip()
    location = source.location(node)
    if spec.startswith("@every"):
        return Schedule(source.path, location, job, origin, spec, INTERVAL, jitter_hint=HINT)
    if seconds is None:
        seconds = len(spec.split()) == 6
    return Schedule(source.path, location, job, origin, spec, CRON, spec, seconds, zone, jitter_hint=HINT)


def _every(do: Node, source: Source) -> Schedule | None:
    """gocron v1: ``s.Every(1).Day().At("10:30").Do(task)``."""
    chain = _chain(do, source)
    names = [n for n, _ in chain]
    job = _chain_job(do, source)
    at = next((a for n, a in chain if n == "At"), None)
    day = next((n for n in names if n in _DAY_UNITS), None)
    if day is None or at is None or not at or not _is_string(at[0]):
        if day is None and not any(n in _INTERVAL_UNITS for n in names):
            return None
        return Schedule(source.path, source.location(do), job, "gocron", _shown(do, source), INTERVAL, jitter_hint=HINT)
    times = _string(at[0], source).split(";")
    hour, _, minute = times[0].partition(":")
    weekday = _DAY_UNITS[day]
    if day == "Weekday":
        weekday = next((str(_GO_DAYS.index(source.slice(a[0]).rsplit(".", 1)[-1])) for n, a in chain if n == day), "*")
    cron = f"{int(minute.split(':')[0] or 0)} {int(hour or 0)} * * {weekday}"
    return Schedule(
        source.path, source.location(at[0]), job, "gocron", _shown(do, source), CRON, cron, jitter_hint=HINT
    )


def _v2_at(call: Node, name: str, source: Source) -> Schedule | None:
    """gocron v2: ``DailyJob(1, NewAtTimes(NewAtTime(2, 0, 0)))``, ``WeeklyJob(1, NewWeekdays(time.Monday), ...)``."""
    at_time = _find_call(call, "NewAtTime", source)
    if at_time is None:
        return None
    numbers = [source.slice(a) for a in _args(at_time)]
    if len(numbers) < 2 or not all(n.isdigit() for n in numbers[:2]):
        return None
    weekday = "*"
    weekdays = _find_call(call, "NewWeekdays", source)
    if name == "WeeklyJob" and weekdays is not None:
        found = [source.slice(a).rsplit(".", 1)[-1] for a in _args(weekdays)]
        weekday = ",".join(str(_GO_DAYS.index(d)) for d in found if d in _GO_DAYS) or "*"
    cron = f"{int(numbers[1])} {int(numbers[0])} * * {weekday}"
    job = _v2_job(call, source)
    return Schedule(source.path, source.location(call), job, "gocron", source.slice(call), CRON, cron, jitter_hint=HINT)


# -- naming --------------------------------------------------------------------------------------
def _job_name(node: Node, source: Source) -> str:
    """The function a job runs: ``cleanup``, ``s.rotateLogs``, the first call of a func literal,
    the type of a job value (``&ReportJob{}``)."""
    if node.type == "func_literal":
        inner = _find_call(node, None, source)
        if inner is not None:
            return source.slice(inner.child_by_field_name("function"))
        return f"func at line {node.start_point[0] + 1}"
    if node.type == "unary_expression":
        node = node.named_children[-1]
    if node.type == "composite_literal":
        return source.slice(node.child_by_field_name("type"))
    if node.type == "call_expression":
        inner_args = _args(node)
        return _job_name(inner_args[0], source) if inner_args else source.slice(node.child_by_field_name("function"))
    return source.slice(node)[:60]


def _chain_job(call: Node, source: Source) -> str:
    """gocron v1: ``.Tag("x")``/``.Name("x")`` or the function given to ``.Do``, anywhere up the chain."""
    top = call
    while top.parent is not None and top.parent.type in ("selector_expression", "call_expression"):
        top = top.parent
    chain = _chain(top, source)
    for name, args in chain:
        if name in ("Tag", "Name") and args and _is_string(args[0]):
            return _string(args[0], source)
    do = next((args for name, args in chain if name == "Do"), None)
    return _job_name(do[0], source) if do else f"job at line {call.start_point[0] + 1}"


def _v2_job(definition: Node, source: Source) -> str:
    """gocron v2: ``WithName("x")`` or the function of ``NewTask(fn)`` in the enclosing ``NewJob``."""
    node = definition.parent
    while node is not None and not (node.type == "call_expression" and callee_name(node, source) == "NewJob"):
        node = node.parent
    if node is None:
        return f"job at line {definition.start_point[0] + 1}"
    named = _find_call(node, "WithName", source)
    if named is not None and _args(named) and _is_string(_args(named)[0]):
        return _string(_args(named)[0], source)
    task = _find_call(node, "NewTask", source)
    if task is not None and _args(task):
        return _job_name(_args(task)[0], source)
    return f"job at line {definition.start_point[0] + 1}"


# -- tree helpers -----------------------------------------------------------------------------
def _args(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    return list(arguments.named_children) if arguments is not None else []


def _is_string(node: Node) -> bool:
    return node.type in ("interpreted_string_literal", "raw_string_literal")


def _string(node: Node, source: Source) -> str:
    text = source.slice(node)
    if node.type == "raw_string_literal":
        return text[1:-1]
    try:
        return str(json.loads(text))  # Go's common escapes are JSON's
    except ValueError:
        return text[1:-1]


def _chain(call: Node, source: Source) -> list[tuple[str, list[Node]]]:
    """(method, arguments) down a call chain, innermost first: ``s.Every(1).Day().Do(f)``."""
    out: list[tuple[str, list[Node]]] = []
    node: Node | None = call
    while node is not None and node.type == "call_expression":
        out.append((callee_name(node, source), _args(node)))
        function = node.child_by_field_name("function")
        node = function.child_by_field_name("operand") if function is not None else None
    return out[::-1]


def _in_gocron_chain(call: Node, source: Source) -> bool:
    """``s.Cron(...)`` belongs to gocron v1 when the chain ends in ``.Do(...)``."""
    node = call
    while node.parent is not None and node.parent.type in ("selector_expression", "call_expression"):
        node = node.parent
        if node.type == "call_expression" and callee_name(node, source) == "Do":
            return True
    return False


def _find_call(root: Node, name: str | None, source: Source) -> Node | None:
    """The first call below ``root`` named ``name`` (any call for None), depth first."""
    stack = list(reversed(root.named_children))
    while stack:
        node = stack.pop()
        if node.type == "call_expression" and (name is None or callee_name(node, source) == name):
            return node
        stack.extend(reversed(node.named_children))
    return None


def _shown(do: Node, source: Source) -> str:
    """The chain as written, without its ``.Do(...)``."""
    function = do.child_by_field_name("function")
    operand = function.child_by_field_name("operand") if function is not None else None
    return " ".join(source.slice(operand if operand is not None else do).split())
