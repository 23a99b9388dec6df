"""The benchmarks stop with a clear error, not a ratio over nothing, when their input is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH_SQL = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_sql.py"


def test_bench_sql_without_its_corpus_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no SQL here\n")
    for path, why in ((tmp_path / "missing", "no such directory"), (tmp_path, "no .sql files under it")):
        run = subprocess.run([sys.executable, str(BENCH_SQL), str(path)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 2, run.stdout + run.stderr
        assert f"{path}: {why}" in run.stderr and "Traceback" not in run.stderr
        assert "ratio" not in run.stdout
