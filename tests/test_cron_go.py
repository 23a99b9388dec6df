"""cron-jitter on Go schedulers: robfig/cron and gocron, read with tree-sitter."""

from __future__ import annotations

from guardrails.findings import Finding
from guardrails.testing import run

CONFIG = {"version": 1, "rules": {"cron-jitter": "warning"}}

ROBFIG = """\
package jobs

import (
	"context"
	"log"

	"github.com/robfig/cron/v3"

	"example.com/billing/reports"
)

type RollupJob struct{ db *DB }

func (j *RollupJob) Run() { j.db.Rollup() }

func Start(ctx context.Context, db *DB) *cron.Cron {
	c := cron.New(cron.WithSeconds())
	c.AddFunc("0 0 * * * *", func() { reports.SendHourly(ctx) })
	c.AddFunc("30 15 3 * * *", cleanupSessions)
	c.AddJob("0 15 3 * * *", &RollupJob{db: db})
	c.AddFunc("@every 5m", pollGateway)
	c.AddFunc(`CRON_TZ=Asia/Tokyo 0 0 0 * * *`, closeBooks)
	c.AddFunc("@daily", rotateKeys)
	log.Printf("cron started; legacy cleanup used to run at %s", "0 0 * * * *")
	c.Start()
	return c
}
"""


def findings(files: dict[str, str]) -> dict[int, Finding]:
    return {f.line: f for f in run(files, CONFIG) if f.rule in ("cron-jitter", "parse-error")}


def test_robfig_seconds_field_descriptors_zone_and_every() -> None:
    found = findings({"jobs/cron.go": ROBFIG})
    assert sorted(found) == [18, 19, 20, 22, 23]
    assert found[18].properties["job"] == "reports.SendHourly" and "every hour at :00 UTC" in found[18].message
    # 03:15:30 and 03:15:00 are one minute
    assert found[19].properties["colliding_jobs"] == ["RollupJob"]
    assert found[20].properties["job"] == "RollupJob" and found[20].properties["minute_zero"] is False
    tokyo = found[22]
    assert tokyo.properties["timezone"] == "Asia/Tokyo" and "daily 15:00 UTC" in tokyo.message
    assert found[23].properties["colliding_jobs"] == ["reports.SendHourly"]
    assert found[18].location.column == 12


GOCRON = """\
package main

import (
	"time"

	"github.com/go-co-op/gocron"
	gocronv2 "github.com/go-co-op/gocron/v2"
)

func schedule(s *gocron.Scheduler, s2 gocronv2.Scheduler) {
	s.Every(1).Day().At("02:00").Tag("nightly-export").Do(exportOrders)
	s.Cron("0 2 * * *").Do(refreshSearch)
	s.Every(10).Minutes().Do(flushMetrics)
	s.Every(1).Monday().At("06:41").Do(weeklyDigest)
	s2.NewJob(gocronv2.CronJob("41 6 * * 1", false), gocronv2.NewTask(compactLogs))
	s2.NewJob(
		gocronv2.DailyJob(1, gocronv2.NewAtTimes(gocronv2.NewAtTime(4, 0, 0))),
		gocronv2.NewTask(func() { audit.Run() }),
		gocronv2.WithName("audit"),
	)
	s2.NewJob(gocronv2.DurationJob(time.Minute), gocronv2.NewTask(heartbeat))
}
"""


def test_gocron_v1_and_v2() -> None:
    found = findings({"cmd/worker/main.go": GOCRON})
    assert sorted(found) == [11, 12, 14, 15, 17]
    assert found[11].properties["job"] == "nightly-export"
    assert found[11].properties["colliding_jobs"] == ["refreshSearch"]
    assert found[14].properties["colliding_jobs"] == ["compactLogs"] and "Mon 06:41 UTC" in found[14].message
    assert found[15].properties["colliding_jobs"] == ["weeklyDigest"]
    audit = found[17]
    assert audit.properties["job"] == "audit" and audit.properties["minute_zero"] is True


def test_a_spec_robfig_rejects_is_a_parse_error() -> None:
    code = 'package jobs\n\nimport "github.com/robfig/cron/v3"\n\nfunc start(c *cron.Cron) {\n\tc.AddFunc("0 0 * *", nightly)\n}\n'
    found = findings({"jobs/bad.go": code})
    assert [(line, f.rule) for line, f in found.items()] == [(6, "parse-error")]
    assert "has 4 fields, not 5" in found[6].message


def test_a_spec_from_a_variable_is_said_not_checked() -> None:
    code = (
        'package jobs\n\nimport "github.com/robfig/cron/v3"\n\n'
        "func start(c *cron.Cron, cfg Config) {\n\tc.AddFunc(cfg.NightlySpec, nightly)\n}\n"
    )
    found = findings({"jobs/config.go": code})
    assert [(line, f.rule) for line, f in found.items()] == [(6, "parse-error")]
    assert "not a string literal" in found[6].message
    # not robfig/cron: not a schedule, literal or not
    other = 'package ui\n\nfunc wire(m *Menu) {\n\tm.AddFunc(label, onClick)\n\tm.AddFunc("Open", onOpen)\n}\n'
    assert findings({"ui/menu.go": other}) == {}
