"""Run the enabled rules over their inputs and settle each finding's severity, scope and suppression.

The engine knows no input or rule by name: it builds each input an enabled rule reads (once,
and only then), hands every unit to the rules that want its type, and applies the ignore
directives of the files the inputs report having read.
"""

from __future__ import annotations

import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from guardrails import parallel
from guardrails.config import Config, unmatched_globs
from guardrails.findings import Finding, Severity, assign_fingerprints, parse_error
from guardrails.inputs import Input, InputResult, LoadContext, SourceFile, Unread
from guardrails.records import Record
from guardrails.registry import ENGINE_INPUT
from guardrails.rules import ENGINE_RULES, Rule, RuleContext
from guardrails.state import RunState
from guardrails.suppress import Ignore, apply_baseline, apply_inline, ignores_in, load_baseline, unused_ignores
from guardrails.workspace import UnreadableFile, Workspace


@dataclass(frozen=True)
class Note:
    """An enabled rule that had nothing to check in this run, and why: said once per rule in
    every report (never a finding, so it changes no count and no exit code)."""

    rule: str
    message: str


@dataclass
class RunResult:
    findings: list[Finding]
    files: int
    duration_s: float
    internal_errors: list[str] = field(default_factory=list)
    # path -> line -> text of the lines that have findings, for reporters that show the source
    source_lines: dict[str, dict[int, str]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    # report data in scope (guardrails.records), in the order the rules added it
    records: list[Record] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if not f.suppressed and f.severity == severity)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed)


def enabled_rules(config: Config, select: Sequence[str] | None = None) -> list[Rule[Any]]:
    return [
        rule
        for rule in config.rules.values()
        if rule.check is not None
        and (not select or rule.id in select or rule.id in ENGINE_RULES)
        and config.enabled_anywhere(rule.id)
    ]


def run(
    workspace: Workspace,
    config: Config,
    select: Sequence[str] | None = None,
    debug: bool = False,
    arguments: Mapping[str, str] | None = None,
    inputs: Mapping[str, Input[Any]] | None = None,
    source_lines: bool = True,
) -> RunResult:
    """Check the workspace. ``arguments``: command-line settings for inputs (``pr_body``);
    ``inputs``: the installed inputs (default: the registry's); ``source_lines``: the text of
    every finding's line for the report (the full format shows it); without it, only the lines
    fingerprints need are read (a finding that names its subject needs none)."""
    started = time.perf_counter()
    if inputs is None:
        from guardrails.registry import load_registry

        inputs = load_registry().inputs
    state = RunState(dict(arguments or {}))
    rules = enabled_rules(config, select)
    # An input is built for the rules that need it; the engine's own rules (parse-error) check
    # the inputs that are built anyway, and pull one in only when selected by name.
    needed = list(
        dict.fromkeys(
            r.input
            for r in rules
            if r.input != ENGINE_INPUT and (r.id not in ENGINE_RULES or (select and r.id in select))
        )
    )
    state.inputs = tuple(needed)
    total = InputResult(errors=unmatched_globs(config, inputs, workspace.select_all))
    total.findings += [_unfollowed(link) for link in workspace.linked_dirs]
    read_by: dict[str, set[str]] = defaultdict(set)  # path -> the rules that checked it
    notes: list[Note] = []
    for name in needed:
        source = inputs[name]
        input_rules = [r for r in rules if r.input == name]
        run_one = _input_runner(source, input_rules, debug)
        lctx = LoadContext(workspace, config, state)
        files = source.files(lctx) if source.files else []
        jobs = parallel.jobs_for(len(files)) if source.files else 1
        result = parallel.run_split(lctx, files, jobs, run_one) if jobs > 1 else run_one(lctx)
        for read in result.sources:
            read_by[read.path].update(r.id for r in input_rules)
        notes += _idle_notes(source, input_rules, result, lctx)
        total.merge(result)

    ignores = _ignores(workspace, total)
    # Fingerprinted before the --scope filter, so that the ordinals of findings sharing one
    # subject (an old copy and a newly added one) are the same as in a full run.
    unscoped = _settle(total.findings, workspace, config, select, scoped=False)

    def lines_of(findings: list[Finding]) -> dict[str, dict[int, str]]:
        # 3,707 findings on GitHub's 13 MB description: 25 ms to split it into lines, for nothing
        return _finding_lines(workspace, findings if source_lines else [f for f in findings if not _named(f)])

    lines = lines_of(unscoped)
    settled = [f for f in assign_fingerprints(unscoped, lines) if _in_scope(workspace, f)]
    settled, used = apply_inline(settled, ignores, config.rules.keys())

    def checked(rule: str, path: str, line: int) -> bool:
        return (
            rule in read_by.get(path, set())
            and config.setting(rule, path).severity is not None
            and workspace.in_scope(path, line)
        )

    unused = _settle(unused_ignores(ignores, used, checked, config.rules.keys()), workspace, config, select)
    unused_lines = lines_of(unused)
    settled = sorted(settled + assign_fingerprints(unused, unused_lines), key=Finding.sort_key)
    for path, numbers in unused_lines.items():
        lines.setdefault(path, {}).update(numbers)
    errors = total.errors
    try:
        settled = apply_baseline(settled, load_baseline(workspace.root))
    except ValueError as exc:
        errors.append(str(exc))
    checked_files = len({s.path for s in total.sources})
    notes.sort(key=lambda n: n.rule)
    records = [
        r
        for r in total.records
        if (not select or r.rule in select)
        and config.setting(r.rule, r.location.path).severity is not None
        and workspace.in_scope(r.location.path, r.location.line, r.location.end_line)
    ]
    return RunResult(settled, checked_files, time.perf_counter() - started, errors, lines, notes, records)


