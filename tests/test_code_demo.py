"""The demo repository in examples/: insert-ignore inside its Go and Python code, via the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import Repo, guardrails
from tests.test_code_support import position_of

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


def test_demo_code_findings(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    repo = Repo(root)
    repo.commit("demo service")
    run = guardrails(root, "run", "--format", "json", "--select", "insert-ignore")
    assert run.code == 1, run.stderr
    found = [
        (f["path"], f["line"], f["column"], f["message"].split(" on MySQL")[0].split(": errors")[0])
        for f in run.json()["findings"]
        if f["rule"] == "insert-ignore" and f["path"].startswith("app/")
    ]
    go = (DEMO / "app/orders/store.go").read_text()
    py = (DEMO / "app/events.py").read_text()
    assert found == [
        ("app/events.py", *position_of(py, "IGNORE INTO order_events (order_id, event) VALUES"), "INSERT IGNORE"),
        ("app/events.py", *position_of(py, "IGNORE INTO {table}"), "INSERT IGNORE"),
        ("app/events.py", *position_of(py, '"IGNORE"'), 'SQLAlchemy .prefix_with("IGNORE") builds INSERT IGNORE'),
        ("app/orders/store.go", *position_of(go, 'IGNORE INTO " + eventsTable'), "INSERT IGNORE"),
        ("app/orders/store.go", *position_of(go, "IGNORE INTO %s_archive"), "INSERT IGNORE"),
        ("app/orders/store.go", *position_of(go, '"IGNORE")'), 'squirrel .Options("IGNORE") builds INSERT IGNORE'),
        (
            "app/orders/store.go",
            *position_of(go, '"IGNORE"}'),
            'GORM clause.Insert{Modifier: "IGNORE"} builds INSERT IGNORE',
        ),
    ]
