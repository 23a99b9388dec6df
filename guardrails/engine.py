"""Run the enabled rules over their inputs and settle each finding's severity, scope and suppression."""

from __future__ import annotations

import time
import traceback
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from guardrails import parallel
from guardrails.config import ENGINE_RULES, Config
from guardrails.findings import Finding, Severity, assign_fingerprints
from guardrails.rules import Rule, RuleContext
from guardrails.sources import file_lister, loader
from guardrails.suppress import apply_baseline, apply_inline, load_baseline
from guardrails.workspace import UnreadableFile, Workspace


@dataclass
class RunResult:
    findings: list[Finding]
    files: int
    duration_s: float
    internal_errors: list[str] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if not f.suppressed and f.severity == severity)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed)


def enabled_rules(config: Config, select: Sequence[str] | None = None) -> list[Rule]:
    return [
        rule
        for rule in config.rules.values()
        if rule.check is not None
        and (not select or rule.id in select or rule.id in ENGINE_RULES)
        and config.enabled_anywhere(rule.id)
    ]


def run(workspace: Workspace, config: Config, select: Sequence[str] | None = None, debug: bool = False) -> RunResult:
    started = time.perf_counter()
    raw: list[Finding] = []
    errors: list[str] = []
    by_input: dict[str, list[Rule]] = defaultdict(list)
    for rule in enabled_rules(config, select):
        by_input[rule.input].append(rule)

    for input_name, rules in by_input.items():
        run_input = partial(_run_input, input_name, rules, debug)
        lister = file_lister(input_name)
        files = lister(workspace, config) if lister else []
        jobs = parallel.jobs_for(len(files)) if lister else 1
        if jobs > 1:
            shared = parallel.run_split(workspace, config, files, jobs, run_input)
            # what is not per file (a schema problem, an unreachable database) each worker reports
            raw += dict.fromkeys(shared.findings)
            errors += dict.fromkeys(shared.errors)
            workspace.read_paths |= shared.read_paths
            workspace.marked_paths |= shared.marked_paths
        else:
            found, failed = run_input(workspace, config)
            raw += found
            errors += failed

    texts = _texts_with_ignores(workspace, raw)
    settled = _settle(apply_inline(raw, texts, config.rules.keys()), workspace, config, select)
    settled = assign_fingerprints(settled, _finding_lines(workspace, settled))
    try:
        settled = apply_baseline(settled, load_baseline(workspace.root))
    except ValueError as exc:
        errors.append(str(exc))
    return RunResult(settled, len(workspace.read_paths), time.perf_counter() - started, errors)


def _run_input(
    input_name: str, rules: list[Rule], debug: bool, workspace: Workspace, config: Config
) -> tuple[list[Finding], list[str]]:
    """Every rule of one input on every unit of it: (findings, internal errors)."""
    raw: list[Finding] = []
    errors: list[str] = []
    try:
        for unit in loader(input_name)(workspace, config):
            if isinstance(unit, Finding):
                raw.append(unit)
                continue
            for rule in rules:
                raw.extend(_check(rule, unit, workspace, config, errors, debug))
    except Exception as exc:  # one broken input must not stop the others
        errors.append(_describe(f"reading the {input_name} input failed", exc, debug))
    return raw, errors


def _check(
    rule: Rule, unit: object, workspace: Workspace, config: Config, errors: list[str], debug: bool
) -> list[Finding]:
    path = getattr(unit, "path", "")
    setting = config.setting(rule.id, path)
    if setting.severity is None or rule.check is None:
        return []
    ctx = RuleContext(rule, setting.severity, setting.options, config, workspace)
    try:
        return list(rule.check(unit, ctx))
    except Exception as exc:
        errors.append(_describe(f"rule {rule.id} failed on {path or 'the pull request'}", exc, debug))
        return []


def _describe(what: str, exc: BaseException, debug: bool) -> str:
    detail = "".join(traceback.format_exception(exc)) if debug else f"{type(exc).__name__}: {exc}"
    hint = "" if debug else " (run with --debug for the traceback, and please report it)"
    return f"internal error: {what}: {detail}{hint}"


def _settle(raw: list[Finding], workspace: Workspace, config: Config, select: Sequence[str] | None) -> list[Finding]:
    """Give each finding the severity configured for its path; drop what is off or out of scope."""
    out = []
    for finding in _one_parse_error_per_line(raw):
        if select and finding.rule not in select and finding.rule not in ENGINE_RULES:
            continue
        severity = config.setting(finding.rule, finding.path).severity
        if severity is None:
            continue
        loc = finding.location
        if not workspace.in_scope(loc.path, loc.line, loc.end_line):
            continue
        out.append(finding if finding.severity is severity else replace(finding, severity=severity))
    return out


def _one_parse_error_per_line(raw: list[Finding]) -> list[Finding]:
    """Two readers of one file (the SQL source and the schema model, say) may both fail on the
    same statement; the reviewer needs one finding there: the one pointing most precisely."""
    best: dict[tuple[str, int], Finding] = {}
    for f in raw:
        if f.rule == "parse-error" and f.path and f.line:
            key = (f.path, f.line)
            if key not in best or f.location.column > best[key].location.column:
                best[key] = f
    return [f for f in raw if f.rule != "parse-error" or not (f.path and f.line) or best[(f.path, f.line)] is f]


def _texts_with_ignores(workspace: Workspace, findings: list[Finding]) -> dict[str, str]:
    """The text of every file holding an ignore comment (noted while it was read; a file
    with findings that no loader read is checked here)."""
    for path in {f.path for f in findings if f.path} - workspace.read_paths:
        try:
            workspace.read_bytes(path)
        except UnreadableFile:
            continue
    texts = {}
    for path in sorted(workspace.marked_paths):
        try:
            texts[path] = workspace.read_text(path)
        except UnreadableFile:
            continue
    return texts


def _finding_lines(workspace: Workspace, findings: list[Finding]) -> dict[str, dict[int, str]]:
    """The text of just the lines that have findings, read from the bytes: a 13 MB spec is
    never decoded whole, and split only as far as its last finding."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        if f.path and f.line:
            wanted[f.path].add(f.line)
    out: dict[str, dict[int, str]] = {}
    for path, numbers in wanted.items():
        try:
            data = workspace.read_bytes(path)
        except UnreadableFile:
            continue
        # one C-level split beats a find per line (350,000 of them on GitHub's description)
        split = data.split(b"\n", max(numbers))
        lines = {n: split[n - 1].decode("utf-8-sig", "replace") for n in numbers if n <= len(split)}
        out[path] = lines
    return out
