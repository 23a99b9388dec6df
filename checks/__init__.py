"""The built-in rules, one module each; installed as ``guardrails.checks``."""
