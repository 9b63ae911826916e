"""The database of this process: chosen from a URL by an entry point, opened and closed by it.

Piccolo tables find their engine through `db.piccolo_conf`; nothing is built at import time. An
entry point (the app's lifespan, `tenantry worker`, the CLI, a test session, a benchmark) names
the URL from its settings: `bind(url)` when each query may open its own connection (one-shot
commands, test set-up), `async with connected(url)` for a long-lived process, which also opens
PostgreSQL's pool or SQLite's shared connection and closes it on the way out.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from db.engine import engine_for_url
from db.piccolo_app import TABLES
from db.sqlite_engine import SharedConnectionSQLiteEngine

# Piccolo logs "Running Sqlite version …" at INFO whenever an engine is made; engines are now made
# after the server's logging is set up, where that line would be noise on every start.
logging.getLogger("piccolo.engine.base").setLevel(logging.WARNING)

_engine: Engine | None = None  # type: ignore[type-arg]


def bind(url: str) -> Engine:  # type: ignore[type-arg]
    """Make the engine for `url` the one every table (and Piccolo's migrations) uses from now on."""
    global _engine
    engine = engine_for_url(url)
    for table in (*TABLES, Migration):
        table._meta.db = engine
    _engine = engine
    return engine


def engine() -> Any:
    """The bound engine; a clear error, not Piccolo's guess, when no entry point bound one."""
    if _engine is None:
        raise RuntimeError(
            "no database is bound: an entry point calls db.connection.bind(url) or connected(url)"
        )
    return _engine


async def keep_connection_state(connection: object) -> None:
    """asyncpg resets every connection it takes back (an extra round trip per query); Tenantry
    keeps no session state (no LISTEN, advisory locks or SET), so there is nothing to reset."""


@asynccontextmanager
async def connected(
    url: str, *, pool_size: int = 20, share_sqlite_connection: bool = True
) -> AsyncIterator[Engine]:  # type: ignore[type-arg]
    """Bind `url`, open PostgreSQL's pool (or SQLite's shared connection) and close it at exit.

    A process whose exit may skip the close (arq skips its shut-down hook when Redis is gone) keeps
    SQLite's connection per query: the shared one lives on a thread that would keep it running.
    """
    engine = bind(url)
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(
            min_size=min(10, pool_size), max_size=pool_size, reset=keep_connection_state
        )
    elif isinstance(engine, SharedConnectionSQLiteEngine) and share_sqlite_connection:
        await engine.open_shared_connection()
    try:
        yield engine
    finally:
        if isinstance(engine, PostgresEngine):
            await engine.close_connection_pool()
        elif isinstance(engine, SharedConnectionSQLiteEngine):
            await engine.close_shared_connection()
