"""Connect once before start-up, so a wrong database is one line that names it, not a traceback."""

import asyncio
import sqlite3
from urllib.parse import urlsplit

from host.setting_values import UnsafeSettings, redacted, sqlite_path

CONNECT_SECONDS = 10.0


class DatabaseUnreachable(UnsafeSettings):
    """TENANTRY_DATABASE_URL is well-formed but nothing usable answers there."""


class DatabaseNotMigrated(UnsafeSettings):
    """Auto-migration is off and the schema is behind the code: serving would fail query by query."""


def _first_line(error: BaseException) -> str:
    message = str(error).strip().splitlines()
    return message[0] if message else type(error).__name__


async def check_database(url: str) -> None:
    """Open and close one connection; raise DatabaseUnreachable with the driver's reason."""
    try:
        if urlsplit(url).scheme == "sqlite":
            _check_sqlite(sqlite_path(url))
        else:
            await _check_postgres(url)
    except (OSError, sqlite3.Error, TimeoutError, ValueError) as error:
        reason = _first_line(error) if not isinstance(error, TimeoutError) else "no answer in 10 s"
        raise DatabaseUnreachable(_message(url, reason)) from error
    except Exception as error:  # asyncpg's errors (bad password, missing database) share no base with OSError
        raise DatabaseUnreachable(_message(url, _first_line(error))) from error


def _message(url: str, reason: str) -> str:
    if urlsplit(url).scheme == "sqlite":
        advice = "name a Tenantry SQLite file or a new one; for example sqlite:///tenantry.sqlite3"
    else:
        advice = (
            "check the host, port, user, password and database name; for example "
            "postgresql://tenantry:secret@127.0.0.1:5432/tenantry"
        )
    return f"TENANTRY_DATABASE_URL={redacted(url)!r} cannot be used: {reason}; {advice}"


def _check_sqlite(path: str) -> None:
    connection = sqlite3.connect(path, timeout=CONNECT_SECONDS)
    try:
        connection.execute("PRAGMA schema_version").fetchone()  # reads the header: "file is not a database"
    finally:
        connection.close()


async def _check_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncio.wait_for(asyncpg.connect(dsn=url), timeout=CONNECT_SECONDS)
    await connection.close()


async def check_migrated(url: str) -> None:
    """Raise DatabaseNotMigrated when a migration is pending; used when TENANTRY_AUTO_MIGRATE is false."""
    from db.migrate import pending_migrations

    pending = await pending_migrations()
    if pending:
        count = f"{len(pending)} migration{'s' if len(pending) != 1 else ''}"
        raise DatabaseNotMigrated(
            f"the database {redacted(url)!r} has {count} not applied yet and TENANTRY_AUTO_MIGRATE "
            "is false; run `tenantry migrate` first"
        )
