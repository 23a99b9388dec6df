"""pr-checklist: the items of ``pull_request.checklist`` are ticked in the pull-request description.

The exact semantics are in DETAILS, which `guardrails rules ID` renders.
"""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, Location, Severity
from guardrails.github.pull_request import PullRequest
from guardrails.pull_request.rendered import normalise, task_items
from guardrails.rules import Rule, RuleContext

DETAILS = """\
An item counts when a task-list item (``- [x] text``, ``* [X] text``,
``1. [x] text``, at any nesting depth) starts with the item's text, compared
without case, extra spaces, emphasis marks or final punctuation. The
description is read as GitHub renders it (markdown-it-py, CommonMark, the
reading pr-explain shares): text inside HTML comments, closed or not, and the
markup of HTML tags (their attributes) is not shown, and an item inside code
is not a task, so neither counts; ``<script>``, ``<style>`` and the other tags
GitHub escapes are shown as text, and so are their contents. A missing
or unticked item is a finding on the pull request. A description is read up
to 1,048,576 characters (GitHub allows 65,536); past that, and past 100
levels of nested lists or quotes, a parse-error on the pull request says what
was not read.
"""


def check(unit: PullRequest, ctx: RuleContext) -> Iterator[Finding]:
    required = ctx.config.section("pull_request").get("checklist", [])
    if not required:
        ctx.nothing_to_check("no required item (pull_request.checklist is not set)")
        return
    ticked, unticked = task_items(unit.rendered)
    for item in required:
        key = normalise(item)
        if any(t.startswith(key) for t in ticked):
            continue
        state = "not ticked" if any(t.startswith(key) for t in unticked) else "missing from the description"
        yield ctx.finding(Location(""), f'checklist item "{item}": {state}', properties={"item": item})


RULE: Rule[PullRequest] = Rule(
    id="pr-checklist",
    summary="required checklist items in the pull-request description are missing or unticked",
    severity=Severity.ERROR,
    incident=(
        "A feature failed in production and only its author knew how to recover it, while they "
        'were away. The review policy now asks every author "could you investigate and recover '
        'this feature yourself if it failed?" as a ticked checklist item; this rule makes sure '
        "each item listed under pull_request.checklist in .guardrails.yml is present and ticked."
    ),
    bad=("## Checklist\n- [ ] I can investigate and recover this feature myself if it fails"),
    good=("## Checklist\n- [x] I can investigate and recover this feature myself if it fails"),
    input="pull_request",
    check=check,
    help=(
        "The review policy asks every author to confirm each checklist item before merging: tick "
        "it (`- [x] item`) in the description once it is true, or add the line where it is missing "
        "(`guardrails init --pr-template` writes a template with every item)."
    ),
    details=DETAILS,
    properties={"item": "the checklist item, as configured"},
    language="markdown",
)
