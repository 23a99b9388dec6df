"""bad-suppression: an ignore comment must name a known rule and give a reason."""
# guardrails:ignore-file[insert-ignore] the rule documentation quotes the statement it forbids

from guardrails.findings import Severity
from guardrails.rules import Rule

RULE: Rule[object] = Rule(
    id="bad-suppression",
    summary="An ignore comment with no reason, or naming an unknown rule",
    severity=Severity.ERROR,
    incident=(
        "Suppressions outlive the people who wrote them. An ignore with no reason cannot be "
        "reviewed or revisited, and one naming a misspelt rule suppresses nothing while looking "
        "as if it does. Such a comment is reported and does not suppress."
    ),
    bad="-- guardrails:ignore[insert-ignore]\nINSERT IGNORE INTO seen_events (id) VALUES (?);",
    good=(
        "-- guardrails:ignore[insert-ignore] replaying an idempotent event log; duplicates are "
        "expected and the table has no other constraints\n"
        "INSERT IGNORE INTO seen_events (id) VALUES (?);"
    ),
    input="engine",
    help=(
        "An ignore comment must name a rule that exists (`guardrails rules` lists them) and say why "
        "the finding is safe, after the ]: `guardrails:ignore[insert-ignore] replaying an idempotent "
        "log`. Without both it suppresses nothing. An unused ignore (its rule reports nothing there) "
        "is reported too: remove it."
    ),
)
