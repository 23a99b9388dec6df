"""The pull-request template ``guardrails init --pr-template`` writes, and its checklist.

``PR_TEMPLATE`` is the text of this repository's .github/pull_request_template.md
(a test keeps the two identical). ``CHECKLIST`` holds its checklist items, the
value for ``pull_request.checklist`` in .guardrails.yml so pr-checklist asks
for exactly what the template shows.
"""

from __future__ import annotations

CHECKLIST: list[str] = [
    "I can investigate and recover this feature myself if it fails",
    "The EXPLAIN of every new query is above, and I have read it",
]

PR_TEMPLATE = """\
## What and why

<!-- What does this change do, and why is it needed? Link the issue. -->

## EXPLAIN of every new query

<!--
Paste the EXPLAIN output of each query this pull request adds, as the mysql or
mariadb client prints it (table, \\G, FORMAT=JSON or FORMAT=TREE), in a code block.
`guardrails explain --base origin/main` runs them for you and prints a block to paste.
A query whose plan is not worth reading can be waived on its own line with
guardrails:no-explain <table-or-fingerprint> <why no plan is needed>
-->

```text

```

## Checklist

- [ ] I can investigate and recover this feature myself if it fails
- [ ] The EXPLAIN of every new query is above, and I have read it
"""
