"""pytest plugin: one real MariaDB server per test session.

The session-scoped ``mariadb`` fixture runs Debian's ``mariadbd`` (package
``mariadb-server``; ``.ci/run`` installs it on a fresh machine) on a free
loopback port with a temporary data directory made by ``mariadb-install-db``.
It waits until the server accepts connections, creates the database ``app``
and a non-root user ``app`` with a password and every privilege on that
database only, and yields a :class:`MariaDB`:

- ``dsn``: ``mysql://app:PASSWORD@127.0.0.1:PORT/app``, what a user puts in
  ``database.dsn``;
- ``port``, ``user``, ``password``, ``database``;
- ``admin(sql, *args)`` / ``admin_many(statements)``: run statements as root
  (set-up and inspection only; the code under test connects with ``dsn``);
- ``fresh_database(name)``: drop and create a database the ``app`` user owns,
  returning its DSN, so a test module gets a clean schema without a second server;
- ``power_user(user, password, database)``: a user with every privilege everywhere, its DSN;
- ``checksums(database)``: ``CHECKSUM TABLE`` of every table, to prove nothing changed;
- ``secure_file_dir``: the server's ``secure_file_priv`` directory, the only
  place ``SELECT ... INTO OUTFILE`` could write.

The server is shut down (and its directory removed) when the session ends.
Use it from any test: ``def test_x(mariadb): ...``. Without ``mariadbd`` on
the machine the fixture fails with the command that installs it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SERVER_CANDIDATES = ("/usr/sbin/mariadbd", "/usr/sbin/mysqld", "mariadbd")
INSTALL_DB_CANDIDATES = (
    "/usr/bin/mariadb-install-db",
    "/usr/bin/mysql_install_db",
    "mariadb-install-db",
)
APP_USER = "app"
APP_PASSWORD = "app-Secret-9f3"  # distinctive, so tests can assert it never appears in output
APP_DATABASE = "app"


def _find(candidates: Sequence[str]) -> str | None:
    for candidate in candidates:
        found = shutil.which(candidate) or (candidate if os.path.exists(candidate) else None)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MariaDB:
    port: int
    root_dir: Path
    secure_file_dir: Path
    user: str = APP_USER
    password: str = APP_PASSWORD
    database: str = APP_DATABASE
    host: str = "127.0.0.1"

    @property
    def dsn(self) -> str:
        return self.dsn_for(self.database)

    def dsn_for(self, database: str) -> str:
        return f"mysql://{self.user}:{self.password}@{self.host}:{self.port}/{database}"

    def connect(self, user: str = "root", password: str = "", database: str | None = None) -> Any:
        import pymysql

        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=user,
            password=password,
            database=database,
            autocommit=True,
            connect_timeout=5,
        )

    def admin(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Run one statement as root; returns its rows."""
        with contextlib.closing(self.connect()) as conn, conn.cursor() as cur:
            cur.execute(sql, args or None)
            return list(cur.fetchall())

    def admin_many(self, statements: Sequence[str], database: str | None = None) -> None:
        with contextlib.closing(self.connect(database=database)) as conn, conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)

    def fresh_database(self, name: str) -> str:
        """A new, empty database owned by the app user; returns its DSN."""
        self.admin_many(
            [
                f"DROP DATABASE IF EXISTS `{name}`",
                f"CREATE DATABASE `{name}`",
                f"GRANT ALL PRIVILEGES ON `{name}`.* TO '{self.user}'@'127.0.0.1'",
            ]
        )
        return self.dsn_for(name)

    def power_user(self, user: str, password: str, database: str) -> str:
        """A user with every privilege on every database (GRANT included); returns its DSN for database."""
        self.admin_many(
            [
                f"DROP USER IF EXISTS '{user}'@'127.0.0.1'",
                f"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'",
                f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'127.0.0.1' WITH GRANT OPTION",
            ]
        )
        return f"mysql://{user}:{password}@{self.host}:{self.port}/{database}"

    def checksums(self, database: str) -> dict[str, int | None]:
        tables = [
            r[0]
            for r in self.admin(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1",
                database,
            )
        ]
        out: dict[str, int | None] = {}
        for table in tables:
            rows = self.admin(f"CHECKSUM TABLE `{database}`.`{table}` EXTENDED")
            out[table] = rows[0][1]
        return out


def _wait_ready(server: subprocess.Popen[bytes], port: int, log: Path, deadline_s: float = 60.0) -> None:
    import pymysql

    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mariadbd exited with {server.returncode}:\n{_tail(log)}")
        try:
            pymysql.connect(host="127.0.0.1", port=port, user="root", password="", connect_timeout=1).close()
            return
        except pymysql.err.OperationalError:
            time.sleep(0.1)
    raise RuntimeError(f"mariadbd did not accept connections within {deadline_s:.0f}s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def run_mariadb() -> Iterator[MariaDB]:
    """Start a throw-away server; usable outside pytest (e.g. from a benchmark)."""
    server_bin = _find(SERVER_CANDIDATES)
    install_db = _find(INSTALL_DB_CANDIDATES)
    if not server_bin or not install_db:
        raise RuntimeError("mariadbd not found: install it with `apt-get install -y mariadb-server`")
    root = Path(tempfile.mkdtemp(prefix="guardrails-mariadb-"))
    data, files, log = root / "data", root / "files", root / "error.log"
    files.mkdir()
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={data}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            "--skip-name-resolve",
            *as_root,
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            server_bin,
            "--no-defaults",
            *as_root,
            f"--datadir={data}",
            f"--socket={root / 'mysqld.sock'}",
            f"--pid-file={root / 'mysqld.pid'}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=16M",
            "--performance-schema=OFF",
            f"--secure-file-priv={files}",
            f"--log-error={log}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(server, port, log)
        db = MariaDB(port, root, files)
        db.admin_many(
            [
                f"CREATE USER '{APP_USER}'@'127.0.0.1' IDENTIFIED BY '{APP_PASSWORD}'",
                f"CREATE DATABASE `{APP_DATABASE}`",
                f"GRANT ALL PRIVILEGES ON `{APP_DATABASE}`.* TO '{APP_USER}'@'127.0.0.1'",
            ]
        )
        yield db
    finally:
        stop(server, root)


def stop(server: subprocess.Popen[bytes], root: Path) -> None:
    """Shut the server down (killed if it takes more than 30 s) and remove its directory."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def mariadb() -> Iterator[MariaDB]:
    try:
        with run_mariadb() as db:
            yield db
    except RuntimeError as exc:
        if "not found" in str(exc):
            pytest.fail(str(exc))
        raise
