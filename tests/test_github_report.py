"""``report_to_pr`` against a local GitHub that checks each request against GitHub's description."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails.engine import RunResult
from guardrails.findings import Finding, Location, Severity
from guardrails.github.client import RetryPolicy
from guardrails.github.comment import MARKER
from guardrails.github.report import report_to_pr, rule_helps
from tests.github_api import WEBHOOKS, GitHubAPI, pull_request_env, render_markdown

TOKEN = "ghs_TestToken0123456789abcdefghijklmnopq"
FAST = RetryPolicy(retries=3, backoff=0.05, read_timeout=5.0)


@pytest.fixture(scope="module")
def server() -> Iterator[GitHubAPI]:
    api = GitHubAPI(TOKEN)
    yield api
    api.close()


@pytest.fixture
def api(server: GitHubAPI) -> Iterator[GitHubAPI]:
    server.reset()
    yield server
    server.settle()
    assert server.violations == [], "requests GitHub's description does not allow"


@pytest.fixture
def env(api: GitHubAPI, tmp_path: Path) -> dict[str, str]:
    return {**pull_request_env(api, tmp_path, "pull_request.synchronize.22.json"), "GITHUB_SHA": "f" * 40}


def finding(
    path: str,
    line: int,
    message: str,
    severity: Severity = Severity.ERROR,
    rule: str = "insert-ignore",
) -> Finding:
    return Finding(rule, severity, Location(path, line, 1, line, 20), message)


def result(*findings: Finding) -> RunResult:
    return RunResult(list(findings), files=3, duration_s=0.12)


def report(
    res: RunResult, env: dict[str, str], tmp_path: Path, fail_on: str = "error", helps: dict[str, str] | None = None
) -> str:
    log = io.StringIO()
    report_to_pr(res, tmp_path, log, fail_on=fail_on, env=env, policy=FAST, helps=helps)
    return log.getvalue()


def our_comments(api: GitHubAPI) -> list[dict]:
    return [c for c in api.comments.values() if MARKER in c["body"]]


def test_one_comment_edited_in_place_across_three_runs(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    api.add_comment(2, "LGTM, but please add the EXPLAIN")  # someone else's comment stays untouched
    for i in range(120):  # ours lands on the second page of 100
        api.add_comment(2, f"comment {i}")

    log1 = report(result(finding("db/q.sql", 3, "INSERT IGNORE hides errors")), env, tmp_path)
    assert len(our_comments(api)) == 1
    first = our_comments(api)[0]
    assert "INSERT IGNORE hides errors" in first["body"] and "1 error" in first["body"]
    assert "summary comment posted" in log1

    report(
        result(
            finding("db/q.sql", 3, "still bad"),
            finding("db/r.sql", 9, "also bad", Severity.WARNING),
        ),
        env,
        tmp_path,
    )
    assert len(our_comments(api)) == 1
    assert our_comments(api)[0]["id"] == first["id"]
    assert (
        "still bad" in our_comments(api)[0]["body"] and "INSERT IGNORE hides errors" not in our_comments(api)[0]["body"]
    )

    log3 = report(result(), env, tmp_path)
    comments = our_comments(api)
    assert len(comments) == 1 and comments[0]["id"] == first["id"]
    assert "All clear" in comments[0]["body"] and "still bad" not in comments[0]["body"]
    assert "summary comment updated" in log3
    assert api.comments[min(api.comments)]["body"] == "LGTM, but please add the EXPLAIN"
    assert len(api.calls_to("issues/create-comment")) == 1
    assert len(api.calls_to("issues/update-comment")) == 2
    # The list was paged with the Link header: every page was read on each run.
    assert any(c.query.get("page") == "2" for c in api.calls_to("issues/list-comments"))

    runs = [r["create"] for r in api.check_runs.values()]
    assert [r["conclusion"] for r in runs] == ["failure", "failure", "success"]
    assert {r["name"] for r in runs} == {"guardrails"}
    # The check run goes on the pull request's head commit, not GITHUB_SHA (the merge commit).
    assert {r["head_sha"] for r in runs} == {"ec26c3e57ca3a959ca5aad62de7213c562f8c821"}


def test_annotations_go_fifty_per_request(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    findings = [finding(f"db/{i:03}.sql", i + 1, f"problem {i}", Severity.WARNING) for i in range(120)]
    findings.append(finding("", 0, "pull request lacks EXPLAIN", rule="pr-explain"))  # no file: no annotation
    report(result(*findings), env, tmp_path, fail_on="error")
    ((check_run_id, run),) = api.check_runs.items()
    assert len(run["create"]["output"]["annotations"]) == 50
    assert [len(u["output"]["annotations"]) for u in run["updates"]] == [50, 20]
    annotations = api.annotations[check_run_id]
    assert sorted(a["message"] for a in annotations) == sorted(f"problem {i}" for i in range(120))
    assert {a["annotation_level"] for a in annotations} == {"warning"}
    assert run["create"]["conclusion"] == "failure"  # the pr-explain error
    assert "pull request lacks EXPLAIN" in run["create"]["output"]["summary"]


def test_warnings_below_fail_on_conclude_success(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    report(result(finding("a.sql", 1, "meh", Severity.WARNING)), env, tmp_path, fail_on="error")
    report(result(finding("a.sql", 1, "meh", Severity.WARNING)), env, tmp_path, fail_on="warning")
    assert [r["create"]["conclusion"] for r in api.check_runs.values()] == ["success", "failure"]


def test_long_results_are_truncated_with_a_note(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    findings = [finding(f"db/{i:04}.sql", 1, "x" * 900 + f" #{i}") for i in range(400)]
    log = report(result(*findings), env, tmp_path)
    (comment,) = our_comments(api)
    assert len(comment["body"]) <= 65536
    assert "more findings not shown" in comment["body"]
    (run,) = api.check_runs.values()
    summary = run["create"]["output"]["summary"]
    assert len(summary) <= 65535 and "more findings not shown" in summary
    assert "cannot report" not in log


def test_text_from_the_pull_request_is_escaped(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    evil = "@octocat see <img src=x onerror=alert(1)> ``` **bold** | cell [link](http://x) <!-- marker"
    report(result(finding("db/q.sql", 1, evil)), env, tmp_path)
    rendered = render_markdown(our_comments(api)[0]["body"])
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", rendered, re.S) if "octocat" in r)
    assert row.count("<td>") == 4  # the message did not add a column
    assert re.search(r"<(?!/?td|/?code)[a-z!]", row) is None  # no HTML, links, bold or comments
    assert re.search(r"@\w", html.unescape(row)) is None  # no mention
    assert "<pre>" not in rendered  # no code block opened


def test_server_errors_are_retried(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    api.fail("checks/create", 502, times=2)
    api.fail("issues/create-comment", 500)
    log = report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    assert len(api.check_runs) == 1 and len(our_comments(api)) == 1
    assert [c.status for c in api.calls_to("checks/create")] == [502, 502, 201]
    assert "GitHub answered 502" in log and "retry 2 of 3" in log
    assert not Path(env["GITHUB_STEP_SUMMARY"]).exists()


def test_secondary_rate_limit_honours_retry_after(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    api.rate_limit("issues/list-comments", retry_after=1)
    report(result(), env, tmp_path)
    first, second = api.calls_to("issues/list-comments")
    assert first.status == 403 and second.status == 200
    assert second.at - first.at >= 0.95  # waited what Retry-After asked, not the 0.05 s backoff
    assert len(our_comments(api)) == 1


def test_a_slow_post_is_never_sent_twice(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    # issue 12: this test asserted the double POST. GitHub created the check run although the
    # answer came after the client stopped waiting; sending it again made a second one.
    api.fail("checks/create", 201, delay=1.5)
    out = io.StringIO()
    report_to_pr(result(), tmp_path, out, env=env, policy=RetryPolicy(backoff=0.05, read_timeout=0.5))
    log = out.getvalue()
    assert "timed out" in log
    assert len(api.calls_to("checks/create")) == 1
    assert len(our_comments(api)) == 1


def test_read_only_token_falls_back(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    api.read_only = True
    findings = [finding(f"db/{i}.sql", 2, f"bad {i}\nsecond line") for i in range(12)]
    log = report(result(*findings, finding("db/w.sql", 1, "warn", Severity.WARNING)), env, tmp_path)
    assert api.check_runs == {} and our_comments(api) == []
    assert "the token cannot write to Codertocat/Hello-World" in log
    assert "Resource not accessible by integration" in log
    commands = [line for line in log.splitlines() if line.startswith("::")]
    assert len([c for c in commands if c.startswith("::error ")]) == 10  # GitHub shows 10 per level
    assert "::error file=db/0.sql,line=2" in log and "bad 0%0Asecond line" in log
    assert any(c.startswith("::warning file=db/w.sql") for c in commands)
    assert "2 more findings not annotated" in log
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "bad 11" in summary and "1 warning" in summary
    # Writes are not retried: a read-only token stays read-only.
    assert len(api.calls_to("checks/create")) == 1 and len(api.calls_to("issues/create-comment")) == 1


def test_fork_pull_request_says_why(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    payload = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text())
    payload["pull_request"]["head"]["repo"]["full_name"] = "contributor/Hello-World"
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps(payload))
    api.read_only = True
    log = report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    assert "pull requests from forks get a read-only token" in log
    assert "::error file=a.sql" in log


def test_github_down_falls_back_after_retries(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    api.fail("checks/create", 503, times=10)
    api.fail("issues/list-comments", 500, times=10)
    log = report(result(finding("a.sql", 4, "bad")), env, tmp_path)
    assert len(api.calls_to("checks/create")) == 4  # the first try and three retries
    assert "creating the check run on Codertocat/Hello-World: GitHub answered 503" in log
    assert "::error file=a.sql,line=4" in log
    assert "bad" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    # Comments that could not be read are not assumed absent: creating one might make a second.
    assert api.calls_to("issues/create-comment") == []


def test_unprocessable_comment_is_not_retried(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    api.fail("issues/create-comment", 422, message="Validation Failed")
    log = report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    assert len(api.calls_to("issues/create-comment")) == 1
    assert len(api.check_runs) == 1  # the check run went through: no workflow-command annotations
    assert "::error" not in log
    assert "GitHub answered 422: Validation Failed" in log
    assert "bad" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()


def test_token_never_in_output(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    # A server that echoes the token in its error message, and a finding that quotes it.
    api.fail("checks/create", 500, times=10, message=f"internal error for token {TOKEN}")
    api.read_only = True
    log = report(result(finding("a.sql", 1, f"password {TOKEN} in a DSN")), env, tmp_path)
    assert "internal error for token" in log
    assert TOKEN not in log and TOKEN[:12] not in log
    assert all(c.authorization == f"token {TOKEN}" for c in api.calls)  # it was sent, only to GitHub


def test_no_token_falls_back(env: dict[str, str], tmp_path: Path, api: GitHubAPI) -> None:
    del env["GITHUB_TOKEN"]
    log = report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    assert "GITHUB_TOKEN is not set" in log and "::error file=a.sql" in log
    assert api.calls == []


def test_push_event_gets_a_check_run_and_no_comment(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    env["GITHUB_EVENT_NAME"] = "push"
    env["GITHUB_EVENT_PATH"] = str(WEBHOOKS / "push.event.0.json")
    log = report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    (run,) = api.check_runs.values()
    assert run["create"]["head_sha"] == "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
    assert api.calls_to("issues/list-comments") == []
    assert "not about a pull request" in log


def test_github_enterprise_api_url(tmp_path: Path, env: dict[str, str]) -> None:
    ghe = GitHubAPI(TOKEN, prefix="/api/v3")
    try:
        env["GITHUB_API_URL"] = ghe.url  # http://127.0.0.1:PORT/api/v3, as on GitHub Enterprise Server
        report(result(finding("a.sql", 1, "bad")), env, tmp_path)
        assert len(ghe.check_runs) == 1 and len(our_comments(ghe)) == 1
        assert all(c.path.startswith("/api/v3/") for c in ghe.calls)
    finally:
        ghe.close()
    assert ghe.violations == []


def test_explain_block_is_kept_across_runs(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    log = io.StringIO()
    block = "#### EXPLAIN\n```\n| id | select_type | table |\n```"
    report_to_pr(result(), tmp_path, log, env=env, policy=FAST, explain=block)
    report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    (comment,) = our_comments(api)
    assert "#### EXPLAIN" in comment["body"] and "bad" in comment["body"]


def test_a_pasted_marker_does_not_make_someone_elses_comment_ours(
    api: GitHubAPI, env: dict[str, str], tmp_path: Path
) -> None:
    forged = f"{MARKER}\n@everyone <img src=x> pay here"
    mallory = api.add_comment(2, forged, login="mallory")
    report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    report(result(), env, tmp_path)
    assert api.comments[mallory]["body"] == forged  # neither overwritten ...
    ours = [c for c in our_comments(api) if c["id"] != mallory]
    assert len(ours) == 1 and ours[0]["user"]["login"] == "github-actions[bot]"
    assert "pay here" not in ours[0]["body"]  # ... nor carried into ours
    assert len(api.calls_to("issues/create-comment")) == 1


def test_a_personal_token_edits_the_comment_it_wrote(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    api.identity = "release-bot-user"
    api.add_comment(2, f"{MARKER}\nold summary", login="someone-else")
    report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    report(result(), env, tmp_path)
    mine = [c for c in our_comments(api) if c["user"]["login"] == "release-bot-user"]
    assert len(mine) == 1 and "All clear" in mine[0]["body"]
    assert len(api.calls_to("issues/create-comment")) == 1 and len(api.calls_to("issues/update-comment")) == 1


def test_the_job_summary_fallback_uses_its_own_larger_limit(
    api: GitHubAPI, env: dict[str, str], tmp_path: Path
) -> None:
    api.read_only = True
    many = [finding(f"db/q{n:04}.sql", n + 1, "INSERT IGNORE drops rows " + "x" * 60) for n in range(900)]
    report(result(*many), env, tmp_path)
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert len(summary) > 65536  # more than a comment could hold ...
    assert "db/q0899.sql" in summary and "not shown" not in summary  # ... and every finding listed


def test_a_comment_whose_answer_was_lost_is_edited_by_the_next_run(
    api: GitHubAPI, env: dict[str, str], tmp_path: Path
) -> None:
    # issue 12: GitHub made the comment but answered after the client stopped waiting. The next
    # push must find that comment by its marker and edit it, not add a second one.
    api.fail("issues/create-comment", 201, delay=1.5)
    out = io.StringIO()
    first = result(finding("db/q.sql", 3, "INSERT IGNORE drops rows"))
    report_to_pr(first, tmp_path, out, env=env, policy=RetryPolicy(backoff=0.05, read_timeout=0.5))
    assert "commenting on #2: timed out" in out.getvalue()
    api.settle()
    (lost,) = our_comments(api)

    log = report(result(finding("db/q.sql", 3, "still INSERT IGNORE")), env, tmp_path)
    assert "summary comment updated" in log
    (comment,) = our_comments(api)
    assert comment["id"] == lost["id"] and "still INSERT IGNORE" in comment["body"]
    assert len(api.calls_to("issues/create-comment")) == 1


def test_comments_quoting_the_marker_are_not_edited(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    # Replies that quote the summary carry its marker: a person's, and another app's (a bot, as
    # the comment an Actions token writes is a bot's too). Neither is ours to overwrite.
    quoted = f"> {MARKER}\n> ### guardrails\n\nWhy does this fail?"
    person = api.add_comment(2, quoted, login="octocat")
    mirrored = f"Mirrored from the summary:\n\n> {MARKER}\n> 1 error"
    app = api.add_comment(2, mirrored, login="mirror-bot[bot]", kind="Bot")
    report(result(finding("a.sql", 1, "bad")), env, tmp_path)
    report(result(), env, tmp_path)
    assert api.comments[person]["body"] == quoted
    assert api.comments[app]["body"] == mirrored
    (ours,) = [c for c in our_comments(api) if c["id"] not in (person, app)]
    assert ours["user"]["login"] == "github-actions[bot]" and "All clear" in ours["body"]
    assert len(api.calls_to("issues/create-comment")) == 1


def test_each_annotation_carries_its_rules_help(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    from guardrails.registry import load_registry

    helps = rule_helps(load_registry().rules)
    findings = [finding(f"db/{i:02}.sql", 2, "INSERT IGNORE drops rows on any error") for i in range(60)]
    findings.append(finding("db/p.sql", 4, "reads every partition of events", rule="partition-pruning"))
    report(result(*findings), env, tmp_path, helps=helps)
    ((check_run_id, run),) = api.check_runs.items()
    annotations = api.annotations[check_run_id]
    assert len(annotations) == 61  # over two requests: the update's annotations carry it too
    for annotation in annotations:
        rule = annotation["title"].removeprefix("guardrails [").removesuffix("]")
        assert annotation["message"] in ("INSERT IGNORE drops rows on any error", "reads every partition of events")
        assert annotation["raw_details"].startswith(" ".join(helps[rule].split()))
        assert annotation["raw_details"].endswith(f"guardrails rules {rule}")
    # The check run's own page says each rule's help once, escaped as markdown.
    text = html.unescape(render_markdown(run["create"]["output"]["text"]))
    for rule in ("insert-ignore", "partition-pruning"):
        assert text.count(" ".join(helps[rule].split())) == 1, rule


def test_annotation_text_is_cut_to_githubs_64_kb(api: GitHubAPI, env: dict[str, str], tmp_path: Path) -> None:
    # A plugin rule with a long message and help, in a script of several bytes per character:
    # 40,000 characters are 120,000 bytes, over the 64 KB GitHub takes for each field.
    long = finding("docs/x.md", 1, "漢" * 40_000 + " end", rule="plugin-rule")
    report(result(long), env, tmp_path, helps={"plugin-rule": "字" * 40_000})
    ((check_run_id, run),) = api.check_runs.items()
    (annotation,) = api.annotations[check_run_id]  # posted: the local GitHub refuses oversized ones
    for key in ("message", "raw_details"):
        assert 60_000 < len(annotation[key].encode("utf-8")) <= 64_000
        assert "more characters were left out" in annotation[key]
