"""Schedules in Python, read with the standard library's ``ast``: APScheduler and Celery beat.

APScheduler 3: ``add_job(func, "cron", hour=..., jitter=..., timezone=...)``, the
``@scheduled_job("cron", ...)`` decorator, ``CronTrigger(...)`` and
``CronTrigger.from_crontab(...)``; ``"interval"`` triggers are intervals. Its field defaults are
APScheduler's (fields after the last one given take their minimum: ``hour=3`` is 03:00:00) and
its weekday numbers start at Monday (0 = mon), in ``from_crontab`` too.

Celery beat: ``crontab(...)`` as the ``"schedule"`` of a ``beat_schedule`` entry (the entry's
key names the job) or the first argument of ``add_periodic_task``; a number or ``timedelta``
there is an interval. The file's ``timezone`` setting applies (``app.conf.timezone = ...``).

Only these calls are schedules: a string that looks like cron elsewhere (a log message) is not.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from dataclasses import replace

from guardrails.findings import Finding, Location, parse_error
from guardrails.schedules.model import CRON, INTERVAL, Schedule
from guardrails.sql.code.python_nodes import callee
from guardrails.sql.positions import char_offset, universal_line_starts

_WORDS = ("crontab(", "CronTrigger", "add_job", "scheduled_job", "add_periodic_task")
_APS_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
_APS_MIN = {"month": "1", "day": "1", "hour": "0", "minute": "0", "second": "0"}
_APS_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CELERY_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
APS_HINT = "jitter=N"
CELERY_HINT = "a random countdown"


class _NotLiteral(Exception):
    pass


def mentions(text: str) -> bool:
    return any(word in text for word in _WORDS)


def read(path: str, text: str) -> Iterator[Schedule | Finding]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        yield parse_error(path, f"Python syntax error: {exc.msg}", exc.lineno or 0, exc.offset or 0)
        return
    yield from _Reader(path, text, tree).run()


class _Reader:
    def __init__(self, path: str, text: str, tree: ast.Module) -> None:
        self.path = path
        self.text = text
        self.starts = universal_line_starts(text)  # as ast numbers lines
        self.ascii = text.isascii()
        self.tree = tree
        self.done: set[int] = set()  # ids of calls already read as part of an enclosing one
        self.celery_tz = _assigned_string(tree, ("timezone", "CELERY_TIMEZONE", "celery_timezone"))
        self.aps_tz = _scheduler_timezone(tree)
        # each node's innermost enclosing statement (an ignore comment above it counts)
        self.statement_of: dict[int, int] = {}
        for statement in ast.walk(tree):  # outer statements first: inner ones overwrite
            if isinstance(statement, ast.stmt):
                self.statement_of.update((id(child), statement.lineno) for child in ast.walk(statement))

    def run(self) -> Iterator[Schedule | Finding]:
        for node in ast.walk(self.tree):  # breadth first: an enclosing call comes before its arguments
            if id(node) in self.done:
                continue
            try:
                for item in self._node(node):
                    if isinstance(item, Schedule) and not item.statement_line:
                        item = replace(item, statement_line=self.statement_of.get(id(node), item.line))
                    yield item
            except _NotLiteral as exc:
                yield parse_error(self.path, f"schedule not checked: {exc}", *self._position(node))

    def _node(self, node: ast.AST) -> Iterator[Schedule | Finding]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from self._decorated(node)
        elif isinstance(node, ast.Dict):
            yield from self._beat_schedule(node)
        elif isinstance(node, ast.Call):
            yield from self._call(node)

    # -- APScheduler -------------------------------------------------------------------------
    def _decorated(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Schedule | Finding]:
        for decorator in function.decorator_list:
            if isinstance(decorator, ast.Call) and callee(decorator) == "scheduled_job":
                self.done.add(id(decorator))
                yield from self._aps_job(decorator, decorator.args[:1], function.name)

    def _call(self, call: ast.Call) -> Iterator[Schedule | Finding]:
        name = callee(call)
        if name == "add_job":
            func = call.args[0] if call.args else _keyword(call, "func")
            job = _keyword_string(call, "id") or _keyword_string(call, "name") or _source_name(func)
            yield from self._aps_job(call, call.args[1:2], job)
        elif name in ("CronTrigger", "from_crontab"):
            yield from self._trigger(call, None, f"cron trigger at line {call.lineno}", call)
        elif name == "add_periodic_task":
            task = call.args[1] if len(call.args) > 1 else _keyword(call, "sig")
            job = _keyword_string(call, "name") or _source_name(task)
            first = call.args[0] if call.args else _keyword(call, "schedule")
            if first is not None:
                yield from self._celery(first, job)
        elif name == "crontab":
            yield from self._celery(call, f"crontab at line {call.lineno}")

    def _aps_job(self, call: ast.Call, positional: list[ast.expr], job: str) -> Iterator[Schedule | Finding]:
        trigger = positional[0] if positional else _keyword(call, "trigger")
        if isinstance(trigger, ast.Constant) and trigger.value == "interval":
            fields = ", ".join(f"{k.arg}={ast.unparse(k.value)}" for k in call.keywords if k.arg in _INTERVAL_UNITS)
            yield self._schedule(trigger, job, "apscheduler", f"interval {fields}", INTERVAL, None)
        elif isinstance(trigger, ast.Constant) and trigger.value == "cron":
            yield from self._trigger(call, trigger, job, trigger)
        elif isinstance(trigger, ast.Call) and callee(trigger) in ("CronTrigger", "from_crontab"):
            self.done.add(id(trigger))
            yield from self._trigger(trigger, None, job, trigger, outer=call)

    def _trigger(
        self, call: ast.Call, trigger: ast.expr | None, job: str, at: ast.AST, outer: ast.Call | None = None
    ) -> Iterator[Schedule | Finding]:
        calls = [c for c in (call, outer) if c is not None]
        zone = next((z for z in (_zone(c) for c in calls) if z), None) or self.aps_tz
        jitter = None
        for given in (_keyword(c, "jitter") for c in calls):
            if given is not None and _truthy(given):
                jitter = f"jitter={ast.unparse(given)}"
        if callee(call) == "from_crontab":
            expression = _string(call.args[0] if call.args else _keyword(call, "expr"), "the crontab expression")
            fields = expression.split()
            if len(fields) != 5:
                raise _NotLiteral(f"from_crontab({expression!r}) needs 5 fields")
            cron = " ".join([*fields[:4], _aps_weekdays(fields[4])])
            shown = f"CronTrigger.from_crontab({expression!r})"
        else:
            values = {k.arg: _field(k.value, k.arg) for k in call.keywords if k.arg in _APS_FIELDS}
            if "week" in values:
                raise _NotLiteral("APScheduler week= has no cron equivalent")
            cron = _aps_cron(values)
            shown = ", ".join(f"{k}={v}" for k, v in values.items()) or "every field default"
        yield self._schedule(at, job, "apscheduler", shown, CRON, cron, zone, jitter, APS_HINT)

    # -- Celery ------------------------------------------------------------------------------
    def _beat_schedule(self, node: ast.Dict) -> Iterator[Schedule | Finding]:
        for key, value in zip(node.keys, node.values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Dict)):
                continue
            entry = {k.value: v for k, v in zip(value.keys, value.values, strict=True) if isinstance(k, ast.Constant)}
            if "schedule" in entry and "task" in entry:
                for item in self._celery(entry["schedule"], key.value):
                    yield replace(item, statement_line=key.lineno) if isinstance(item, Schedule) else item

    def _celery(self, node: ast.expr, job: str) -> Iterator[Schedule | Finding]:
        self.done.add(id(node))
        if isinstance(node, ast.Call) and callee(node) == "crontab":
            given = dict(zip(_CELERY_FIELDS, node.args, strict=False))
            given.update({k.arg: k.value for k in node.keywords if k.arg in _CELERY_FIELDS})
            values = {f: _field(given[f], f) if f in given else "*" for f in _CELERY_FIELDS}
            cron = " ".join(values[f] for f in ("minute", "hour", "day_of_month", "month_of_year", "day_of_week"))
            shown = "crontab(" + ", ".join(f"{f}={ast.unparse(given[f])}" for f in _CELERY_FIELDS if f in given) + ")"
            yield self._schedule(node, job, "celery", shown, CRON, cron, self.celery_tz, None, CELERY_HINT)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))) or (
            isinstance(node, ast.Call) and callee(node) == "timedelta"
        ):
            yield self._schedule(node, job, "celery", f"every {ast.unparse(node)}", INTERVAL, None)

    # -- helpers -----------------------------------------------------------------------------
    def _schedule(
        self,
        at: ast.AST,
        job: str,
        source: str,
        expression: str,
        kind: str,
        cron: str | None,
        zone: str | None = None,
        jitter: str | None = None,
        hint: str = APS_HINT,
    ) -> Schedule:
        line, column = self._position(at)
        end_line = getattr(at, "end_lineno", None) or line
        loc = Location(self.path, line, column, end_line, 0)
        return Schedule(self.path, loc, job, source, expression, kind, cron, False, zone, jitter, hint)

    def _position(self, node: ast.AST) -> tuple[int, int]:
        line = getattr(node, "lineno", 0)
        offset = getattr(node, "col_offset", 0)
        if not 0 < line <= len(self.starts):
            return line, 1
        return line, char_offset(self.text, self.starts, line, offset, self.ascii) - self.starts[line - 1] + 1


_INTERVAL_UNITS = ("weeks", "days", "hours", "minutes", "seconds")


def _aps_cron(values: dict[str, str]) -> str:
    """APScheduler's defaults: fields after the last one given take their minimum, the others
    (and week, day_of_week) are ``*``."""
    given = [f for f in _APS_FIELDS if f in values]
    last = _APS_FIELDS.index(given[-1]) if given else -1
    full = {}
    for index, field in enumerate(_APS_FIELDS):
        if field in values:
            full[field] = values[field]
        elif index > last and field in _APS_MIN:
            full[field] = _APS_MIN[field]
        else:
            full[field] = "*"
    day = "L" if full["day"].lower() == "last" else full["day"]
    return " ".join([full["minute"], full["hour"], day, full["month"], _aps_weekdays(full["day_of_week"])])


def _aps_weekdays(field: str) -> str:
    """APScheduler's weekday numbers (0 = Monday) as names, which croniter reads unambiguously."""
    out = []
    for part in field.split(","):
        base, slash, step = part.partition("/")
        ends = [_APS_DAYS[int(e)] if e.isdigit() and int(e) < 7 else e for e in base.split("-")]
        out.append("-".join(ends) + slash + step)
    return ",".join(out)


