"""Read and parse the review files of a run; a file that cannot be read is a parse-error, and
never stops the others."""

from __future__ import annotations

from collections.abc import Iterator

from guardrails.findings import Finding, parse_error
from guardrails.incident.parse import parse_review
from guardrails.incident.review import Review
from guardrails.incident.sections import names
from guardrails.incident.settings import review_files
from guardrails.inputs import LoadContext, SourceFile, source_file
from guardrails.workspace import UnreadableFile


def load_reviews(ctx: LoadContext) -> Iterator[Review | Finding | SourceFile]:
    known = names(ctx.section("incident_review").get("sections"))
    for path in review_files(ctx):
        try:
            text = ctx.workspace.read_text(path)
        except UnreadableFile as exc:
            yield parse_error(path, f"incident review: {exc}", exc.line, exc.column)
            continue
        yield source_file(path, text)
        try:
            yield parse_review(path, text, known)
        except RecursionError:  # markdown-it bounds nesting; this is the last line of defence
            yield parse_error(path, "incident review: nested too deeply to read: not checked", 1, 1)
