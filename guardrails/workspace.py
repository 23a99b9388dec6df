"""Which files and lines are in scope: git's view of the repository, narrowed by --base."""

from __future__ import annotations

import functools
import os
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from guardrails.globs import reject, select

DIFF_OPTIONS = ("-z", "--raw", "-p", "--no-color", "--no-ext-diff", "-U0", "--no-renames")  # see _added_lines
MAX_FILE_BYTES = 16 * 1024 * 1024  # larger inputs are reported, not read: generated dumps, not code


class WorkspaceError(Exception):
    """The repository cannot be read the way the user asked (exit 2)."""


class UnreadableFile(Exception):
    def __init__(self, path: str, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column


@dataclass
class Workspace:
    root: Path
    tracked: list[str]  # every file git tracks plus untracked, not-ignored ones, minus excludes
    files: list[str]  # the files in scope for this run
    base: str | None = None  # the commit compared against, with --base
    scope: str = "all"  # added | files | all
    added_lines: dict[str, set[int]] = field(default_factory=dict)  # with --base
    # every path git lists (tracked, or untracked and not ignored), excludes included: the only
    # files a reader may open (a $ref to .git/config or an ignored secret is refused); None: any
    listed: frozenset[str] | None = None
    # symbolic links among the listed paths that lead to a directory: what is under them is not read
    linked_dirs: list[str] = field(default_factory=list)
    # with --base: every path the diff since the merge base names (deleted ones too), and the
    # untracked files, as listed once for the run (a reader need not ask git again)
    changed: tuple[str, ...] = ()
    untracked: tuple[str, ...] = ()

    def select(self, patterns: list[str]) -> list[str]:
        """Files in scope that match the globs."""
        return select(self.files, patterns)

    def select_all(self, patterns: list[str]) -> list[str]:
        """Files anywhere in the repository that match, in scope or not (e.g. the schema)."""
        return on_disk(self.root, select(self.tracked, patterns))

    def read_text(self, path: str) -> str:
        """The file's text; raises UnreadableFile for binary, non-UTF-8, huge or unreadable files."""
        data = self.read_bytes(path)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise UnreadableFile(
                path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): not checked", line, column
            ) from None

    def read_bytes(self, path: str) -> bytes:
        """The file's bytes, for a reader that checks UTF-8 itself (decoded, one emoji makes a
        13 MB file a 52 MB str); raises UnreadableFile like read_text, except for the encoding."""
        real = resolve_inside(self.root, path)
        if self.listed is not None and path not in self.listed and os.path.lexists(real):
            raise UnreadableFile(path, "not a file git tracks or the workspace holds: not read")
        data = read_regular(real, path, MAX_FILE_BYTES)
        if b"\0" in data[:8192]:
            raise UnreadableFile(path, "binary file: not checked")
        return data

    def in_scope(self, path: str, line: int, end_line: int = 0) -> bool:
        """With --scope added, only findings touching added lines count (file-level ones always do)."""
        if self.scope != "added" or self.base is None or not path or line == 0:
            return True
        added = self.added_lines.get(path)
        if added is None:
            return False
        return any(n in added for n in range(line, max(line, end_line) + 1))


