"""An example guardrails plugin: every Prometheus alert links its runbook."""
