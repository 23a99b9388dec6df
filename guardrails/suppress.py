"""Inline ignores (``guardrails:ignore[RULE] reason``) and the baseline file."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from guardrails.findings import Finding, Location, Severity

MARKER = "guardrails:ignore"
BASELINE_NAME = ".guardrails-baseline.json"
_DIRECTIVE = re.compile(r"guardrails:ignore(?P<file>-file)?\[(?P<rules>[^\]]*)\](?P<reason>.*)")

# Comment openers per file extension; a directive counts only inside a comment.
_HASH = ("#",)
_SLASH = ("//", "/*")
_OPENERS: dict[str, tuple[str, ...]] = {
    "sql": ("--", "#", "/*"),
    "py": _HASH,
    "rb": _HASH,
    "yml": _HASH,
    "yaml": _HASH,
    "sh": _HASH,
    "toml": _HASH,
    "cfg": _HASH,
    "go": _SLASH,
    "java": _SLASH,
    "ts": _SLASH,
    "tsx": _SLASH,
    "js": _SLASH,
    "kt": _SLASH,
    "c": _SLASH,
    "php": ("//", "#", "/*"),
    "md": ("<!--",),
    "html": ("<!--",),
}
_DEFAULT_OPENERS = ("#", "//", "--", "/*")


@dataclass(frozen=True)
class Directive:
    line: int
    column: int
    rules: tuple[str, ...]
    reason: str
    whole_file: bool
    standalone: bool = True  # alone on its line: it covers the next line; after code: only its own


def directives(path: str, text: str) -> list[Directive]:
    if MARKER not in text:
        return []
    openers = _OPENERS.get(path.rsplit(".", 1)[-1].lower(), _DEFAULT_OPENERS)
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        at = line.find(MARKER)
        if at == -1 or not any(o in line[:at] for o in openers):
            continue
        m = _DIRECTIVE.match(line, at)
        standalone = line[:at].strip() in openers
        if not m:
            found.append(Directive(number, at + 1, (), "", False, standalone))
            continue
        reason = m.group("reason").strip()
        for closer in ("*/", "-->"):
            reason = reason.removesuffix(closer).strip()
        rules = tuple(r.strip() for r in m.group("rules").split(",") if r.strip())
        found.append(Directive(number, at + 1, rules, reason, bool(m.group("file")), standalone))
    return found


def apply_inline(findings: Iterable[Finding], texts: dict[str, str], known_rules: Collection[str]) -> list[Finding]:
    """Mark findings an ignore comment covers; add bad-suppression findings for broken ones."""
    by_path: dict[str, list[Directive]] = {}
    extra: list[Finding] = []
    for path, text in texts.items():
        valid = []
        for d in directives(path, text):
            loc = Location(path, d.line, d.column)
            unknown = [r for r in d.rules if r not in known_rules]
            if not d.rules:
                extra.append(_bad(loc, "ignore comment names no rule: write guardrails:ignore[RULE] reason"))
            elif unknown:
                extra.append(
                    _bad(
                        loc,
                        f"ignore comment names unknown rule {unknown[0]!r}; it suppresses nothing. "
                        f"Run `guardrails rules` for the rule ids",
                    )
                )
            elif not d.reason:
                extra.append(
                    _bad(
                        loc,
                        f"ignore comment for {', '.join(d.rules)} has no reason, so it does not "
                        "suppress: add why this is safe after the ]",
                    )
                )
            else:
                valid.append(d)
        by_path[path] = valid
    out = []
    for finding in findings:
        reason = _covering(finding, by_path.get(finding.path, []))
        out.append(replace(finding, suppressed=True, suppression=reason) if reason else finding)
    return out + extra


def _covering(finding: Finding, found: list[Directive]) -> str:
    line = finding.location.line
    next_line_of = {line}
    if "statement_line" in finding.extra:
        next_line_of.add(int(finding.extra["statement_line"]))
    for d in found:
        if finding.rule not in d.rules:
            continue
        if d.whole_file or d.line == line or (d.standalone and d.line + 1 in next_line_of):
            return d.reason
    return ""


def _bad(location: Location, message: str) -> Finding:
    return Finding("bad-suppression", Severity.ERROR, location, message)


def load_baseline(root: Path) -> set[str]:
    path = root / BASELINE_NAME
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["fingerprint"] for entry in data["findings"]}
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
