"""Inline ignores (``guardrails:ignore[RULE] reason``) and the baseline file."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from guardrails.findings import Finding, Location, Severity
from guardrails.languages import comment_openers

MARKER = "guardrails:ignore"
BASELINE_NAME = ".guardrails-baseline.json"
_DIRECTIVE = re.compile(r"guardrails:ignore(?P<file>-file)?\[(?P<rules>[^\]]*)\](?P<reason>.*)")


@dataclass(frozen=True)
class Ignore:
    """One ``guardrails:ignore`` directive as written in a file."""

    line: int
    column: int
    rules: tuple[str, ...]
    reason: str
    whole_file: bool
    standalone: bool = True  # alone on its line: it covers the next line; after code: only its own


def directives(path: str, text: str) -> list[Ignore]:
    if MARKER not in text:
        return []
    openers = comment_openers(path)
    found = []
    # numbered as findings are, at "\n" only: splitlines() also breaks at form feeds and U+2028
    for number, line in enumerate(text.split("\n"), 1):
        at = line.find(MARKER)
        if at == -1 or not any(o in line[:at] for o in openers):
            continue
        m = _DIRECTIVE.match(line, at)
        standalone = line[:at].strip() in openers
        if not m:
            found.append(Ignore(number, at + 1, (), "", False, standalone))
            continue
        reason = m.group("reason").strip()
        for closer in ("*/", "-->"):
            reason = reason.removesuffix(closer).strip()
        rules = tuple(r.strip() for r in m.group("rules").split(",") if r.strip())
        found.append(Ignore(number, at + 1, rules, reason, bool(m.group("file")), standalone))
    return found


def ignores_in(path: str, data: str | bytes) -> tuple[Ignore, ...]:
    """The directives in a file's text or bytes (a quick scan when there are none)."""
    if isinstance(data, bytes):
        if MARKER.encode() not in data:
            return ()
        data = data.decode("utf-8-sig", "replace")
    return tuple(directives(path, data))


def apply_inline(
    findings: Iterable[Finding], ignores: Mapping[str, Sequence[Ignore]], known_rules: Collection[str]
) -> tuple[list[Finding], set[tuple[str, Ignore]]]:
    """Mark the findings an ignore directive covers; add bad-suppression findings for broken
    directives. Returns the findings and the (path, directive) pairs that suppressed one."""
    by_path: dict[str, list[Ignore]] = {}
    extra: list[Finding] = []
    for path, found in ignores.items():
        valid = []
        for d in found:
            loc = Location(path, d.line, d.column)
            unknown = [r for r in d.rules if r not in known_rules]
            if not d.rules:
                extra.append(_bad(loc, "ignore comment names no rule: write guardrails:ignore[RULE] reason"))
            elif unknown:
                extra.append(
                    _bad(
                        loc,
                        f"ignore comment names unknown rule {unknown[0]}: suppresses nothing",
                    )
                )
            elif not d.reason:
                extra.append(
                    _bad(
                        loc,
                        f"ignore comment for {', '.join(d.rules)} has no reason: suppresses nothing",
                    )
                )
            else:
                valid.append(d)
        by_path[path] = valid
    out = []
    used: set[tuple[str, Ignore]] = set()
    for finding in findings:
        directive = _covering(finding, by_path.get(finding.path, []))
        if directive is None:
            out.append(finding)
            continue
        used.add((finding.path, directive))
        out.append(replace(finding, suppressed=True, suppression=directive.reason))
    return out + extra, used


def unused_ignores(
    ignores: Mapping[str, Sequence[Ignore]],
    used: set[tuple[str, Ignore]],
    checked: Callable[[str, str, int], bool],
    known_rules: Collection[str],
) -> list[Finding]:
    """bad-suppression for each valid directive that suppressed nothing, when every rule it
    names was checked on that file and line this run (``checked(rule, path, line)``), as
    ruff's RUF100 does for ``noqa``."""
    out = []
    for path, found in ignores.items():
        for d in found:
            if not d.rules or not d.reason or (path, d) in used or any(r not in known_rules for r in d.rules):
                continue
            if not all(checked(rule, path, d.line) for rule in d.rules):
                continue
            what = "this file" if d.whole_file else "this line or the next"
            out.append(
                _bad(
                    Location(path, d.line, d.column),
                    f"unused ignore: {', '.join(d.rules)} reports nothing on {what}; remove the comment",
                )
            )
    return out


def _covering(finding: Finding, found: list[Ignore]) -> Ignore | None:
    line = finding.location.line
    next_line_of = {line}
    if "statement_line" in finding.extra:
        next_line_of.add(int(finding.extra["statement_line"]))
    for d in found:
        if finding.rule not in d.rules:
            continue
        if d.whole_file or d.line == line or (d.standalone and d.line + 1 in next_line_of):
            return d
    return None


def _bad(location: Location, message: str) -> Finding:
    return Finding("bad-suppression", Severity.ERROR, location, message)


def load_baseline(root: Path) -> set[str]:
    from guardrails.workspace import UnreadableFile, read_inside

    if not os.path.lexists(root / BASELINE_NAME):
        return set()
    try:
        data = json.loads(read_inside(root, BASELINE_NAME).decode("utf-8"))
        return {entry["fingerprint"] for entry in data["findings"]}
    except UnreadableFile as exc:
        raise ValueError(f"{BASELINE_NAME}: {exc}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"{BASELINE_NAME}: not a guardrails baseline ({exc}); regenerate it with `guardrails baseline`"
        ) from None


def apply_baseline(findings: Iterable[Finding], fingerprints: set[str]) -> list[Finding]:
    return [
        replace(f, suppressed=True, suppression="baseline") if not f.suppressed and f.fingerprint in fingerprints else f
        for f in findings
    ]


def write_baseline(root: Path, findings: Iterable[Finding]) -> int:
    entries = [
        {"rule": f.rule, "path": f.path, "fingerprint": f.fingerprint}
        for f in findings
        if not f.suppressed or f.suppression == "baseline"
    ]
    doc = {"version": 1, "findings": entries}
    (root / BASELINE_NAME).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return len(entries)
