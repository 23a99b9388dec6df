"""The README's and the docs' snippets work as copied: the pre-commit config runs, installs name a
release tag that the release workflow makes, config examples load, the JSON example is what
`--format json` prints, the suppression example suppresses, and every command names scripts,
subcommands and options that exist. Every code block of README.md and docs/ is one of these
kinds: a block of another kind fails until a test covers it.

(GitHub workflow snippets are validated against GitHub's schema in test_workflows.py.)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from guardrails import __version__
from tests.helpers import GIT_ENV, Repo, guardrails

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TAG = f"v{__version__}"
MAJOR = TAG.split(".")[0]
REPOSITORY = "https://github.com/guardrails-ci/guardrails"


@dataclass(frozen=True)
class Block:
    doc: Path
    line: int  # 1-based, of the block's first line in the document
    info: str  # the fence's language ("" for indented blocks and bare fences)
    fenced: bool
    text: str

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """The code blocks of a Markdown document, fenced and indented, as GitHub renders it."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(doc.read_text(encoding="utf-8"))
    return [
        Block(doc, (t.map or [0])[0] + 1, t.info.strip(), t.type == "fence", t.content)
        for t in tokens
        if t.type in ("fence", "code_block")
    ]


def yaml_blocks(doc: Path) -> list[str]:
    return [b.text for b in blocks(doc) if b.info == "yaml"]


def kind(block: Block) -> str:
    """Which test covers a block: each kind below has one."""
    if block.info == "yaml":
        if block.text.startswith("name:"):
            return "workflow"  # test_workflows.py: GitHub's workflow schema
        return "pre-commit" if block.text.startswith("repos:") else "config"
    if block.info in ("json", "sql"):
        return block.info
    if block.info == "sh" or not block.fenced:
        return "commands"
    if block.info == "" and block.text.startswith("guardrails "):
        return "synopsis"
    return "unknown"


def shell_lines(doc: Path) -> list[str]:
    """Commands in indented blocks, fenced blocks and workflow ``run:`` steps."""
    text = doc.read_text(encoding="utf-8")
    lines = re.findall(r"^(?: {4}|\s*- run: |\s*run: )(.+)$", text, re.M)
    return [line.strip() for line in lines]


def test_pre_commit_snippet_runs_the_hook(tmp_path: Path) -> None:
    """The README's .pre-commit-config.yaml, as copied, with its repo URL pointed at this source
    tagged as the release it names: pre-commit installs the hook and it fails on a bad file."""
    (snippet,) = [b for b in yaml_blocks(ROOT / "README.md") if b.startswith("repos:")]
    config = yaml.safe_load(snippet)
    (entry,) = config["repos"]
    assert entry["repo"] == REPOSITORY and entry["rev"] == TAG
    source = Repo(tmp_path / "source")
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, text=True, check=True)
    for name in filter(None, files.stdout.split("\0")):
        if (ROOT / name).is_file() and not name.startswith("tests/"):
            (source.root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source.root / name)
    source.commit("release")
    source.git("tag", TAG)

    user = Repo(tmp_path / "user")
    user.write(".pre-commit-config.yaml", snippet.replace(REPOSITORY, source.root.as_uri()))
    user.write("db/queries.sql", "SELECT 1;\nINSERT IGNORE INTO t (a) VALUES (1);\n")
    user.git("add", "-A")
    # PIP_NO_COMPILE: pip would byte-compile every installed module first (sqlglot alone is 60 MB)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_NO_COMPILE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=user.root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "db/queries.sql:2:8" in run.stdout and "insert-ignore" in run.stdout, run.stdout


