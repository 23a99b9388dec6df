"""Record a MariaDB server's own answers to ddl-review's agreement cases (tests/ddl_cases.py).

    python -m benchmarks.record_ddl /path/to/usr/sbin/mariadbd [--loader LD_SO --library-path DIRS]

Starts the given ``mariadbd`` on a throw-away data directory (no system tables: it runs with
``--skip-grant-tables`` on loopback, so no ``mariadb-install-db`` is needed), asks it every
case (tests/ddl_server.py) and writes its answers into tests/fixtures/ddl/mariadb-answers.tsv,
replacing what that server version answered before. A server built for a newer glibc (Debian
trixie's 11.8 on an older host) runs through that glibc's loader: ``--loader
ROOT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path ROOT/usr/lib/x86_64-linux-gnu``;
``--library-path`` alone puts libraries the host lacks on LD_LIBRARY_PATH. The servers of the
recorded table came from the distributions' package archives, each unpacked with ``dpkg-deb -x``
(tests/fixtures/ddl/README.md names the packages).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.ddl_cases import cases
from tests.ddl_server import ANSWERS, recorded, server_verdict, write
from tests.mariadb import _free_port, _wait_ready, stop


def _share(mariadbd: Path) -> Path:
    """The package's share directory (its error messages): ROOT/usr/share/mariadb or .../mysql."""
    for name in ("mariadb", "mysql"):
        candidate = mariadbd.resolve().parent.parent / "share" / name
        if (candidate / "english").is_dir():
            return candidate
    raise SystemExit(f"no share/mariadb/english next to {mariadbd}: pass --share")


@contextlib.contextmanager
def started(command: list[str], share: Path) -> Iterator[Any]:
    import pymysql

    root = Path(tempfile.mkdtemp(prefix="guardrails-record-ddl-"))
    (root / "data").mkdir()
    log, port = root / "error.log", _free_port()
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    server = subprocess.Popen(
        [
            *command,
            "--no-defaults",
            *as_root,
            f"--datadir={root / 'data'}",
            f"--socket={root / 'mysqld.sock'}",
            f"--pid-file={root / 'mysqld.pid'}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            "--skip-name-resolve",
            "--skip-grant-tables",
            "--skip-log-bin",
            f"--lc-messages-dir={share}",
            "--innodb-buffer-pool-size=32M",
            "--performance-schema=OFF",
            f"--log-error={log}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(server, port, log)
        conn = pymysql.connect(host="127.0.0.1", port=port, user="root", password="", autocommit=True)
        with contextlib.closing(conn):
            yield conn
    finally:
        stop(server, root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mariadbd", type=Path)
    parser.add_argument("--loader", help="a dynamic loader (ld-linux-x86-64.so.2) to run mariadbd through")
    parser.add_argument("--library-path", default="", help="the loader's --library-path")
    parser.add_argument("--share", type=Path, help="the package's share directory (default: next to mariadbd)")
    parser.add_argument("--out", type=Path, default=ANSWERS)
    args = parser.parse_args()
    command = [str(args.mariadbd)]
    if args.loader:
        command = [args.loader, "--library-path", args.library_path, *command]
    elif args.library_path:  # libraries the host lacks (Ubuntu 22.04's libsnappy for 10.6 on Debian 12)
        os.environ["LD_LIBRARY_PATH"] = args.library_path
    answers = recorded(args.out) if args.out.exists() else {}
    with started(command, args.share or _share(args.mariadbd)) as conn, conn.cursor() as cur:
        cur.execute("SELECT VERSION()")
        version = str(cur.fetchone()[0])
        cur.execute("CREATE DATABASE ddl_agreement")
        cur.execute("USE ddl_agreement")
        cur.execute("SET SESSION innodb_strict_mode = ON")
        answers[version] = {
            case: server_verdict(cur, n, create, clause) for n, (case, create, clause, _) in enumerate(cases())
        }
    write(answers, args.out)
    refused = sum(1 for a in answers[version].values() if a.startswith("refused"))
    print(f"{version}: {len(answers[version])} cases recorded ({refused} refused) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
