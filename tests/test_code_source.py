"""The sql input over a whole tree: many processes give the same findings as one."""

from __future__ import annotations

import pytest

from tests.helpers import Repo
from tests.test_code_support import scan

GO = 'package p{n}\n\nconst q = "INSERT IGNORE INTO t{n} (a) VALUES (?)"\n'
PY = 'def f(cur):\n    cur.execute("SELECT 1")\n    cur.execute("DELETE IGNORE FROM t{n} WHERE a = %s", (1,))\n'


def test_process_pool_gives_the_same_findings_in_the_same_order(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {f"svc/m{n:03}.go": GO.format(n=n) for n in range(150)}
    files |= {f"svc/m{n:03}.py": PY.format(n=n) for n in range(150)}
    files["svc/broken.py"] = "def f(:\n"
    files["svc/latin1.go"] = b"package x // caf\xe9\n"  # not UTF-8: reported, not fatal
    monkeypatch.setenv("GUARDRAILS_JOBS", "1")
    serial = scan(repo, files)
    monkeypatch.setenv("GUARDRAILS_JOBS", "2")
    parallel = scan(repo, {})
    assert len([f for f in serial if f.rule == "insert-ignore"]) == 300
    assert [(f.rule, f.path, f.line, f.location.column, f.message) for f in parallel] == [
        (f.rule, f.path, f.line, f.location.column, f.message) for f in serial
    ]
    assert [f.path for f in serial if f.rule == "parse-error"] == ["svc/broken.py", "svc/latin1.go"]
