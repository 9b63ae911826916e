"""Parsers for TENANTRY_* values: a typed value, or one line naming what is wrong and a right example."""

import ipaddress
import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class UnsafeSettings(Exception):
    """Settings Tenantry refuses to start with; the message says what to set."""


class InvalidSetting(UnsafeSettings):
    """A TENANTRY_* variable whose value cannot work; the message names it, says why and shows a right one."""

    def __init__(self, name: str, value: str, problem: str, example: str) -> None:
        shown = redacted(value) if "://" in value else value
        super().__init__(f"{name}={shown!r} {problem}; for example {name}={example}")


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return url


def text(name: str, default: str) -> str:
    return os.environ.get(name, default)


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidSetting(name, value, "is not true or false", "true (or false, 1, 0, yes, no, on, off)")


def positive_int(name: str, default: int, example: str) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise InvalidSetting(name, value, "is not a whole number of at least 1", example)
    return number


def port(name: str, default: int) -> int:
    number = positive_int(name, default, "8000")
    if number > 65535:
        raise InvalidSetting(name, str(number), "is not a TCP port (1 to 65535)", "8000")
    return number


def _split(name: str, value: str, schemes: set[str], example: str) -> SplitResult:
    """A URL with one of `schemes`, a valid port if any, and a host unless it is a file path."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or out of range
    except ValueError as error:
        raise InvalidSetting(name, value, f"is not a valid URL ({error})", example) from error
    if parts.scheme not in schemes:
        wanted = " or ".join(f"{scheme}://" for scheme in sorted(schemes))
        found = f"uses {parts.scheme}://, not one of {wanted}" if parts.scheme else f"is not a {wanted} URL"
        raise InvalidSetting(name, value, found, example)
    return parts


def database_url(name: str, default: str) -> str:
    """SQLite file in an existing folder, or PostgreSQL."""
    value = os.environ.get(name) or default
    example = "postgresql://tenantry:secret@db.internal:5432/tenantry (or sqlite:///tenantry.sqlite3)"
    parts = _split(name, value, {"sqlite", "postgres", "postgresql"}, example)
    if parts.scheme == "sqlite":
        path = sqlite_path(value)
        if not path or path.endswith("/"):
            raise InvalidSetting(name, value, "names no database file", "sqlite:///tenantry.sqlite3")
        folder = Path(path).parent
        if not folder.is_dir():
            raise InvalidSetting(
                name,
                value,
                f"is in the folder {str(folder)!r}, which does not exist (create it first)",
                "sqlite:////var/lib/tenantry/tenantry.sqlite3",
            )
    elif not parts.path.strip("/"):
        raise InvalidSetting(name, value, "names no database", example)
    return value


def sqlite_path(url: str) -> str:
    """`sqlite:///relative/file` or `sqlite:////absolute/file`."""
    return url.removeprefix("sqlite:///")


def redis_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    parts = _split(name, value, {"redis", "rediss", "unix"}, "redis://127.0.0.1:6379/0")
    if parts.scheme != "unix" and not parts.hostname:
        raise InvalidSetting(name, value, "names no host", "redis://127.0.0.1:6379/0")
    return value


def smtp_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    example = "smtp://user:password@mail.example.com:587 (or smtps://…, smtp+starttls://…)"
    parts = _split(name, value, {"smtp", "smtps", "smtp+starttls"}, example)
    if not parts.hostname:
        raise InvalidSetting(name, value, "names no host", example)
    return value


def public_url(name: str, default: str) -> str:
    value = (os.environ.get(name) or default).rstrip("/")
    example = "https://auth.example.com"
    parts = _split(name, value, {"http", "https"}, example)
    if not parts.hostname:
        raise InvalidSetting(name, value, "names no host", example)
    if parts.query or parts.fragment:
        raise InvalidSetting(name, value, "must not have a query or fragment", example)
    return value


def mail_from(name: str, default: str) -> str:
    value = os.environ.get(name) or default
    _, address = parseaddr(value)
    if "@" not in address or any(c in value for c in "\r\n"):
        raise InvalidSetting(name, value, "is not an email address", '"Acme <no-reply@acme.example.com>"')
    return value


def ip_addresses(name: str) -> frozenset[str]:
    """Comma-separated IP addresses (the peers as the server sees them)."""
    found: set[str] = set()
    for item in os.environ.get(name, "").split(","):
        if not item.strip():
            continue
        try:
            found.add(str(ipaddress.ip_address(item.strip())))
        except ValueError as error:
            raise InvalidSetting(
                name, item.strip(), "is not an IP address", "127.0.0.1,10.0.0.5 (addresses, comma-separated)"
            ) from error
    return frozenset(found)


def host_names(name: str) -> tuple[str, ...]:
    """Comma-separated host names, without scheme, port or path."""
    found: list[str] = []
    for item in os.environ.get(name, "").split(","):
        host = item.strip().lower()
        if not host:
            continue
        if any(c in host for c in "/:@ ") or host.startswith(".") or host.endswith("."):
            raise InvalidSetting(
                name, item.strip(), "is not a host name", "auth.example.com,login.example.com"
            )
        found.append(host)
    return tuple(found)


def folder(name: str, default: str) -> str:
    value = os.environ.get(name)
    if not value:
        return default
    if not Path(value).is_dir():
        raise InvalidSetting(name, value, "is not an existing folder", "/opt/tenantry/frontend/dist")
    return value
