"""direct-clock: read the clock that staging can move, not the wall clock."""
# guardrails:ignore-file[direct-clock] the rule documentation quotes the calls it flags

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guardrails.clock.unit import ClockRead
from guardrails.findings import Finding, Severity
from guardrails.globs import matches
from guardrails.rules import Rule, RuleContext

TEST_FILES = ["**/*_test.go", "**/test_*.py", "**/*_test.py", "**/tests/**", "**/*Test.php"]
_LANGUAGES = ("go", "python", "php")
_WHY = "ignores the clock staging moves"
_SQL = "reads the database clock, which staging cannot move; pass the application's time as a parameter"


def check(read: ClockRead, ctx: RuleContext) -> Iterator[Finding]:
    if read.elapsed:
        return  # a duration: moving the clock shifts both ends alike
    if matches(read.path, list(ctx.options.get("allow", []))):
        return
    if matches(read.path, list(ctx.options.get("tests", TEST_FILES))):
        return
    call = read.call if len(read.call) <= 40 and "\n" not in read.call else f"{read.api}()"
    properties: dict[str, str] = {"language": read.language, "api": read.api, "call": read.call}
    if read.language == "sql":
        properties["found_in"] = read.found_in
        message = f"{call} {_SQL}"
    else:
        clock = clock_for(ctx.options.get("clock"), read.language)
        if clock:
            properties["clock"] = clock
            message = f"{call} {_WHY}; call {clock}() instead"
        else:
            message = f"{call} {_WHY}; read time through the clock it can move"
    lines = {"statement_line": str(read.statement_line)} if read.statement_line else {}
    yield ctx.finding(read.location, message, properties=properties, **lines)


def clock_for(option: str | Mapping[str, Any] | None, language: str) -> str:
    """The configured clock function for a language: one for all, or one per language."""
    if isinstance(option, Mapping):
        return str(option.get(language, ""))
    return (option or "").removesuffix("()")


_CLOCK_NAME = {"type": "string", "minLength": 1}

RULE: Rule[ClockRead] = Rule(
    id="direct-clock",
    summary="Reading the wall clock directly instead of through the clock that tests and staging can move",
    severity=Severity.ERROR,
    incident=(
        "An incident review found that behaviour depending on the date (an event's end, expiry, "
        "daily resets) could not be tried before release; the measure was a way to change the time "
        "in the development and staging environments. That works only if the code reads time through "
        "the clock the environment moves: libfaketime does not move Go's time.Now (it reads the vDSO), "
        "Go's testing/synctest fakes time only inside tests, and the database's NOW() follows the "
        "server's clock. One direct read defeats the measure silently; this rule finds them in Go, "
        "Python, PHP and SQL, allowing the clock package itself, tests and elapsed-time measurement."
    ),
    bad=(
        "func (s *Sale) Open() bool {\n"
        "\treturn time.Now().Before(s.EndsAt)\n"
        "}\n"
        '// db.Query("SELECT id FROM sales WHERE ends_at > NOW()")'
    ),
    good=(
        "func (s *Sale) Open(clk clock.Clock) bool {\n"
        "\treturn clk.Now().Before(s.EndsAt)\n"
        "}\n"
        '// db.Query("SELECT id FROM sales WHERE ends_at > ?", clk.Now())'
    ),
    input="clock_reads",
    units=(ClockRead,),
    check=check,
    recommended=False,
    language="go",
    options={
        "allow": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "globs of files that may read the wall clock: the clock package itself",
        },
        "clock": {
            "description": 'the function to call instead, e.g. "clock.Now", or one per language {go: ..., python: ...}',
            "oneOf": [
                _CLOCK_NAME,
                {
                    "type": "object",
                    "properties": {lang: _CLOCK_NAME for lang in _LANGUAGES},
                    "additionalProperties": False,
                },
            ],
        },
        "tests": {
            "type": "array",
            "items": {"type": "string"},
            "default": TEST_FILES,
            "description": "globs of test files, where reading the wall clock is allowed",
        },
    },
    help=(
        "Staging and development environments move time through the application's clock so that "
        "date-dependent behaviour can be tried before release; a direct read of the wall clock "
        "ignores that clock, so the behaviour cannot be tried and fails silently. Read time through "
        "the injectable clock (configure its function as the rule's `clock` option to have it named "
        "in each finding). In SQL, pass the application's time as a parameter instead of NOW(). "
        "The clock package itself belongs in `allow`."
    ),
    details=(
        "Reads: Go `time.Now()`, `time.Since()`, `time.Until()` through any import name of package "
        "time (renamed, dot-imported); Python `datetime.now()`, `datetime.utcnow()`, "
        "`datetime.today()`, `date.today()`, `time.time()`, `time.time_ns()`, Django's "
        "`timezone.now()`, Arrow's `now()`/`utcnow()` and Pendulum's `now()`/`today()`, resolved "
        "through the file's imports (`from datetime import datetime as dt`, `from time import "
        "time`); PHP `time()`, `microtime()`, `date()`/`gmdate()` without a timestamp, "
        "`date_create()` and `new DateTime()`/`new DateTimeImmutable()` with no time or a relative "
        "one ('now', '+1 day'), through `use` aliases; SQL `NOW()`, `CURRENT_TIMESTAMP`, "
        "`CURDATE()`/`CURRENT_DATE`, `CURTIME()`/`CURRENT_TIME`, `SYSDATE()`, `UTC_TIMESTAMP()`, "
        "`UTC_DATE()`, `UTC_TIME()`, `LOCALTIME`, `LOCALTIMESTAMP` and `UNIX_TIMESTAMP()` without an "
        "argument, in every statement of `sql.sources` (.sql files and SQL in code strings). "
        "Not reads: text in strings and comments, methods of other objects (`self.clock.now()`, "
        "`$o->time()`, `Clock::now()`), `time.monotonic()`, `perf_counter()`, `hrtime()`, column "
        "defaults in DDL (`DEFAULT CURRENT_TIMESTAMP`, `ON UPDATE ...`, `SET DEFAULT`), and passing "
        "`time.Now` as a function value (how a real clock is wired in). Allowed: files matching "
        "`allow`, test files (`tests`, default `*_test.go`, `test_*.py`, `*_test.py`, `tests/**` "
        "anywhere, `*Test.php`), and elapsed-time measurement: a reading assigned to a variable "
        "whose every use (in its function, closures included) is `time.Since(v)`, `x.Sub(v)` or a "
        "subtraction with another reading (`time.time() - t0`), and such a subtraction itself. "
        "Generated and vendored code is skipped unless `sql.include_generated` is set."
    ),
    properties={
        "language": "go, python, php or sql",
        "api": "what the call resolves to (time.Now, datetime.datetime.now, NOW)",
        "call": "the call as written",
        "found_in": "for SQL: the language of the file the statement is in (sql for .sql files)",
        "clock": "the configured clock function named in the message",
    },
)