def _idle_notes(source: Input[Any], rules: list[Rule[Any]], result: InputResult, lctx: LoadContext) -> list[Note]:
    """A note for each rule of this input that had nothing to check: the rule said why, or it
    got no unit and the input says why (unless it reported input it could not read: that says
    why already, and "found none" would not be true)."""
    notes = []
    for rule in rules:
        if rule.id in ENGINE_RULES:
            continue
        reason = result.idle.get(rule.id)
        if reason is None and rule.id in result.offered - result.checked:
            reason = "it is on only through overrides, and their files had nothing for it"  # off where units were
        elif reason is None and rule.id not in result.checked and not (result.unread or result.errors):
            reason = source.empty_reason(lctx)
        if reason:
            notes.append(Note(rule.id, reason))
    return notes


def _unfollowed(link: str) -> Finding:
    """A symbolic link to a directory is one file to git, and readers never follow links (one
    could lead outside the repository): what is under it is unchecked there, which is said."""
    finding = parse_error(link, "symbolic link to a directory, not followed: the files under it are not checked")
    return replace(finding, extra={**finding.extra, "at_most": "notice"})


def _input_runner(source: Input[Any], rules: list[Rule[Any]], debug: bool) -> Callable[[LoadContext], InputResult]:
    """A function running every rule of one input on every unit it yields."""
    wanted: dict[type, list[Rule[Any]]] = defaultdict(list)
    for rule in rules:
        for unit_type in rule.units or source.units:
            wanted[unit_type].append(rule)

    def rules_for(unit_type: type) -> list[Rule[Any]]:
        if unit_type not in wanted:  # a subclass of a wanted type: remember the answer
            wanted[unit_type] = [r for base in unit_type.__mro__[1:] for r in wanted.get(base, [])]
        return wanted[unit_type]

    def run_one(lctx: LoadContext) -> InputResult:
        result = InputResult()
        try:
            for item in source.load(lctx):
                if isinstance(item, Finding):  # what the input could not read or parse
                    result.findings.append(item)
                    result.unread += 1
                elif isinstance(item, SourceFile):
                    result.sources.append(item)
                elif isinstance(item, Unread):
                    result.unread += 1
                    if lctx.config.unreadable_input == "warning":  # the config accepts it: report, go on
                        warning = parse_error(item.path, item.message, item.line, item.column)
                        result.findings.append(replace(warning, extra={"at_most": "warning"}))
                    else:
                        result.errors.append(f"{item.text} (the {source.name} input's rules did not check it)")
                else:
                    for rule in rules_for(type(item)):
                        result.findings.extend(_check(rule, item, lctx, result, debug))
        except Exception as exc:  # one broken input must not stop the others
            result.errors.append(_describe(f"reading the {source.name} input failed", exc, debug))
        return result

    return run_one


