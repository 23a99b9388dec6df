"""alert-runbook: an alert that pages someone must say where the runbook is."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.api import Finding, Location, Rule, RuleContext, Severity
from guardrails_example_runbook.alerts import Alert


def check(alert: Alert, ctx: RuleContext) -> Iterator[Finding]:
    if alert.annotations.get("runbook_url", "").strip():
        return
    yield ctx.finding(
        Location(alert.path, alert.line, alert.column),
        f"alert {alert.name} has no runbook_url annotation",
        properties={"alert": alert.name},
    )


RULE: Rule[Alert] = Rule(
    id="alert-runbook",
    summary="A Prometheus alert without a runbook_url annotation",
    severity=Severity.ERROR,
    incident=(
        "An on-call engineer was paged at night by an alert nobody had written down how to handle, "
        "and spent the first hour of the outage finding out what it meant."
    ),
    bad="- alert: OrdersBacklog\n  expr: orders_queue_depth > 1000",
    good=(
        "- alert: OrdersBacklog\n  expr: orders_queue_depth > 1000\n"
        "  annotations:\n    runbook_url: https://runbooks.example.com/orders-backlog"
    ),
    input="prometheus_alerts",
    check=check,
    recommended=False,
    language="yaml",
    help="add annotations.runbook_url pointing at what the person paged should do first",
    properties={"alert": "the alert's name"},
)
