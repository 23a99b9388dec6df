"""pr-explain and pr-checklist through the CLI, on real git repositories and real event payloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Repo, Run, guardrails

FIXTURES = Path(__file__).parent / "fixtures"
JOIN_TABLE = (FIXTURES / "explain" / "mariadb-10.11" / "join.explain.table.txt").read_text()
NO_EVENT = {"GITHUB_EVENT_PATH": "", "GITHUB_EVENT_NAME": ""}

OLD = "SELECT id, email FROM users WHERE email = 'a@example.com';\n"
# Line 1: the old query reformatted with another literal (not new). Line 5: a new join. Then DDL
# and a plain INSERT ... VALUES, which have no plan worth asking for.
NEW = (
    "select id,\n       email\n  from `users`\n where email = 'b@example.com';\n"
    "SELECT o.id, u.email\n  FROM orders o\n  JOIN users u ON u.id = o.user_id\n"
    " WHERE o.status = 'paid';\n"
    "CREATE TABLE audit_log (id INT PRIMARY KEY, note TEXT);\n"
    "INSERT INTO audit_log (id, note) VALUES (1, 'x');\n"
)


@pytest.fixture
def branch(repo: Repo) -> Repo:
    repo.write("db/queries.sql", OLD)
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/queries.sql", NEW)
    repo.commit("add the paid-orders report")
    return repo


def run_pr(repo: Repo, body: str, *args: str, env: dict[str, str] | None = None) -> Run:
    (repo.root.parent / "body.md").write_text(body, encoding="utf-8")
    return guardrails(
        repo.root,
        "run",
        "--base",
        "main",
        "--pr-body",
        "../body.md",
        "--format",
        "json",
        "--select",
        "pr-explain",
        "pr-checklist",
        *args,
        env={**NO_EVENT, **(env or {})},
    )


def findings(run: Run, rule: str = "") -> list[dict[str, Any]]:
    assert run.code in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    return [f for f in run.json()["findings"] if not rule or f["rule"] == rule]


def test_a_new_query_without_its_plan_is_a_finding_on_its_line(branch: Repo) -> None:
    run = run_pr(branch, "Adds the paid-orders report. It reads orders and users.\n")
    assert run.code == 1
    [finding] = findings(run)
    assert (finding["rule"], finding["path"]) == ("pr-explain", "db/queries.sql")
    assert finding["line"] == 5
    message = finding["message"]
    assert "orders, users" in message and "no EXPLAIN output" in message and len(message) < 100
    # the ready-to-run statement, on one line, as written
    assert finding["properties"]["explain"] == (
        "EXPLAIN SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid'"
    )


def test_the_pasted_plan_covers_the_query(branch: Repo) -> None:
    body = f"Adds the report.\n\n```\nMariaDB [app]> EXPLAIN SELECT ...;\n{JOIN_TABLE}```\n"
    run = run_pr(branch, body)
    assert (run.code, findings(run)) == (0, [])


def test_a_plan_of_other_tables_names_what_is_missing(branch: Repo) -> None:
    only_orders = JOIN_TABLE.replace("| u     |", "| x     |")
    run = run_pr(branch, f"```\n{only_orders}```\n")
    [finding] = findings(run)
    assert "no EXPLAIN there shows users" in finding["message"]


def test_waivers_by_table_and_by_fingerprint(branch: Repo) -> None:
    first = findings(run_pr(branch, "no plan"))[0]
    fingerprint = first["properties"]["query_fingerprint"]
    by_print = run_pr(branch, f"guardrails:no-explain {fingerprint} report runs nightly")
    assert findings(by_print) == []
    # issue 12: a waiver in an HTML comment is not shown on GitHub, so no reviewer saw it: it waives nothing
    hidden = run_pr(branch, f"<!-- guardrails:no-explain {fingerprint} report runs nightly -->")
    assert [f["line"] for f in findings(hidden)] == [5]
    # waiving one table leaves the other to be shown
    by_table = findings(run_pr(branch, "guardrails:no-explain orders tiny lookup table\n"))
    assert len(by_table) == 1 and "shows" not in by_table[0]["message"]
    both = "guardrails:no-explain orders small\nguardrails:no-explain users small too\n"
    assert findings(run_pr(branch, both)) == []


def test_a_waiver_without_reason_waives_nothing_and_says_so(branch: Repo) -> None:
    found = findings(run_pr(branch, "guardrails:no-explain orders\nguardrails:no-explain users\n"))
    on_pr = [f for f in found if f["path"] == ""]
    assert len(on_pr) == 2 and all("waives nothing" in f["message"] for f in on_pr)
    assert [f["line"] for f in found if f["path"] == "db/queries.sql"] == [5]


def test_no_description_means_nothing_to_check(branch: Repo) -> None:
    run = guardrails(branch.root, "run", "--base", "main", "--format", "json", "--select", "pr-explain", env=NO_EVENT)
    assert (run.code, findings(run)) == (0, [])


def test_an_unreadable_description_is_a_clear_error(branch: Repo) -> None:
    run = guardrails(branch.root, "run", "--base", "main", "--pr-body", "missing.md", "--format", "json", env=NO_EVENT)
    # issue 12: the PR rules never ran, so the run fails (exit 2) instead of passing with a warning
    assert run.code == 2
    assert "--pr-body missing.md: cannot read the description" in run.stderr


def _event(tmp_path: Path, body: str | None, base_sha: str, name: str) -> Path:
    payload = json.loads((FIXTURES / "github" / "webhooks" / name).read_text())
    payload["pull_request"]["body"] = body
    payload["pull_request"]["base"]["sha"] = base_sha
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return path


@pytest.mark.parametrize("event_name", ["pull_request", "pull_request_target"])
def test_the_description_and_base_come_from_the_actions_event(branch: Repo, tmp_path: Path, event_name: str) -> None:
    base = branch.git("rev-parse", "main").strip()
    # A real payload whose description is null: the new query has no plan.
    event = _event(tmp_path, None, base, "pull_request.opened.13.json")
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": event_name}
    run = guardrails(branch.root, "run", "--format", "json", "--select", "pr-explain", env=env)
    [finding] = findings(run)
    assert (finding["path"], finding["line"]) == ("db/queries.sql", 5)
    assert "pull request #" in finding["message"]
    body = f"Plan:\r\n```\r\n{JOIN_TABLE}```\r\n"
    _event(tmp_path, body, base, "pull_request.synchronize.22.json")
    run = guardrails(branch.root, "run", "--format", "json", "--select", "pr-explain", env=env)
    assert findings(run) == []


def test_without_a_base_the_rule_says_it_cannot_tell(branch: Repo, tmp_path: Path) -> None:
    # The payload's own base commit is not in this clone and there is no --base.
    payload = FIXTURES / "github" / "webhooks" / "pull_request.opened.0.json"
    env = {"GITHUB_EVENT_PATH": str(payload), "GITHUB_EVENT_NAME": "pull_request"}
    run = guardrails(branch.root, "run", "--format", "json", "--select", "pr-explain", env=env)
    [finding] = findings(run)
    assert finding["path"] == "" and "--base" in finding["message"]


def test_a_push_event_has_no_description(branch: Repo) -> None:
    payload = FIXTURES / "github" / "webhooks" / "push.event.0.json"
    env = {"GITHUB_EVENT_PATH": str(payload), "GITHUB_EVENT_NAME": "push"}
    run = guardrails(
        branch.root, "run", "--base", "main", "--format", "json", "--select", "pr-explain", env=env, process=True
    )
    assert findings(run) == []


CHECKLIST_CONFIG = """\
version: 1
pull_request:
  checklist:
    - "I can investigate and recover this feature myself if it fails"
    - "Runbook updated"
    - "Feature flag in place"
