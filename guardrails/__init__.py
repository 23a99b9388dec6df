"""guardrails: incident-review prevention measures as checks on every pull request."""

__version__ = "0.1.0"
