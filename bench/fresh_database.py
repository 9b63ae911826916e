"""The database a benchmark runs against: opened as the server opens it, migrated and seeded."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


@asynccontextmanager
async def fresh_database(pool_size: int = 4) -> AsyncIterator[None]:
    """Open the engine from TENANTRY_DATABASE_URL (set it before importing db), migrate, seed;
    close it afterwards, or aiosqlite's thread keeps the process alive."""
    from piccolo.engine.postgres import PostgresEngine

    from db.migrate import migrate
    from db.piccolo_conf import DB
    from db.sqlite_engine import SharedConnectionSQLiteEngine
    from resolvers.seed import seed_environment

    if isinstance(DB, SharedConnectionSQLiteEngine):
        await DB.open_shared_connection()  # as the server does
    elif isinstance(DB, PostgresEngine):
        await DB.start_connection_pool(min_size=1, max_size=pool_size)
    try:
        await migrate()
        await seed_environment()
        yield
    finally:
        if isinstance(DB, SharedConnectionSQLiteEngine):
            await DB.close_shared_connection()
        elif isinstance(DB, PostgresEngine):
            await DB.close_connection_pool()