"""


def test_checklist_items_must_be_ticked(branch: Repo) -> None:
    branch.write(".guardrails.yml", CHECKLIST_CONFIG)
    body = (
        "## Checklist\n"
        "- [X] I can investigate and **recover** this feature myself if it fails.\n"
        "* [ ] Runbook updated\n"
        "<!-- - [x] Feature flag in place -->\n"
        "```\n- [x] Feature flag in place\n```\n"
    )
    found = findings(run_pr(branch, body), "pr-checklist")
    assert [(f["path"], f["line"]) for f in found] == [("", 0), ("", 0)]
    messages = sorted(f["message"] for f in found)
    assert messages == [
        'checklist item "Feature flag in place": missing from the description',
        'checklist item "Runbook updated": not ticked',
    ]
    ticked = body.replace("* [ ] Runbook", "* [x] Runbook") + "1. [x] Feature flag in place\n"
    assert findings(run_pr(branch, ticked), "pr-checklist") == []


def test_the_shipped_template_ticked_satisfies_both_rules(branch: Repo) -> None:
    from guardrails.github.templates import CHECKLIST, PR_TEMPLATE

    assert (Path(__file__).parents[1] / ".github" / "pull_request_template.md").read_text() == (PR_TEMPLATE)
    items = "\n".join(f'    - "{item}"' for item in CHECKLIST)
    branch.write(".guardrails.yml", f"version: 1\npull_request:\n  checklist:\n{items}\n")
    untouched = findings(run_pr(branch, PR_TEMPLATE))
    assert sorted(f["rule"] for f in untouched) == ["pr-checklist", "pr-checklist", "pr-explain"]
    filled = PR_TEMPLATE.replace("```text\n\n```", f"```text\n{JOIN_TABLE}```").replace("- [ ]", "- [x]")
    assert findings(run_pr(branch, filled)) == []


def test_new_queries_in_application_code(repo: Repo) -> None:
    repo.write("app/store.py", ('def user(cur, uid):\n    cur.execute("SELECT id FROM users WHERE id = %s", (uid,))\n'))
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(
        "app/store.py",
        (
            "def user(cur, uid):\n"
            '    cur.execute(\n        "select id from users "\n        "where id = %s",\n'
            "        (uid,),\n    )\n\n\n"
            "def orders(cur, uid):\n"
            '    cur.execute("SELECT o.id FROM orders o WHERE o.user_id = %s", (uid,))\n'
        ),
    )
    repo.commit("orders of a user")
    [finding] = findings(run_pr(repo, "Adds orders()."))
    assert (finding["path"], finding["line"]) == ("app/store.py", 10)
    # the extractor hands over the SQL with the driver's %s as ?
    assert finding["properties"]["explain"] == "EXPLAIN SELECT o.id FROM orders o WHERE o.user_id = ?"
    assert finding["properties"]["placeholders"] is True


@pytest.mark.parametrize("base_args", [(), ("--base", "main", "--scope", "all")])
def test_queries_in_files_the_pull_request_leaves_alone_are_not_new(
    repo: Repo, tmp_path: Path, base_args: tuple[str, ...]
) -> None:
    # Without --base (the event's base commit) or with --scope all, every file is in scope: a query
    # in a file the pull request does not touch was already there.
    repo.write("db/accounts.sql", "SELECT id FROM accounts WHERE id = 1;\n")
    repo.write("db/queries.sql", OLD)
    repo.commit("base")
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("db/queries.sql", NEW)
    repo.write("db/notes.sql", "SELECT n FROM notes;\n")
    repo.commit("add the paid-orders report")
    repo.write("db/draft.sql", "SELECT d FROM drafts;\n")  # not committed, still the author's
    event = _event(tmp_path, "no plan", base, "pull_request.opened.13.json")
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "pull_request"}
    run = guardrails(repo.root, "run", *base_args, "--format", "json", "--select", "pr-explain", env=env)
    assert sorted((f["path"], f["line"]) for f in findings(run)) == [
        ("db/draft.sql", 1),
        ("db/notes.sql", 1),
        ("db/queries.sql", 5),
    ]
