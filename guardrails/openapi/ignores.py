"""``x-guardrails-ignore`` on a schema, as the ignore directives the engine applies.

DESIGN.md: in specs, ``x-guardrails-ignore: {RULE: reason}`` on a schema suppresses RULE's
finding on that schema. Each entry becomes one ``Ignore`` at the line and column where the
schema's mapping starts (where its finding is reported), covering that line only; the
engine then applies them like ignore comments, and reports the broken ones (no reason, an
unknown rule, a value that is not a mapping) and the unused ones as bad-suppression.
"""

from __future__ import annotations

from guardrails.openapi.document import IGNORE_KEY, Document
from guardrails.suppress import Ignore


def spec_ignores(doc: Document) -> tuple[Ignore, ...]:
    """The directives every ``x-guardrails-ignore`` of one file stands for, in file order."""
    if not doc.ignored:
        return ()
    where = doc.positions(doc.ignored)
    out: list[Ignore] = []
    for holder in doc.ignored:
        line, column = where[id(holder)]
        if not line:
            continue
        value = holder[IGNORE_KEY]
        if not isinstance(value, dict) or not value:
            out.append(Ignore(line, column, (), "", whole_file=False, standalone=False))
            continue
        for rule, reason in value.items():
            text = reason.strip() if isinstance(reason, str) else ""
            out.append(Ignore(line, column, (str(rule),), text, whole_file=False, standalone=False))
    return tuple(sorted(out, key=lambda d: (d.line, d.column)))
