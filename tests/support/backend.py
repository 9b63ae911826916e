"""Which database (and job queue) this test run uses: SQLite + embedded jobs, or PostgreSQL + Redis/arq.

Chosen by TENANTRY_TEST_BACKEND before any Tenantry module is imported, so the test process and
the server it starts share one database.
"""

import os
import secrets
import socket
import tempfile
from dataclasses import dataclass
from urllib.parse import urlparse

POSTGRES_ADMIN_URL = os.environ.get("TENANTRY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TENANTRY_TEST_REDIS_URL", "redis://127.0.0.1:6379")


@dataclass(frozen=True)
class Backend:
    name: str
    database_url: str
    redis_url: str | None
    workdir: str
    unavailable: str | None = None  # why this backend cannot run here


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def choose_backend() -> Backend:
    name = os.environ.get("TENANTRY_TEST_BACKEND", "sqlite")
    workdir = tempfile.mkdtemp(prefix=f"tenantry-tests-{name}-")
    if name == "sqlite":
        return Backend(name, f"sqlite:///{workdir}/tenantry.sqlite3", None, workdir)
    if name != "postgres":
        raise SystemExit(f"TENANTRY_TEST_BACKEND must be sqlite or postgres, not {name!r}")
    missing = [
        label
        for label, url, port in (
            ("PostgreSQL", POSTGRES_ADMIN_URL, 5432),
            ("Redis", REDIS_URL, 6379),
        )
        if not _reachable(url, port)
    ]
    database = f"tenantry_test_{secrets.token_hex(4)}"
    admin = urlparse(POSTGRES_ADMIN_URL)
    database_url = admin._replace(path=f"/{database}").geturl()
    # Parallel runs on one machine pick distinct Redis databases with TENANTRY_TEST_REDIS_DB.
    redis_db = int(os.environ.get("TENANTRY_TEST_REDIS_DB") or secrets.randbelow(14) + 1)
    return Backend(
        name,
        database_url,
        f"{REDIS_URL}/{redis_db}",
        workdir,
        unavailable=f"{' and '.join(missing)} not reachable" if missing else None,
    )


async def create_postgres_database(backend: Backend) -> None:
    import asyncpg

    database = urlparse(backend.database_url).path.lstrip("/")
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()


async def drop_postgres_database(backend: Backend) -> None:
    import asyncpg

    database = urlparse(backend.database_url).path.lstrip("/")
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await connection.close()
