"""Laravel's scheduler (PHP, through tree-sitter): ``$schedule->command(...)->daily()`` chains,
and ``Schedule::command(...)`` in routes/console.php.

The frequency methods build the cron expression as Laravel's ManagesFrequencies does
(``hourly`` is ``0 * * * *``, ``dailyAt('13:00')`` is ``0 13 * * *``, ``weekdays`` sets the
weekday field, ...), ``->cron(...)`` gives it whole and ``->timezone(...)`` its zone. An event
with no frequency runs every minute, as in Laravel; the sub-minute ones (``everySecond``)
are intervals. The job is named by ``->name()``, the command, the job class or the exec line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from guardrails.findings import Finding
from guardrails.schedules.model import CRON, INTERVAL, Schedule
from guardrails.sql.code.treesitter import Node, Source, statement_line

HINT = "a random delay in the job"
_ROOTS = ("command", "job", "call", "exec")
_STEPS = {
    "everyMinute": "*",
    "everyTwoMinutes": "*/2",
    "everyThreeMinutes": "*/3",
    "everyFourMinutes": "*/4",
    "everyFiveMinutes": "*/5",
    "everyTenMinutes": "*/10",
    "everyFifteenMinutes": "*/15",
    "everyThirtyMinutes": "0,30",
}
_HOURS = {"everyOddHour": "1-23/2", "everyTwoHours": "*/2", "everyThreeHours": "*/3", "everyFourHours": "*/4"}
_HOURS["everySixHours"] = "*/6"
_DAYS = {"mondays": "1", "tuesdays": "2", "wednesdays": "3", "thursdays": "4", "fridays": "5", "saturdays": "6"}
_DAYS.update({"sundays": "0", "weekdays": "1-5", "weekends": "6,0"})
_SUB_MINUTE = frozenset(
    {"everySecond", "everyTwoSeconds", "everyFiveSeconds", "everyTenSeconds", "everyFifteenSeconds"}
    | {"everyTwentySeconds", "everyThirtySeconds"}
)

Fields = list[str]  # minute, hour, day of month, month, day of week
Call = tuple[str, list[str], Node]  # method, literal arguments, its name node


def mentions(text: str) -> bool:
    return "schedule->" in text or "Schedule::" in text


def read(path: str, text: str) -> Iterator[Schedule | Finding]:
    from guardrails.sql.code.php import PHP
    from guardrails.sql.code.treesitter import parse

    source = Source(path, text)
    stack = [parse(PHP, source)]
    while stack:
        node = stack.pop()
        if node.type == "member_call_expression" and node.parent is not None and not _is_object(node):
            chain = _chain(node, source)
            if chain and chain[0][0] in _ROOTS and _is_scheduler(node, source):
                yield replace(_event(chain, source), statement_line=statement_line(node))
                continue
        stack.extend(reversed(node.children))


def _is_object(node: Node) -> bool:
    """Whether the call is the receiver of a further call (not the end of its chain)."""
    parent = node.parent
    return (
        parent is not None and parent.type == "member_call_expression" and parent.child_by_field_name("object") == node
    )


def _chain(node: Node, source: Source) -> list[Call]:
    calls: list[Call] = []
    while node is not None and node.type in ("member_call_expression", "scoped_call_expression"):
        name = node.child_by_field_name("name")
        calls.append((source.slice(name), _arguments(node, source), name))
        node = node.child_by_field_name("object")
    return calls[::-1]


def _is_scheduler(node: Node, source: Source) -> bool:
    while node.type == "member_call_expression":
        node = node.child_by_field_name("object")
    if node.type == "scoped_call_expression":
        return source.slice(node.child_by_field_name("scope")) == "Schedule"
    return node.type == "variable_name" and source.slice(node) == "$schedule"


def _arguments(call: Node, source: Source) -> list[str]:
    arguments = call.child_by_field_name("arguments")
    out = []
    for argument in arguments.named_children if arguments is not None else []:
        value = argument.named_children[0] if argument.named_children else argument
        if value.type in ("string", "encapsed_string"):
            out.append("".join(source.slice(c) for c in value.named_children if c.type == "string_content"))
        elif value.type == "object_creation_expression":
            out.append(" ".join(source.slice(c) for c in value.named_children[:1]))
        elif value.type == "array_creation_expression":
            out.append(",".join(source.slice(e).strip("'\"") for e in value.named_children))
        else:
            out.append(source.slice(value).removesuffix("::class"))
    return out


def _event(chain: list[Call], source: Source) -> Schedule:
    root, root_args, root_node = chain[0]
    named = next((args[0] for name, args, _ in chain if name in ("name", "description") and args), None)
    job = named or (root_args[0] if root_args and root != "call" else f"closure at line {root_node.start_point[0] + 1}")
    fields: Fields = ["*", "*", "*", "*", "*"]
    zone: str | None = None
    at = root_node
    interval = None
    for name, args, node in chain[1:]:
        if name == "timezone" and args:
            zone = args[0]
        elif name in _SUB_MINUTE:
            interval, at = name, node
        elif _apply(name, args, fields):
            at = node
    location = source.location(at)
    expression = " ".join(fields)
    if interval:
        return Schedule(source.path, location, job, "laravel", f"->{interval}()", INTERVAL, jitter_hint=HINT)
    shown = "".join(f"->{n}({', '.join(repr(a) for a in args)})" for n, args, _ in chain[1:] if n != "timezone")
    return Schedule(
        source.path, location, job, "laravel", shown or "(every minute)", CRON, expression, False, zone, None, HINT
    )


def _apply(name: str, args: list[str], fields: Fields) -> bool:
    """Change the fields as Laravel's frequency method ``name`` does; False for other methods."""
    handler = _HANDLERS.get(name)
    if handler is not None:
        handler(args, fields)
        return True
    if name in _STEPS:
        fields[0] = _STEPS[name]
    elif name in _HOURS:
        fields[0], fields[1] = (args[0] if args else "0"), _HOURS[name]
    elif name in _DAYS:
        fields[4] = _DAYS[name]
    else:
        return False
    return True