def read_inside(root: Path, path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (relative to root), whose real path, every
    symbolic link on the way resolved, lies inside root and outside .git; raises UnreadableFile.

    A pull request can commit ``home -> /`` and name ``home/.git-credentials``: the check is on
    where the read really lands, not on the name."""
    return read_regular(resolve_inside(root, path), path, limit)


def resolve_inside(root: Path, path: str) -> Path:
    """The real path of root/path; raises UnreadableFile unless it is inside root and not in .git."""
    base = _real_root(str(root))
    real = os.path.realpath(os.path.join(base, path))
    if not real.startswith(base + os.sep):
        raise UnreadableFile(path, "resolves (through a symbolic link) to outside the repository: not read")
    inside = os.path.relpath(real, base).replace(os.sep, "/")
    if inside == ".git" or inside.startswith(".git/"):
        raise UnreadableFile(path, "resolves to git's own files (.git): not read")
    return Path(real)


@functools.lru_cache(maxsize=8)
def _real_root(root: str) -> str:
    """The repository root's real path, resolved once rather than on every read."""
    return os.path.realpath(root)


def read_regular(full: Path, shown: str, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file (never a device, a FIFO or a directory)."""
    try:
        with open(full, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableFile(shown, "not a regular file: not read")
            if info.st_size > limit:
                raise UnreadableFile(
                    shown, f"file is {_size(info.st_size)}, over the {_size(limit)} limit: not checked"
                )
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(shown, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:  # grew while read
        raise UnreadableFile(shown, f"file is over the {_size(limit)} limit: not read")
    return data


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB" if n >= 1024 else f"{n} bytes"


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return _started(root, *args, check=check)()


def _started(root: Path, *args: str, check: bool = True) -> Callable[[], subprocess.CompletedProcess[str]]:
    """Start a git command; the function returned waits for its result. Two started before
    either is waited for run at once, on two cores (the listing's walk of the tree and the
    diff's stat of every tracked file, in a large repository)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    command = ["git", "-C", str(root), *args]
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, errors="surrogateescape"
        )
    except FileNotFoundError:
        raise WorkspaceError("git is not installed; guardrails needs it to find the files to check") from None

    def result() -> subprocess.CompletedProcess[str]:
        with process:
            out, err = process.communicate()
        if check and process.returncode != 0:
            raise WorkspaceError(f"git {' '.join(args)} failed: {err.strip()}")
        return subprocess.CompletedProcess(command, process.returncode, out, err)

    return result


def git_output(root: Path, *args: str) -> str | None:
    """A read-only git command's output for a reader that has a slower way without it: None
    when git fails (exit 1 of ``git grep`` that found nothing is an empty answer, not a failure)."""
    try:
        result = _git(root, *args, check=False)
    except WorkspaceError:
        return None
    if result.returncode == 0 or (result.returncode == 1 and not result.stderr.strip()):
        return result.stdout
    return None


def find_root(start: Path) -> Path:
    result = _git(start, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise WorkspaceError(f"{start} is not inside a git repository (guardrails reads git to know which files count)")
    return Path(result.stdout.strip())


def repository_paths(root: Path, given: list[str] | None, cwd: Path | None = None) -> list[str] | None:
    """PATH arguments, relative to where the user stands, as repository paths ("" = all)."""
    if not given:
        return None
    here = (cwd or Path.cwd()).resolve()
    paths = [os.path.relpath((here / p).resolve(), root.resolve()).replace(os.sep, "/") for p in given]
    for shown, path in zip(given, paths, strict=True):
        if path == ".." or path.startswith("../"):
            raise WorkspaceError(f"{shown}: outside the repository at {root}: not checked")
    return ["" if p == "." else p for p in paths]


def open_workspace(
    root: Path, exclude: list[str], base: str | None = None, scope: str | None = None, paths: list[str] | None = None
) -> Workspace:
    """The repository at root; with base, narrowed to what changed since the merge base.

    A pull request's run costs what it changed: git lists the repository once (one
    ``ls-files``, whose cached and untracked parts are each sorted already), the excludes are
    one regex per path, and only the files in scope are looked at on disk (a stat each)."""
    listing = _started(root, "ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard")
    if base is not None:  # the diff runs while the listing walks the tree
        merge_base = _merge_base(root, base)
        patch = _started(root, "diff", *DIFF_OPTIONS, merge_base, "--")
    cached, untracked = _listing(listing().stdout)
    listed = frozenset(cached).union(untracked)
    merged = cached + untracked
    merged.sort()  # two sorted runs: merged in one pass
    tracked = reject(dict.fromkeys(merged), exclude)  # an unmerged path is listed once per stage
    files = tracked
    if paths:
        files = [p for p in files if any(_under(p, q) for q in paths)]
        unmatched = [q for q in paths if not any(_under(p, q) for p in files)]
        if unmatched:  # a typo'd PATH must not report "all clear" for nothing checked
            raise WorkspaceError(f"{unmatched[0]}: matches no file git tracks or the workspace holds")
    if base is None:
        kept, links = _on_disk(root, files)
        return Workspace(root, tracked, kept, scope=scope or "all", listed=listed, linked_dirs=links)
    scope = scope or "added"
    changed, added = _added_lines(root, patch().stdout, untracked)
    if scope != "all":
        files = [p for p in files if p in added]
    kept, links = _on_disk(root, files)
    return Workspace(root, tracked, kept, merge_base, scope, added, listed, links, tuple(changed), tuple(untracked))


def on_disk(root: Path, paths: list[str]) -> list[str]:
    """The paths that are files in the working tree: not deleted since git listed them, not a
    submodule's directory. Asked only of the files a run looks at (the ten of a pull request,
    not the 50,000 of the repository): each answer is a stat."""
    return _on_disk(root, paths)[0]


def _on_disk(root: Path, paths: list[str]) -> tuple[list[str], list[str]]:
    """on_disk's files, and the symbolic links among the paths that lead to a directory: git
    lists such a link as one file and never the files under it, and a reader does not follow
    links, so what is under it is not checked (the engine says so, naming the link)."""
    out, links = [], []
    for p in paths:
        full = os.path.join(root, p)
        try:
            mode = os.lstat(full).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode) and os.path.isdir(full):
            links.append(p)
        elif not stat.S_ISDIR(mode):
            out.append(p)
    return out, links


def _under(path: str, given: str) -> bool:
    return given in ("", ".") or path == given or path.startswith(given.rstrip("/") + "/")


def _merge_base(root: Path, base: str) -> str:
    result = _git(root, "merge-base", base, "HEAD", check=False)
    if result.returncode == 0:  # the everyday case: one git process; the others only explain a failure
        return result.stdout.strip()
    shallow = _git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"
    if _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", check=False).returncode != 0:
        hint = (
            "This is a shallow clone: in actions/checkout set `fetch-depth: 0`, or run "
            f"`git fetch --no-tags origin {base.removeprefix('origin/')}` before guardrails."
            if shallow
            else f"Fetch it first, e.g. `git fetch origin {base.removeprefix('origin/')}`."
        )
        raise WorkspaceError(f"--base {base}: no such commit in this clone. {hint}")
    if shallow:
        raise WorkspaceError(
            f"--base {base}: the clone is too shallow to find where this branch left {base}. "
            "In actions/checkout set `fetch-depth: 0` (or run `git fetch --unshallow`) and run again."
        )
    raise WorkspaceError(f"--base {base}: HEAD and {base} have no common history")


def _listing(output: str) -> tuple[list[str], list[str]]:
    """(tracked, untracked and not ignored) paths, each sorted, from ``git ls-files -t``'s output:
    ``-t`` tags each path, ``?`` for an untracked one; one process reads the index once."""
    entries = output.split("\0")
    entries.pop()  # the empty string after the last NUL
    untracked = [e[2:] for e in entries if e.startswith("?")]
    cached = [e[2:] for e in entries if not e.startswith("?")] if untracked else [e[2:] for e in entries]
    return cached, untracked


def _added_lines(root: Path, diff: str, untracked: list[str]) -> tuple[list[str], dict[str, set[int]]]:
    """The paths ``git diff DIFF_OPTIONS merge-base``'s output names, and the added lines per
    file in the working tree (untracked files: every line)."""
    # One diff, names and patch together: each diff of the working tree stats every tracked
    # file (50,000 stats in a large repository), so it is asked once. The names come first
    # (--raw, NUL-separated by -z, exactly as on disk); the patch's own headers quote and escape
    # unusual names (é, a tab, a newline), so each "diff --git" section is matched to its name
    # by order, which git keeps the same in both parts.
    records = diff.split("\0")
    names: list[tuple[str, str]] = []  # (status letter, path)
    at = 0
    while at + 1 < len(records) and records[at].startswith(":"):
        names.append((records[at].rsplit(" ", 1)[-1][:1], records[at + 1]))
        at += 2
    patch = "\0".join(records[at:])
    added: dict[str, set[int]] = {}
    sections = patch.split("\ndiff --git ")
    for (status, name), section in zip(names, sections, strict=False):
        head = "\n" + section.split("\n@@ -", 1)[0]
        if status == "D" or "\nBinary files " in head or "\nGIT binary patch" in head:
            continue
        lines: set[int] = set()
        for header in section.split("\n@@ -")[1:]:
            target = header.split(" ", 2)[1] if header.count(" ") >= 2 else ""  # "+start[,count]"
            start, _, length = target.lstrip("+").partition(",")
            if start.isdigit():
                lines.update(range(int(start), int(start) + (int(length) if length.isdigit() else 1)))
        added[name] = lines
    for path in untracked:
        try:
            count = read_inside(root, path).count(b"\n") + 1
        except UnreadableFile:
            continue  # its reader says why, as a finding on the whole file
        added[path] = set(range(1, count + 1))
    return [name for _, name in names], added