def test_installs_name_a_release_tag() -> None:
    """Every install command in the docs works without PyPI (the package is not published there)
    and pins the current release; the action is used at its major or a full release tag."""
    installs = [line for doc in DOCS for line in shell_lines(doc) if re.search(r"\bpip(x)? install\b", line)]
    assert installs
    for line in installs:
        if "scripts/" in line or re.search(r"install (-e )?['\"]?\.", line):
            continue  # from a checkout of this repository
        assert f'"git+{REPOSITORY}@{TAG}"' in line, line
    uses = re.findall(r"uses: guardrails-ci/guardrails@(\S+)", "".join(d.read_text() for d in DOCS))
    assert uses and set(uses) <= {MAJOR, TAG}


def test_the_release_workflow_makes_those_tags() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    (pattern,) = on["push"]["tags"]
    assert re.fullmatch(pattern.replace("[0-9]+", r"\d+").replace(".", r"\."), TAG)
    script = "\n".join(step.get("run", "") for step in workflow["jobs"]["release"]["steps"])
    assert "python -m build" in script and "gh release create" in script
    assert 'major="${TAG%%.*}"' in script  # v0.1.0 -> v0, which `uses: ...@v0` follows


def test_config_snippets_are_valid(tmp_path: Path) -> None:
    from guardrails.config import load_config
    from guardrails.registry import load_registry

    registry = load_registry()
    configs = [b.text for doc in DOCS for b in blocks(doc) if kind(b) == "config"]
    assert any(c.startswith("version: 1") for c in configs)
    assert any(c.startswith("database:") for c in configs)  # docs/live-database.md's fragment
    os.environ.setdefault("GUARDRAILS_MYSQL_DSN", "mysql://u:p@127.0.0.1:3306/db")
    for i, block in enumerate(configs):
        path = tmp_path / f"config-{i}.yml"
        path.write_text(block, encoding="utf-8")
        load_config(path, path.name, registry.rules, registry.inputs)  # raises ConfigError naming the line


def test_every_code_block_is_covered_by_a_test() -> None:
    """A new kind of snippet (a language or a shape no test reads) fails here until one does."""
    found = {b.where: kind(b) for doc in DOCS for b in blocks(doc)}
    assert [where for where, k in found.items() if k == "unknown"] == []
    assert set(found.values()) == {"workflow", "pre-commit", "config", "json", "sql", "commands", "synopsis"}


def test_json_example_is_what_format_json_prints(repo: Repo) -> None:
    (block,) = [b for b in blocks(ROOT / "README.md") if b.info == "json"]
    example = json.loads(block.text)
    (shown,) = example["findings"]
    # The example's finding, made real: IGNORE at line 3, columns 8 to 14.
    repo.write(shown["path"], "SELECT 1;\n-- replayed events\nINSERT IGNORE INTO seen_events (id) VALUES (?);\n")
    repo.commit()
    run = guardrails(repo.root, "run", "--format", "json")
    assert run.code == 1, run.stderr
    doc = run.json()
    assert doc.keys() == example.keys()
    assert doc["tool"] == example["tool"]
    assert doc["summary"].keys() == example["summary"].keys()
    (finding,) = doc["findings"]
    assert finding.keys() == shown.keys()
    assert finding["properties"].keys() == shown["properties"].keys()
    same = ("rule", "severity", "path", "line", "column", "end_line", "end_column", "suppressed")
    assert {k: finding[k] for k in same} == {k: shown[k] for k in same}
    assert doc["rules"].keys() == example["rules"].keys() == {"insert-ignore"}
    assert doc["rules"]["insert-ignore"].keys() == example["rules"]["insert-ignore"].keys()


def test_suppression_example_suppresses() -> None:
    from guardrails.testing import run

    (block,) = [b for b in blocks(ROOT / "README.md") if b.info == "sql"]
    findings = run({"db/events.sql": block.text})
    assert [(f.rule, f.line, f.suppressed) for f in findings] == [("insert-ignore", 2, True)]


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def _command_parser(words: list[str]) -> tuple[argparse.ArgumentParser, list[str]]:
    """The parser of ``guardrails WORDS...``'s subcommand, and the words after it."""
    from guardrails.cli import build_parser

    parser, rest = build_parser(), words[1:]
    while rest and rest[0] in _subcommands(parser):
        parser, rest = _subcommands(parser)[rest[0]], rest[1:]
    return parser, rest


