"""direct-clock in Go and PHP, and what the rule allows: its allow globs, test files, the clock option."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from guardrails.testing import run
from tests.helpers import Repo, guardrails

Files = Mapping[str, str]


def flagged(files: Files, **options: Any) -> list[tuple[str, int, int, str]]:
    """(path, line, column, call as written) of each direct-clock finding, in file order."""
    config = {"rules": {"direct-clock": {"severity": "error", **options}}}
    findings = run(files, config, select=["direct-clock"])
    assert not [f for f in findings if f.rule == "parse-error"], findings
    return sorted((f.path, f.line, f.location.column, str(f.properties["call"])) for f in findings)


GO = """package sale

import (
\t"fmt"
\t"log"
\tclk "time"
)

// Open says whether the sale is open; time.Now() here would defeat staging.
func (s *Sale) Open() bool {
\tlog.Printf("checking with time.Now() at %v", s.id)
\tmsg := fmt.Sprintf("time.Now() is not used: %s", s.clock.Now())
\t_ = msg
\treturn clk.Now().Before(s.EndsAt)
}

func (s *Sale) Handle() {
\tstart := clk.Now()
\tdefer func() { metrics.Observe(clk.Since(start).Seconds()) }()
\tend := clk.Now()
\tlog.Printf("took %v", end.Sub(start))
}

func (s *Sale) Stamp() {
\tbegun := clk.Now()
\ts.StartedAt = begun
\tlog.Printf("took %v", clk.Since(begun))
\tif clk.Since(s.CreatedAt) > week || clk.Until(s.EndsAt) < 0 {
\t\treturn
\t}
}
"""


def test_go_reads_through_a_renamed_import_and_not_in_text_or_other_objects() -> None:
    assert flagged({"sale/sale.go": GO}) == [
        ("sale/sale.go", 14, 9, "clk.Now()"),  # a real read; the comment, log and Sprintf text are not
        ("sale/sale.go", 25, 11, "clk.Now()"),  # begun is stored, so it is no mere start of a duration
        ("sale/sale.go", 28, 5, "clk.Since(s.CreatedAt)"),  # how old a stored instant is: wall clock
        ("sale/sale.go", 28, 38, "clk.Until(s.EndsAt)"),
    ]


def test_go_dot_import_and_package_level_reads() -> None:
    code = (
        'package x\n\nimport . "time"\n\nvar booted = Now()\nvar opened = Now()\n\n'
        "func Uptime() Duration { return Since(booted) }\n"
        "func Year() int { return opened.Year() }\n"
    )
    other = 'package y\n\nimport "example.com/clock"\n\nfunc f() { _ = clock.Now(); _ = time.Now() }\n'
    # booted only measures uptime; opened is a date. Without an import of package time,
    # `time.Now()` is some other package's (or no) function.
    assert flagged({"x/x.go": code, "y/y.go": other}) == [("x/x.go", 6, 14, "Now()")]


PHP = """<?php
namespace App\\Billing;

use DateTimeImmutable as Instant;
use function App\\Clock\\now as time;

final class Invoice
{
    public function due(): bool
    {
        error_log("uses time() and new DateTime()");
        $created = new Instant('2024-01-01 00:00:00');
        $o = $this->clock->time();
        $start = microtime(true);
        $fixed = date('Y-m-d', $this->issuedAt);
        $today = date('Y-m-d');
        $now = new \\DateTime();
        $later = new Instant('+1 day');
        $stamp = \\time();
        $fine = time();
        $this->log(microtime(true) - $start);
        return Clock::now() > $created;
    }
}
"""


def test_php_reads_resolved_through_use_and_not_other_objects_or_fixed_dates() -> None:
    assert flagged({"src/Billing/Invoice.php": PHP}) == [
        ("src/Billing/Invoice.php", 16, 18, "date('Y-m-d')"),
        ("src/Billing/Invoice.php", 17, 16, "new \\DateTime()"),
        ("src/Billing/Invoice.php", 18, 18, "new Instant('+1 day')"),
        ("src/Billing/Invoice.php", 19, 18, "\\time()"),  # the root namespace's, not the imported alias
    ]


def test_allow_globs_and_test_files_are_not_flagged() -> None:
    files = {
        "internal/clock/clock.go": 'package clock\n\nimport "time"\n\nfunc Now() time.Time { return time.Now() }\n',
        "sale/sale_test.go": 'package sale\n\nimport "time"\n\nvar t0 = time.Now()\n',
        "tests/Feature/InvoiceTest.php": "<?php\n$t = time();\n",
        "app/Clock.php": "<?php\n$t = time();\n",
        "sale/sale.go": 'package sale\n\nimport "time"\n\nvar t0 = time.Now()\n',
    }
    assert flagged(files, allow=["internal/clock/**", "app/Clock.php"]) == [("sale/sale.go", 5, 10, "time.Now()")]
    # the tests option replaces the default test globs
    assert [f[0] for f in flagged(files, allow=["internal/clock/**"], tests=["tests/**"])] == [
        "app/Clock.php",
        "sale/sale.go",
        "sale/sale_test.go",
    ]


def test_message_says_why_and_names_the_configured_clock() -> None:
    files = {"a.go": 'package a\n\nimport "time"\n\nvar t0 = time.Now()\n', "b.php": "<?php\n$t = time();\n"}
    config = {"rules": {"direct-clock": {"severity": "error", "clock": {"go": "clock.Now"}}}}
    by_path = {f.path: f for f in run(files, config, select=["direct-clock"])}
    go, php = by_path["a.go"], by_path["b.php"]
    assert go.message == "time.Now() ignores the clock staging moves; call clock.Now() instead"
    assert go.properties == {"language": "go", "api": "time.Now", "call": "time.Now()", "clock": "clock.Now"}
    assert php.message == "time() ignores the clock staging moves; read time through the clock it can move"
    one = run(files, {"rules": {"direct-clock": {"severity": "error", "clock": "Clock::now"}}}, select=["direct-clock"])
    assert {f.message.rsplit("; ", 1)[1] for f in one} == {"call Clock::now() instead"}


def test_columns_count_characters_after_non_ascii_text() -> None:
    files = {
        "a.go": 'package a\n\nimport "time"\n\nfunc f() { label := "締め切り"; _ = time.Now() }\n',
        "b.py": 'import time\nlabel = "締め切り"; t = time.time()\n',
        "c.php": '<?php\n$label = "締め切り"; $t = time();\n',
        "d.sql": "SELECT '締め切り', NOW();\n",
    }
    assert flagged(files) == [
        ("a.go", 5, 33, "time.Now()"),
        ("b.py", 2, 21, "time.time()"),
        ("c.php", 2, 23, "time()"),
        ("d.sql", 1, 16, "NOW()"),
    ]


def test_init_suggests_allowing_the_clock_package_and_the_cli_reports_in_json(repo: Repo) -> None:
    repo.write(
        "internal/clock/clock.go", 'package clock\n\nimport "time"\n\nfunc Now() time.Time { return time.Now() }\n'
    )
    repo.write("sale/sale.go", 'package sale\n\nimport "time"\n\nvar opened = time.Now()\n')
    assert guardrails(repo.root, "init").code == 0
    config = yaml.safe_load((repo.root / ".guardrails.yml").read_text())
    assert config["rules"]["direct-clock"] == {"severity": "error", "allow": ["internal/clock/**"]}
    result = guardrails(repo.root, "run", "--format", "json", process=True)
    assert result.code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["path"], f["line"], f["column"], f["properties"]["api"]) for f in findings] == [
        ("direct-clock", "sale/sale.go", 5, 14, "time.Now")
    ]
