"""A pytest plugin: the PostgreSQL test database gets an ICU en-US collation instead of the
server's default (often C.UTF-8, which already orders by code point), so a test can prove that
SQL meant to order strings by code point says COLLATE "C" itself.

TENANTRY_TEST_BACKEND=postgres .venv/bin/pytest -p tests.support.postgres_icu tests/resolvers/test_scim_filters.py
"""

from urllib.parse import urlparse

import tests.support.backend as backend_module
from tests.support.backend import Backend


async def create_icu_database(backend: Backend) -> None:
    import asyncpg

    database = urlparse(backend.database_url).path.lstrip("/")
    connection = await asyncpg.connect(backend_module.POSTGRES_ADMIN_URL)
    try:
        await connection.execute(
            f'CREATE DATABASE "{database}" TEMPLATE template0 '
            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        )
    finally:
        await connection.close()


# tests/conftest.py creates the database when it is imported, after plugins named by -p
backend_module.create_postgres_database = create_icu_database
