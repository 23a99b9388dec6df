"""cron-jitter on Laravel's scheduler (PHP, read with tree-sitter)."""

from __future__ import annotations

from guardrails.testing import run

CONFIG = {"version": 1, "rules": {"cron-jitter": "warning"}}

KERNEL = """\
<?php

namespace App\\Console;

use App\\Jobs\\PruneStaleCarts;
use Illuminate\\Console\\Scheduling\\Schedule;
use Illuminate\\Foundation\\Console\\Kernel as ConsoleKernel;
use Illuminate\\Support\\Facades\\Log;

class Kernel extends ConsoleKernel
{
    protected function schedule(Schedule $schedule): void
    {
        $schedule->command('invoices:send-reminders')->hourly();
        $schedule->command('reports:daily')
            ->dailyAt('02:00')
            ->withoutOverlapping();
        $schedule->job(new PruneStaleCarts)->cron('0 2 * * *');
        $schedule->command('search:reindex')->dailyAt('00:00')->timezone('Asia/Tokyo');
        $schedule->command('stats:rollup')->hourlyAt(17);
        $schedule->command('queue:monitor')->everyThirtySeconds();
        $schedule->call(fn () => Log::info('cleanup runs at 0 * * * *'))->weekdays()->at('07:43')->name('log-cleanup');
        Log::info('schedule registered: 0 0 * * *');
    }
}
"""


def test_laravel_frequencies_collisions_and_zones() -> None:
    found = {f.line: f for f in run({"app/Console/Kernel.php": KERNEL}, CONFIG) if f.rule == "cron-jitter"}
    assert sorted(found) == [14, 16, 18, 19]
    assert found[14].properties["job"] == "invoices:send-reminders" and "every hour at :00 UTC" in found[14].message
    # dailyAt('02:00') and cron('0 2 * * *') fire together; the finding is on the frequency's line
    assert found[16].properties["colliding_jobs"] == ["invoices:send-reminders", "PruneStaleCarts"]
    assert found[18].properties["colliding_jobs"] == ["invoices:send-reminders", "reports:daily"]
    tokyo = found[19]
    assert tokyo.properties["timezone"] == "Asia/Tokyo" and "daily 15:00 UTC" in tokyo.message
    assert tokyo.properties["colliding_jobs"] == ["invoices:send-reminders"]


def test_laravel_routes_console_facade() -> None:
    routes = "<?php\n\nuse Illuminate\\Support\\Facades\\Schedule;\n\nSchedule::command('backup:run')->daily();\nSchedule::command('backup:clean')->dailyAt('01:37');\n"
    found = [f for f in run({"routes/console.php": routes}, CONFIG) if f.rule == "cron-jitter"]
    assert [(f.line, f.location.column, f.properties["job"]) for f in found] == [(5, 34, "backup:run")]


def test_an_ignore_above_a_multi_line_chain_suppresses_it() -> None:
    kernel = KERNEL.replace(
        "        $schedule->command('reports:daily')\n",
        "        // guardrails:ignore[cron-jitter] the bank's cut-off is 02:00 sharp\n        $schedule->command('reports:daily')\n",
    )
    found = [f for f in run({"app/Console/Kernel.php": kernel}, CONFIG) if f.rule in ("cron-jitter", "bad-suppression")]
    assert [(f.line, f.suppressed) for f in found if f.line == 17] == [(17, True)]
    assert not [f for f in found if f.rule == "bad-suppression"]
