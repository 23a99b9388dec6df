"""Recall and precision of guardrails' SQL rules on real code: found/expected per rule and language.

    python benchmarks/bench_recall.py [REPO_DIR ...] [--list]

Each REPO_DIR is checked as guardrails would check it on its own (default config,
in-process; a directory that is not a git work tree is copied into a scratch
repository first). Findings are compared with ``EXPECTED``: (repo, path, line) of every
case verified by reading the code, per rule. A finding not expected in a repo that has
cases recorded counts against precision; in a repo without recorded cases it is listed
as unreviewed. parse-error findings are counted too (notices: SQL read by keyword only),
so what was not read is never silent.

With no argument it runs over the committed snippets (tests/fixtures/recall, written
for this benchmark after the named projects) and each project of
/work/shared/corpus/mysql if present.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from guardrails.findings import Finding
from guardrails.languages import language_of

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "recall"
CORPUS = Path("/work/shared/corpus/mysql")
RULES = ("insert-ignore",)

_FIXTURE_CASES = {
    "gh-ost/localtests/modify-change-case-pk/create.sql": (19, 20),
    "gh-ost/localtests/rename/create.sql": (19, 20),
    "go-mysql-rowcopy/internal/copy/chunk.go": (13, 20),
    "phabricator-style/src/applications/repository/storage/RepositoryRefCursor.php": (9, 19),
    "node-services/src/tags.ts": (8, 10, 19),
    "node-services/lib/followers.js": (9, 10),
    "rails-app/app/services/product_import.rb": (5, 7),
    "core-ng-app/src/main/java/app/order/OrderService.java": (14, 18),
    "jooq-app/src/main/java/app/Subscriptions.java": (11,),
    "python-service/app/repository.py": (9, 10, 13, 18, 21, 22),
    "sql-templates/resources/sql/20240105.tokens.sql": (1, 4),
    "mysqldump/attachments.sql": (2,),
}
# github/gh-ost (corpus copy): the events of its local tests insert with IGNORE
_GH_OST_CASES = {
    f"localtests/{name}/create.sql": lines
    for name, lines in {
        "panic-on-warnings-duplicate-unique-values-on-column-type-change": (23, 24),
        "modify-change-case-pk": (19, 20),
        "rename-reorder-columns": (20, 21),
        "panic-on-warnings-duplicate-values-for-unique-index": (21, 22),
        "modify-change-case": (19, 20),
        "rename": (19, 20),
        "drop-null-add-not-null": (22, 23),
        "reorder-columns": (19, 20),
        "rename-reorder-column": (19, 20),
    }.items()
}
# Repositories of the corpus read in full, every IGNORE in them verified: none besides gh-ost's.
_CORPUS_WITHOUT_CASES = ("sqlc", "skeema", "test_db", "hydra")

Case = tuple[str, str, int]  # (repo, path, line)
EXPECTED: dict[str, set[Case]] = {
    "insert-ignore": {
        *(("fixtures", path, line) for path, lines in _FIXTURE_CASES.items() for line in lines),
        *(("gh-ost", path, line) for path, lines in _GH_OST_CASES.items() for line in lines),
    }
}
REVIEWED = {"fixtures", "gh-ost", *_CORPUS_WITHOUT_CASES}  # repos whose cases are all recorded


@dataclass
class Tally:
    found: Counter[tuple[str, str]] = field(default_factory=Counter)  # (rule, language) -> expected and found
    expected: Counter[tuple[str, str]] = field(default_factory=Counter)
    unexpected: Counter[tuple[str, str]] = field(default_factory=Counter)
    missed: list[Case] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # unexpected findings in reviewed repos
    unreviewed: list[str] = field(default_factory=list)
    parse_errors: Counter[str] = field(default_factory=Counter)  # severity -> count


def findings_of(directory: Path) -> list[Finding]:
    """The findings of a default run over the directory, as a repository of its own."""
    from guardrails.testing import run_in

    top = subprocess.run(
        ["git", "-C", str(directory), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    ).stdout.strip()
    if top and Path(top).resolve() == directory.resolve():
        return run_in(directory, select=[*RULES, "parse-error"]).findings
    scratch = Path(tempfile.mkdtemp(prefix="guardrails-recall-"))
    try:
        shutil.copytree(directory, scratch / "repo", symlinks=True)
        subprocess.run(["git", "init", "-q"], cwd=scratch / "repo", check=True)
        return run_in(scratch / "repo", select=[*RULES, "parse-error"]).findings
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure(repos: list[tuple[str, Path]]) -> Tally:
    tally = Tally()
    for repo, directory in repos:
        found: set[Case] = set()
        for f in findings_of(directory):
            if f.rule == "parse-error":
                tally.parse_errors[str(f.severity)] += 1
                continue
            if f.rule not in RULES:
                continue
            case = (repo, f.path, f.line)
            language = _language(f.path)
            if case in EXPECTED.get(f.rule, set()):
                found.add(case)
                tally.found[(f.rule, language)] += 1
            elif repo in REVIEWED:
                tally.unexpected[(f.rule, language)] += 1
                tally.wrong.append(f"{repo}/{f.path}:{f.line}: {f.message}")
            else:
                tally.unreviewed.append(f"{repo}/{f.path}:{f.line}: {f.message}")
        for rule, cases in EXPECTED.items():
            for case in sorted(c for c in cases if c[0] == repo):
                tally.expected[(rule, _language(case[1]))] += 1
                if case not in found:
                    tally.missed.append(case)
    return tally


def _language(path: str) -> str:
    language = language_of(path)
    return language.name if language else "other"


def default_repos() -> list[tuple[str, Path]]:
    repos = [("fixtures", FIXTURES)]
    if CORPUS.is_dir():
        repos += [(p.name, p) for p in sorted(CORPUS.iterdir()) if p.is_dir()]
    return repos


def report(tally: Tally, listing: bool) -> str:
    lines = [f"{'rule':<16}{'language':<12}{'found/expected':>16}{'recall':>9}{'unexpected':>12}"]
    keys = sorted(set(tally.expected) | set(tally.unexpected))
    for key in keys:
        found, expected = tally.found[key], tally.expected[key]
        recall = f"{100 * found / expected:.0f}%" if expected else "-"
        lines.append(f"{key[0]:<16}{key[1]:<12}{f'{found}/{expected}':>16}{recall:>9}{tally.unexpected[key]:>12}")
    found, expected, wrong = sum(tally.found.values()), sum(tally.expected.values()), sum(tally.unexpected.values())
    precision = f"{100 * found / (found + wrong):.0f}%" if found + wrong else "-"
    lines.append(f"total: {found}/{expected} found, precision {precision} ({wrong} unexpected)")
    errors = ", ".join(f"{n} {severity}" for severity, n in sorted(tally.parse_errors.items())) or "none"
    lines.append(f"parse-error findings (input not fully read, said so): {errors}")
    lines += [f"MISSED {repo}/{path}:{line}" for repo, path, line in tally.missed]
    lines += [f"UNEXPECTED {text}" for text in tally.wrong]
    if listing or tally.unreviewed:
        lines.append(f"{len(tally.unreviewed)} finding(s) in repositories without recorded cases:")
        lines += [f"  {text}" for text in tally.unreviewed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="*", type=Path, help="repository directories (default: fixtures and corpus)")
    parser.add_argument("--list", action="store_true", help="list every finding of unreviewed repositories")
    args = parser.parse_args(argv)
    repos = [(p.resolve().name, p) for p in args.repos] if args.repos else default_repos()
    missing = [str(p) for _, p in repos if not p.is_dir()]
    if missing:
        print(f"not a directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    tally = measure(repos)
    print(report(tally, args.list))
    return 1 if tally.missed or tally.wrong else 0


if __name__ == "__main__":
    sys.exit(main())
