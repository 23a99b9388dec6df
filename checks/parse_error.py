"""parse-error: input that could not be parsed is reported, never a crash."""

from guardrails.findings import Severity
from guardrails.rules import Rule

RULE = Rule(
    id="parse-error",
    summary="Input that could not be parsed (reported, never a crash)",
    severity=Severity.WARNING,
    incident=(
        "A check that silently skips a file it cannot read gives a false all-clear: the one "
        "statement it could not parse may be the one that causes the outage. Every file guardrails "
        "could not read or parse is reported at the place it failed, and the other files are still "
        "checked. The default severity is warning so that a parser gap in guardrails never blocks "
        "a merge on its own; raise it to error to insist on parseable input."
    ),
    bad="INSERT INTO t VALUES (1;",
    good="INSERT INTO t VALUES (1);",
    input="engine",
)
