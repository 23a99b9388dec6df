"""``mysql://user:password@host:port/database?opt=value``: parse it, and never show the password.

The DSN usually comes from a CI secret. Anything guardrails prints about a
connection (errors included, which drivers like to decorate with the
arguments they were given) goes through :func:`redact` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

SCHEMES = ("mysql", "mariadb", "mysql+pymysql")
DEFAULT_PORT = 3306
# Query options a user may set; everything else is a typo worth reporting.
OPTIONS = {
    "ssl_ca",
    "ssl_cert",
    "ssl_key",
    "ssl_verify_cert",
    "ssl_disabled",
    "charset",
    "unix_socket",
}
MASK = "***"


class DsnError(ValueError):
    """A DSN that cannot be used; the message never contains the password."""


@dataclass(frozen=True)
class Dsn:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    database: str
    options: dict[str, str] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.display()

    def display(self) -> str:
        """The DSN as it may be printed: the password replaced by ***."""
        auth = f"{self.user}:{MASK}@" if self.password else (f"{self.user}@" if self.user else "")
        return f"mysql://{auth}{self.host}:{self.port}/{self.database}"

    def redact(self, text: str) -> str:
        return redact(text, self.password)

    def error_text(self, exc: BaseException) -> str:
        """A driver's exception as ``(code) message`` (or its text), the password masked."""
        args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
        if len(args) == 2 and isinstance(args[0], int):
            return self.redact(f"({args[0]}) {args[1]}")
        return self.redact(str(exc) or type(exc).__name__)

    def connect_args(self) -> dict[str, Any]:
        """``pymysql.connect`` arguments for the server, account, socket, charset and TLS
        options the DSN names (not the database: the caller decides whether to select it).

        pymysql reads TLS from an ``ssl`` dict whose keys differ from the DSN's: ``ca``,
        ``cert``, ``key`` and ``verify_mode``; ``ssl_disabled`` is an argument of its own."""
        options = self.options
        ssl: dict[str, Any] = {key: options[f"ssl_{key}"] for key in ("ca", "cert", "key") if f"ssl_{key}" in options}
        if "ssl_verify_cert" in options:
            verify = _truthy(options["ssl_verify_cert"])
            ssl["verify_mode"] = "required" if verify else "none"
            ssl["check_hostname"] = verify
        tls = bool(ssl) and not _truthy(options.get("ssl_disabled", "false"))
        return {
            # a server (or a man in the middle) asking for the password in clear text gets a refusal
            "auth_plugin_map": {} if tls else dict.fromkeys(CLEAR_TEXT_PLUGINS, RefuseClearText),
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "unix_socket": options.get("unix_socket"),
            "charset": options.get("charset", "utf8mb4"),
            "ssl": ssl or None,
            "ssl_disabled": _truthy(options.get("ssl_disabled", "false")),
        }


CLEAR_TEXT_PLUGINS = ("mysql_clear_password", "dialog")


class RefuseClearText:
    """pymysql's handler for an authentication plugin that would send the password unencrypted."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def authenticate(self, packet: Any) -> Any:
        import pymysql

        raise pymysql.err.OperationalError(
            2059, "the server asks for the password in clear text; refused without TLS (set ssl_ca in the DSN)"
        )


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on", "required")


def parse_dsn(dsn: str) -> Dsn:
    """Parse a DSN; raises DsnError (with the password masked) when it is unusable."""
    try:
        parts = urlsplit(dsn.strip())
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise DsnError(f"database.dsn is not a URL like mysql://user:password@host:3306/db: {_mask_raw(dsn)}") from None
    password = unquote(parts.password or "")
    # the whole user:password@ masked as written: %2f and %2F both spell "/", and quote() makes only one
    shown = redact(_mask_raw(dsn.strip()), password)
    if parts.scheme.lower() not in SCHEMES:
        raise DsnError(f"database.dsn must start with mysql://, got {shown!r}")
    if not parts.hostname:
        raise DsnError(f"database.dsn names no host: {shown!r}")
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise DsnError(f"database.dsn must name one database after the host (mysql://host:3306/db): {shown!r}")
    options = dict(parse_qsl(parts.query))
    unknown = sorted(set(options) - OPTIONS)
    if unknown:
        raise DsnError(f"database.dsn has unknown option {unknown[0]!r}; known: {', '.join(sorted(OPTIONS))}")
    return Dsn(parts.hostname, port, unquote(parts.username or ""), password, database, options)


def redact(text: str, *secrets: str) -> str:
    """Replace every secret (raw and URL-encoded) in text with ***."""
    from urllib.parse import quote

    for secret in secrets:
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            text = text.replace(form, MASK)
    return text


def _mask_raw(dsn: str) -> str:
    """Mask user:password@ in a string that did not even parse."""
    scheme, sep, rest = dsn.partition("://")
    if not sep or "@" not in rest:
        return dsn
    auth, _, host = rest.rpartition("@")
    if ":" not in auth:
        return dsn
    user = auth.split(":", 1)[0]
    return f"{scheme}://{user}:{MASK}@{host}"