def _at(time: str, fields: Fields) -> None:
    hour, _, minute = time.partition(":")
    fields[1], fields[0] = str(int(hour or 0)), str(int(minute or 0))


def _set(values: dict[int, str], then_at: str | None = None) -> Callable[[list[str], Fields], None]:
    def handler(args: list[str], fields: Fields) -> None:
        for index, value in values.items():
            fields[index] = value
        if then_at is not None:
            _at(then_at, fields)

    return handler


def _with_args(positions: list[int], time_arg: int | None, defaults: list[str]) -> Callable[[list[str], Fields], None]:
    """A method whose arguments set fields (``weeklyOn(1, '8:00')``), missing ones from defaults."""

    def handler(args: list[str], fields: Fields) -> None:
        given = args + defaults[len(args) :]
        fields[0] = fields[1] = "0"
        for position, value in zip(positions, given, strict=False):
            fields[position] = value
        if time_arg is not None and time_arg < len(given):
            _at(given[time_arg], fields)

    return handler


def _twice_daily(args: list[str], fields: Fields) -> None:
    first, second = (args + ["1", "13"][len(args) :])[:2]
    fields[0], fields[1] = (args[2] if len(args) > 2 else "0"), f"{first},{second}"


def _twice_monthly(args: list[str], fields: Fields) -> None:
    first, second, time = (args + ["1", "16", "0:0"][len(args) :])[:3]
    fields[2] = f"{first},{second}"
    _at(time, fields)


def _cron(args: list[str], fields: Fields) -> None:
    if args:
        fields[:] = args[0].split()


_HANDLERS: dict[str, Callable[[list[str], Fields], None]] = {
    "cron": _cron,
    "hourly": _set({0: "0"}),
    "hourlyAt": lambda args, fields: fields.__setitem__(0, args[0] if args else "0"),
    "daily": _set({0: "0", 1: "0"}),
    "at": lambda args, fields: _at(args[0], fields) if args else None,
    "dailyAt": lambda args, fields: _at(args[0] if args else "0:0", fields),
    "twiceDaily": _twice_daily,
    "twiceDailyAt": _twice_daily,
    "weekly": _set({0: "0", 1: "0", 4: "0"}),
    "weeklyOn": _with_args([4], 1, ["0", "0:0"]),
    "monthly": _set({0: "0", 1: "0", 2: "1"}),
    "monthlyOn": _with_args([2], 1, ["1", "0:0"]),
    "twiceMonthly": _twice_monthly,
    "lastDayOfMonth": _with_args([], 0, ["0:0"]),
    "quarterly": _set({0: "0", 1: "0", 2: "1", 3: "1-12/3"}),
    "quarterlyOn": _with_args([2], 1, ["1", "0:0"]),
    "yearly": _set({0: "0", 1: "0", 2: "1", 3: "1"}),
    "yearlyOn": _with_args([3, 2], 2, ["1", "1", "0:0"]),
    "days": lambda args, fields: fields.__setitem__(4, ",".join(args)),
}