def test_cli_synopsis_matches_the_parser() -> None:
    """The README's `guardrails ...` synopsis names real subcommands, options and choices, and
    lists every option of `guardrails run`."""
    (block,) = [b for b in blocks(ROOT / "README.md") if kind(b) == "synopsis"]
    entries: list[str] = []
    for line in block.text.splitlines():
        if line.startswith("guardrails "):
            entries.append(line)
        elif line.strip().startswith("#") or not line.strip():
            continue
        else:
            entries[-1] += " " + line.strip()  # the synopsis goes on, indented
    seen: dict[str, set[str]] = {}
    for entry in entries:
        words = entry.split("#", 1)[0].split()
        command = list(itertools.takewhile(lambda w: re.fullmatch(r"[a-z][a-z-]*", w), words))
        parser, rest = _command_parser(command)
        assert rest == [], f"{entry}: no subcommand {' '.join(rest)!r}"
        options = {a.dest: a for a in parser._actions}
        by_flag = {flag: a for a in parser._actions for flag in a.option_strings}
        for flag, choices in re.findall(r"(--[a-z-]+)(?: ([a-z]+(?:\|[a-z]+)+))?", entry):
            assert flag in by_flag, f"{entry}: {flag} is not an option of {' '.join(command)}"
            if choices:
                assert set(choices.split("|")) == set(by_flag[flag].choices or ()), f"{entry}: {flag}"
            seen.setdefault(" ".join(command), set()).add(flag)
        assert options
    run, _ = _command_parser(["guardrails", "run"])
    listed = {flag for a in run._actions for flag in a.option_strings if flag.startswith("--") and flag != "--help"}
    assert listed == seen["guardrails run"]


def command_lines() -> list[tuple[str, str]]:
    """(where, command) for every command in the docs: indented and ``sh`` blocks, workflow
    ``run:`` steps; continued lines joined, comments dropped."""
    out = []
    for doc in DOCS:
        texts = [(b.where, b.text) for b in blocks(doc) if kind(b) == "commands"]
        texts += [(f"{doc.relative_to(ROOT)} run: step", line) for line in _workflow_runs(doc)]
        for where, text in texts:
            for line in text.replace("\\\n", " ").splitlines():
                line = line.split(" #", 1)[0].strip()
                if line and not line.startswith("#"):
                    out.append((where, line))
    return out


def _workflow_runs(doc: Path) -> list[str]:
    steps = []
    for block in blocks(doc):
        if kind(block) == "workflow":
            for job in yaml.safe_load(block.text)["jobs"].values():
                steps += [str(step["run"]) for step in job["steps"] if "run" in step]
    return steps


def test_every_command_names_what_exists() -> None:
    """Scripts, benchmark options, modules and the CLI's subcommands and options, as written."""
    from importlib.util import find_spec

    checked = 0
    for where, line in command_lines():
        words = shlex.split(line)
        program = words[0]
        if program == "bash":
            assert (ROOT / words[1]).is_file(), f"{where}: {line}"
        elif program == "python" and words[1].startswith("benchmarks/"):
            source = (ROOT / words[1]).read_text(encoding="utf-8")
            for flag in (w for w in words[2:] if w.startswith("--")):
                assert f'"{flag}"' in source, f"{where}: {words[1]} has no option {flag}"
        elif program == "python" and words[1] == "-m":
            assert find_spec(words[2]) is not None, f"{where}: {line}"
        elif program == "guardrails":
            parser, rest = _command_parser(words)
            try:
                parser.parse_args(rest)
            except SystemExit:
                raise AssertionError(f"{where}: `{line}` is not a valid command line") from None
        elif program in ("pip", "pipx"):
            continue  # test_installs_name_a_release_tag
        else:
            assert program in ("export", "mkdir", "cp"), f"{where}: no test knows {program!r}"
        checked += 1
    assert checked > 20