def _check(rule: Rule[Any], unit: object, lctx: LoadContext, result: InputResult, debug: bool) -> list[Finding]:
    path = getattr(unit, "path", "")
    setting = lctx.config.setting(rule.id, path)
    result.offered.add(rule.id)
    if setting.severity is None or rule.check is None:
        return []
    result.checked.add(rule.id)
    ctx = RuleContext(
        rule, setting.severity, setting.options, lctx.config, lctx.workspace, lctx.state, result.idle, result.records
    )
    try:
        return list(rule.check(unit, ctx))
    except Exception as exc:
        result.errors.append(_describe(f"rule {rule.id} failed on {path or 'the pull request'}", exc, debug))
        return []


def _describe(what: str, exc: BaseException, debug: bool) -> str:
    detail = "".join(traceback.format_exception(exc)) if debug else f"{type(exc).__name__}: {exc}"
    hint = "" if debug else " (run with --debug for the traceback, and please report it)"
    return f"internal error: {what}: {detail}{hint}"


def _settle(
    raw: list[Finding], workspace: Workspace, config: Config, select: Sequence[str] | None, scoped: bool = True
) -> list[Finding]:
    """Give each finding the severity configured for its path; drop what is off (or, if scoped, out of scope)."""
    out = []
    for finding in _one_parse_error_per_line(raw):
        if select and finding.rule not in select and finding.rule not in ENGINE_RULES:
            continue
        severity = config.setting(finding.rule, finding.path).severity
        if severity is None:
            continue
        cap = finding.extra.get("at_most")  # a finding that is only ever informative (a notice)
        if cap:
            severity = min(severity, Severity.parse(cap))
        if scoped and not _in_scope(workspace, finding):
            continue
        out.append(finding if finding.severity is severity else replace(finding, severity=severity))
    return out


def _in_scope(workspace: Workspace, finding: Finding) -> bool:
    loc = finding.location
    return workspace.in_scope(loc.path, loc.line, loc.end_line)


def _one_parse_error_per_line(raw: list[Finding]) -> list[Finding]:
    """Two readers of one file (the SQL source and the schema model, say) may both fail on the
    same statement; the reviewer needs one finding there: the one pointing most precisely.
    A reader's findings marked ``distinct`` (several errors one validator found at one place)
    are each kept."""
    best: dict[tuple[str, int], Finding] = {}
    for f in raw:
        if f.rule == "parse-error" and f.path and f.line and "distinct" not in f.extra:
            key = (f.path, f.line)
            if key not in best or f.location.column > best[key].location.column:
                best[key] = f
    return [
        f
        for f in raw
        if f.rule != "parse-error" or not (f.path and f.line) or "distinct" in f.extra or best[(f.path, f.line)] is f
    ]


def _ignores(workspace: Workspace, result: InputResult) -> dict[str, tuple[Ignore, ...]]:
    """The ignore directives of every file an input read, and of files that have findings but
    that no input reported reading (a pull-request finding on a query's line)."""
    ignores = {s.path: s.ignores for s in result.sources}
    for path in sorted({f.path for f in result.findings if f.path} - ignores.keys()):
        try:
            ignores[path] = ignores_in(path, workspace.read_bytes(path))
        except UnreadableFile:
            continue
    return {path: found for path, found in ignores.items() if found}


def _named(finding: Finding) -> bool:
    """Whether the finding names its own subject: its fingerprint needs no line (findings.py)."""
    return bool(finding.extra.get("subject"))


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
