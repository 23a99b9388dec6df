"""Incident reviews kept as Markdown: the ``incident_reviews`` input, its anti-pattern tables,
``guardrails measures`` and the review template ``guardrails init --incident-template`` writes."""
