"""``guardrails run | rules | init | explain | baseline | db``."""

from __future__ import annotations

# Only what `guardrails --version` needs is imported here (it answers in the time Python takes
# to start); argparse, pathlib and the rest are imported by the commands that use them.
import os
import sys
import time
from typing import TYPE_CHECKING, Any, NoReturn

from guardrails import __version__

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_SIGPIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader closed the pipe

# Subcommands that live with the code they drive: "module" providing configure(parser) and
# main(args, config, root) -> int.
DELEGATED = {
    "explain": ("guardrails.github.explain_command", "EXPLAIN every new query since --base and print a block to paste"),
    "db": ("guardrails.mysql.commands", "database helpers for the live checks (apply-schema)"),
    "schedule": ("guardrails.schedules.command", "print every scheduled job: where, zone, next instants, collisions"),
    "measures": ("guardrails.incident.measures", "list review prevention measures and the rules that enforce them"),
}


class UsageError(Exception):
    pass


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser. ``command``: the subcommand invoked, when known: only its module is imported to
    configure its options (each delegated module costs start-up time: `guardrails --version`
    and `guardrails run` import none of them). None: all of them, for the full help."""
    import argparse
    import importlib

    parser = argparse.ArgumentParser(prog="guardrails", description="Incident-review prevention measures as CI checks.")
    parser.add_argument("--version", action="version", version=f"guardrails {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="check the repository (or PATHs) and report findings")
    run.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to check (default: all)")
    _common(run)
    run.add_argument("--base", metavar="REF", help="only files changed since the merge base with REF")
    run.add_argument(
        "--scope", choices=("added", "files", "all"), help="with --base: added lines (default), changed files, or all"
    )
    run.add_argument(
        "--format",
        choices=("text", "full", "concise", "json", "sarif", "github", "markdown"),
        default="text",
        help="text (the default): full, with the source line and a caret, on a terminal; concise, one line "
        "per finding, in CI logs, pipes and --output",
    )
    run.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    run.add_argument("--fail-on", choices=("error", "warning", "never"), default="error")
    run.add_argument("--select", nargs="+", metavar="RULE", help="run only these rules")
    run.add_argument(
        "--report-to-pr", action="store_true", help="post a check run and a summary comment to the pull request"
    )
    run.add_argument("--pr-body", metavar="FILE", help="the pull-request description, for running the PR rules locally")

    rules = sub.add_parser("rules", help="list the rules, or show one rule's documentation")
    rules.add_argument("rule", nargs="?", metavar="ID")
    rules.add_argument("--format", choices=("text", "markdown"), default="text")

    init = sub.add_parser("init", help="write a commented .guardrails.yml suited to this repository")
    init.add_argument("--pr-template", action="store_true", help="also write .github/pull_request_template.md")
    init.add_argument("--incident-template", action="store_true", help="also write an incident-review template")
    init.add_argument("--language", choices=("en", "ja"), default="en", help="of --incident-template (default: en)")

    baseline = sub.add_parser("baseline", help="record today's findings in .guardrails-baseline.json")
    _common(baseline)

    for name, (_, help_text) in DELEGATED.items():
        delegated = sub.add_parser(name, help=help_text)
        _common(delegated)
        if command is not None and name != command:
            continue
        try:
            importlib.import_module(DELEGATED[name][0]).configure(delegated)
        except ImportError:
            delegated.set_defaults(unavailable=True)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="FILE", help="config file (default: .guardrails.yml at the repository root)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def console_main() -> NoReturn:
    """The ``guardrails`` command: main(), its output flushed and the exit handlers run as at any
    exit, then the process ends without the interpreter's teardown. Teardown frees every object
    and module one at a time (60 ms after a run over GitHub's 13 MB description), memory the
    operating system takes back at once anyway."""
    code = main()
    import atexit

    atexit._run_exitfuncs()  # first, as the interpreter does: what they write is flushed below
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # as in main: the reader went away
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
            code = code or EXIT_SIGPIPE
        except (OSError, ValueError):  # closed or unwritable: nothing more can be said on it
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # before building the parser: the answer needs nothing else
        print(f"guardrails {__version__}")
        return EXIT_OK
    words = [a for a in argv if not a.startswith("-")]
    helping = not words and any(a in ("-h", "--help") for a in argv)  # the full help lists every option
    parser = build_parser(None if helping else (words[0] if words else ""))
    args = parser.parse_args(argv)
    args.started = started  # the reported duration is the whole run's
    if not args.command:
        parser.print_help()
        return EXIT_ERROR
    try:
        return _dispatch(args)
    except UsageError as exc:
        print(f"guardrails: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`guardrails rules | head`): stop quietly, as a shell tool killed by
        # SIGPIPE would, and keep Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_SIGPIPE
    except Exception as exc:  # the last line of defence: never a traceback without --debug
        if getattr(args, "debug", False):
            raise
        print(
            f"guardrails: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr
        )
        return EXIT_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    from guardrails.registry import RegistryError, load_registry

    try:
        registry = load_registry()
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    for warning in [*_shadowing(), *registry.warnings]:
        print(f"guardrails: warning: {warning}", file=sys.stderr)
    rules = registry.rules
    if args.command == "rules":
        from guardrails.ruledocs import show_rules

        return show_rules(rules, args.rule, args.format)
    root = _root()
    if args.command == "init":
        from guardrails.init import write_init

        return write_init(root, args.pr_template, args.language if args.incident_template else None)
    config = _config(args, root, registry)
    if args.command == "run":
        return _run(args, config, root)
    if args.command == "baseline":
        return _baseline(args, config, root)
    if getattr(args, "unavailable", False):
        raise UsageError(f"`guardrails {args.command}` is not available in this installation")
    import importlib

    module: Any = importlib.import_module(DELEGATED[args.command][0])
    return int(module.main(args, config, root))


def _shadowing() -> list[str]:
    """guardrails-ai installs a ``guardrails`` module and command too: whichever was installed last
    replaced the other's files. Say so, since what runs then is neither package as released."""
    from guardrails.distributions import normalize
    from guardrails.registry import installed_distributions

    if normalize("guardrails-ai") not in installed_distributions().names:
        return []  # asked of the directory listing already made: importlib.metadata costs 40 ms
    import importlib.metadata

    try:
        other = importlib.metadata.distribution("guardrails-ai")
    except importlib.metadata.PackageNotFoundError:
        return []
    return [
        f"guardrails-ai {other.version} is installed in this environment ({sys.prefix}) and ships a "
        "`guardrails` module and command of the same name, which overwrite these; install guardrails-ci "
        "in an environment of its own (pipx, a venv, the GitHub Action)"
    ]


def _root() -> Path:
    from pathlib import Path

    from guardrails.workspace import WorkspaceError, find_root

    try:
        return find_root(Path.cwd())
    except WorkspaceError as exc:
        raise UsageError(str(exc)) from None


def _config(args: argparse.Namespace, root: Path, registry: Any) -> Any:
    from pathlib import Path

    from guardrails.config import CONFIG_NAME, ConfigError, default_config, load_config

    path = Path(args.config) if args.config else root / CONFIG_NAME
    if args.config and not path.exists():
        raise UsageError(f"--config {args.config}: no such file")
    if not os.path.lexists(path):  # a dangling link is a config that cannot be read, not no config
        return default_config(registry.rules)
    shown = CONFIG_NAME if not args.config else _shown(path, root)
    try:
        return load_config(path, shown, registry.rules, registry.inputs, root=None if args.config else root)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _workspace(args: argparse.Namespace, config: Any, root: Path) -> Any:
    from guardrails.workspace import WorkspaceError, open_workspace, repository_paths

    if getattr(args, "scope", None) and not getattr(args, "base", None):
        raise UsageError("--scope needs --base REF")
    try:
        paths = repository_paths(root, getattr(args, "paths", None))
        return open_workspace(root, config.exclude, getattr(args, "base", None), getattr(args, "scope", None), paths)
    except WorkspaceError as exc:
        raise UsageError(str(exc)) from None


def _run(args: argparse.Namespace, config: Any, root: Path) -> int:
    import difflib
    from pathlib import Path

    from guardrails.engine import run
    from guardrails.findings import Severity
    from guardrails.report import render

    if args.select:
        # --select a,b as well as --select a b, as ruff takes it
        args.select = [r.strip() for item in args.select for r in item.split(",") if r.strip()]
        unknown = [r for r in args.select if r not in config.rules]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(config.rules), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"--select: unknown rule {unknown[0]!r}{hint}")
    arguments = {"pr_body": args.pr_body} if args.pr_body else {}
    workspace = _workspace(args, config, root)
    out = sys.stdout if not args.output else None
    terminal = out is not None and out.isatty()
    fmt = ("full" if terminal else "concise") if args.format == "text" else args.format
    result = run(workspace, config, args.select, debug=args.debug, arguments=arguments, source_lines=fmt == "full")
    color = terminal and fmt in ("full", "concise") and "NO_COLOR" not in os.environ
    result.duration_s = time.perf_counter() - args.started  # the whole run: listing and config too
    report = render(fmt, result, config.rules, color=color)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    for error in result.internal_errors:
        print(f"guardrails: {error}", file=sys.stderr)
    if args.output or fmt in ("json", "sarif", "markdown"):
        # the report goes to a file or a machine: the log still names the rules that had no input
        from guardrails.report import idle_lines

        for line in idle_lines(result):
            print(f"guardrails: note: {line}", file=sys.stderr)
    note = _parser_note()
    if note:
        print(f"guardrails: note: {note}", file=sys.stderr)
    if args.report_to_pr:
        from guardrails.github.report import report_to_pr, rule_helps

        report_to_pr(result, root, sys.stderr, fail_on=args.fail_on, helps=rule_helps(config.rules))
    if result.internal_errors:
        return EXIT_ERROR
    threshold = {"error": Severity.ERROR, "warning": Severity.WARNING, "never": None}[args.fail_on]
    if threshold is not None and any(not f.suppressed and f.severity >= threshold for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _parser_note() -> str | None:
    """sqlglotc (the compiled parser) is installed only where wheels exist (pyproject.toml): say
    once when a run parsed SQL without it, since parsing then takes 2 to 3 times longer."""
    parser = sys.modules.get("sqlglot.parser")
    if parser is None or not str(getattr(parser, "__file__", "")).endswith(".py"):
        return None
    return (
        "SQL was parsed by sqlglot's pure-Python parser, 2 to 3 times slower than its compiled build "
        "(sqlglotc: wheels for CPython 3.11+)"
    )


def _baseline(args: argparse.Namespace, config: Any, root: Path) -> int:
    from guardrails.engine import run
    from guardrails.suppress import BASELINE_NAME, write_baseline

    result = run(_workspace(args, config, root), config, debug=args.debug)
    for error in result.internal_errors:
        print(f"guardrails: {error}", file=sys.stderr)
    count = write_baseline(root, result.findings)
    print(f"Wrote {count} finding(s) to {BASELINE_NAME}; they no longer fail the build. Commit the file.")
    return EXIT_ERROR if result.internal_errors else EXIT_OK
