"""GitHub's size limits, and cutting text to fit them with a note of what was left out."""

from __future__ import annotations

# Check-run output summary and text: maxLength 65535 in GitHub's REST description. Issue comments
# allow 65536; one limit for both keeps the same text postable in either place.
MAX_TEXT = 65535
ANNOTATIONS_PER_REQUEST = 50  # maxItems of output.annotations in one create/update call
MAX_ANNOTATIONS = 1000  # a cap of our own: 20 requests per run; the rest is counted in the summary
ANNOTATION_TITLE = 255  # characters
# An annotation's message and raw_details: "The maximum size is 64 KB" in the description. Cut in
# UTF-8 bytes, to 64,000 so that it holds whether GitHub's KB is 1,000 bytes or 1,024.
ANNOTATION_TEXT = 64_000
# Workflow-command annotations: GitHub shows 10 errors and 10 warnings per step (notices alike).
COMMAND_ANNOTATIONS_PER_LEVEL = 10
STEP_SUMMARY = 1024 * 1024  # bytes of $GITHUB_STEP_SUMMARY per step


def truncate(text: str, limit: int = MAX_TEXT, where: str = "the job log") -> str:
    """``text`` cut at a line boundary to at most ``limit`` characters, ending with a note.

    A code fence left open by the cut is closed, so the note renders as text.
    """
    if len(text) <= limit:
        return text
    for reserve in (200, 400, 800):
        kept = text[: max(0, limit - reserve)]
        if "\n" in kept:
            kept = kept[: kept.rindex("\n")]
        fence = _open_fence(kept)
        dropped = len(text) - len(kept)
        note = f"\n\n**Truncated:** {dropped:,} more characters were left out; see {where}.\n"
        result = kept + (f"\n{fence}" if fence else "") + note
        if len(result) <= limit:
            return result
    return text[: max(0, limit - 1)] + "…"  # only with absurdly small limits


def truncate_bytes(text: str, limit: int) -> str:
    """Like ``truncate`` for a limit in UTF-8 bytes (the job summary's)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    chars = len(text)
    while True:
        cut = truncate(text, chars)
        size = len(cut.encode("utf-8"))
        if size <= limit or chars <= 0:
            return cut
        # Shrink in proportion to the overshoot, by at least one character.
        chars = min(chars - 1, chars * limit // size)


def _open_fence(text: str) -> str:
    """The fence that is still open at the end of ``text`` ("" if none)."""
    open_fence = ""
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 3:
            continue  # indented code, not a fence
        run = len(stripped) - len(stripped.lstrip("`"))
        if run < 3:
            continue
        if not open_fence:
            open_fence = "`" * run
        elif run >= len(open_fence) and not stripped[run:].strip():
            open_fence = ""
    return open_fence
