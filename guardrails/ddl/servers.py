"""``sql.server`` read into a flavour and a version, the key into the verdict matrix."""

from __future__ import annotations

from dataclasses import dataclass

MYSQL = "mysql"
MARIADB = "mariadb"
# What a bare major version means: the point release whose behaviour the matrix gives it.
_DEFAULT_POINT = {(MYSQL, (8, 0)): (8, 0, 40), (MYSQL, (8, 4)): (8, 4, 0), (MYSQL, (5, 7)): (5, 7, 44)}


class UnknownServer(ValueError):
    pass


@dataclass(frozen=True)
class Server:
    flavor: str  # MYSQL or MARIADB
    version: tuple[int, ...]
    name: str  # as configured

    @property
    def mariadb(self) -> bool:
        return self.flavor == MARIADB

    def at_least(self, *version: int) -> bool:
        return self.version >= version


def parse_server(name: str) -> Server:
    """``mysql-8.0`` (8.0's current behaviour), ``mysql-8.0.28``, ``mysql-5.7``, ``mysql-8.4``,
    ``mariadb-10.11``, ``mariadb-11.4``."""
    flavor, _, version = name.strip().lower().partition("-")
    if flavor not in (MYSQL, MARIADB) or not version:
        raise UnknownServer(f"sql.server {name!r}: expected mysql-X.Y[.Z] or mariadb-X.Y")
    try:
        numbers = tuple(int(part) for part in version.split("."))
    except ValueError:
        raise UnknownServer(f"sql.server {name!r}: the version is not numbers") from None
    if flavor == MYSQL and numbers[:2] not in ((5, 7), (8, 0), (8, 4)) and numbers[0] < 9:
        raise UnknownServer(f"sql.server {name!r}: ddl-review knows MySQL 5.7, 8.0, 8.4 and later")
    if flavor == MARIADB and numbers < (10, 3):
        raise UnknownServer(f"sql.server {name!r}: ddl-review knows MariaDB 10.3 and later")
    full = _DEFAULT_POINT.get((flavor, numbers[:2]), numbers) if len(numbers) == 2 else numbers
    return Server(flavor, full, name)