def _field(node: ast.expr, name: str | None) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str)) and not isinstance(node.value, bool):
        return str(node.value).replace(" ", "")
    raise _NotLiteral(f"{name}={ast.unparse(node)} is not a literal")


def _string(node: ast.expr | None, what: str) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise _NotLiteral(f"{what} is not a string literal")


def _truthy(node: ast.expr | None) -> bool:
    if node is None:
        return False
    return not (isinstance(node, ast.Constant) and not node.value)


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _keyword_string(call: ast.Call, name: str) -> str | None:
    value = _keyword(call, name)
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _source_name(node: ast.expr | None) -> str:
    if node is None:
        return "job"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.unparse(node)[:60]


def _zone(call: ast.Call) -> str | None:
    """``timezone="Asia/Tokyo"``, or the string inside ``ZoneInfo(...)``/``pytz.timezone(...)``."""
    value = _keyword(call, "timezone")
    if isinstance(value, ast.Call) and value.args:
        value = value.args[0]
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _scheduler_timezone(tree: ast.Module) -> str | None:
    """The zone given to a scheduler's constructor (``BackgroundScheduler(timezone=...)``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and callee(node).endswith("Scheduler"):
            zone = _zone(node)
            if zone:
                return zone
    return None


def _assigned_string(tree: ast.Module, names: tuple[str, ...]) -> str | None:
    """A string assigned to one of ``names`` (``timezone = ...``, ``app.conf.timezone = ...``)
    or passed as one (``app.conf.update(timezone=...)``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in names:
                    return node.value.value
        if isinstance(node, ast.Call) and callee(node) == "update":
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg in names and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return value.value
    return None
