"""Chooses the database engine for a URL: a SQLite file (the default), else PostgreSQL."""

from urllib.parse import urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from db.sqlite_engine import SharedConnectionSQLiteEngine

DEFAULT_DATABASE_URL = "sqlite:///tenantry.sqlite3"


def engine_for_url(url: str) -> Engine:  # type: ignore[type-arg]
    """Build the Piccolo engine; `sqlite:///relative` or `sqlite:////absolute`, `postgresql://…`."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite://").removeprefix("/")
        if url.startswith("sqlite:////"):
            path = "/" + path
        return SharedConnectionSQLiteEngine(path=path)
    if scheme in {"postgres", "postgresql"}:
        return PostgresEngine(config={"dsn": url})
    raise ValueError(
        f"TENANTRY_DATABASE_URL has an unsupported scheme {scheme!r}: "
        "use sqlite:///path/to/file.sqlite3 or postgresql://user@host/db"
    )


def is_sqlite(engine: Engine) -> bool:  # type: ignore[type-arg]
    return isinstance(engine, SQLiteEngine)
