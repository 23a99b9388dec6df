"""Real git repositories in temporary directories, and running the real CLI on them."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, env={**os.environ, **GIT_ENV}
        )
        if result.returncode != 0:
            raise AssertionError(f"git {args} failed: {result.stderr}")
        return result.stdout

    def write(self, path: str, text: str | bytes) -> Path:
        full = self.root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            full.write_bytes(text)
        else:
            full.write_text(text, encoding="utf-8")
        return full

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def guardrails(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None, process: bool = False
) -> Run:
    """Run the CLI as a user would: its ``main`` in this process, with the working directory,
    environment, standard streams and exit code of a real run; with ``process=True`` (or
    GUARDRAILS_TEST_PROCESS=1) as a real subprocess, for the end-to-end tests that keep
    the installed entry point, start-up and process boundaries honest."""
    if process or os.environ.get("GUARDRAILS_TEST_PROCESS") == "1":
        return guardrails_process(cwd, *args, env=env, stdin=stdin)
    return _in_process(cwd, list(args), {**GIT_ENV, **(env or {})}, stdin)


def _in_process(cwd: Path, args: list[str], env: dict[str, str], stdin: str | None) -> Run:
    from guardrails.cli import main

    saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
    out, err = io.StringIO(), io.StringIO()
    try:
        os.environ.update(env)
        os.chdir(cwd)
        sys.stdin = io.StringIO(stdin or "")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse's usage errors and --version
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return Run(code, out.getvalue(), err.getvalue())


def guardrails_process(cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Run:
    """Run the installed CLI in a subprocess."""
    result = subprocess.run(
        [sys.executable, "-m", "guardrails", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **GIT_ENV, **(env or {})},
        timeout=300,
    )
    return Run(result.returncode, result.stdout, result.stderr)
