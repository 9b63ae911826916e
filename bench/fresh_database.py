"""The database a benchmark runs against: opened as the server opens it, migrated and seeded."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


@asynccontextmanager
async def fresh_database(pool_size: int = 4) -> AsyncIterator[None]:
    """Open the database TENANTRY_DATABASE_URL names as the server opens it, migrate, seed;
    close it afterwards, or aiosqlite's thread keeps the process alive."""
    from db.connection import connected
    from db.engine import DEFAULT_DATABASE_URL
    from db.migrate import migrate
    from resolvers.seed import seed_environment

    async with connected(os.environ.get("TENANTRY_DATABASE_URL", DEFAULT_DATABASE_URL), pool_size=pool_size):
        await migrate()
        await seed_environment()
        yield
