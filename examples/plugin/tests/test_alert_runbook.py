"""The example plugin, through guardrails.testing: a real repository, the real engine."""

from __future__ import annotations

from guardrails.testing import check, run

CONFIG = {"version": 1, "extends": "none", "rules": {"alert-runbook": "error"}}
ALERTS = """\
groups:
  - name: orders
    rules:
      - record: job:orders:rate5m
        expr: rate(orders_total[5m])
      - alert: OrdersBacklog
        expr: orders_queue_depth > 1000
        for: 10m
      - alert: OrdersDown
        expr: up{job="orders"} == 0
        annotations:
          runbook_url: https://runbooks.example.com/orders-down
"""


def test_an_alert_without_a_runbook_is_flagged_where_it_is_written() -> None:
    findings = run({"monitoring/orders.rules.yml": ALERTS}, CONFIG)
    assert [(f.rule, f.path, f.line, f.location.column, f.properties) for f in findings] == [
        ("alert-runbook", "monitoring/orders.rules.yml", 6, 9, {"alert": "OrdersBacklog"})
    ]


def test_the_input_owns_its_config_section_and_an_ignore_comment_works() -> None:
    suppressed = ALERTS.replace(
        "      - alert: OrdersBacklog",
        "      # guardrails:ignore[alert-runbook] paging is off for this one until the runbook lands\n"
        "      - alert: OrdersBacklog",
    )
    config = {**CONFIG, "prometheus": {"rules": ["ops/*.yml"]}}
    findings = run({"ops/orders.yml": suppressed}, config)
    assert [(f.line, f.suppressed) for f in findings] == [(7, True)]


def test_broken_yaml_is_a_parse_error_not_a_crash() -> None:
    findings = run({"monitoring/bad.rules.yml": "groups: [\n"}, CONFIG)
    assert [f.rule for f in findings] == ["parse-error"]


def test_a_run_without_alerting_rules_says_the_rule_had_nothing_to_check() -> None:
    result = check({"README.md": "# orders\n"}, CONFIG)
    assert result.findings == []
    assert [(n.rule, n.message) for n in result.notes] == [
        ("alert-runbook", "no alerting rule in the files checked (prometheus.rules)")
    ]
