"""The same migration files apply from empty on SQLite and on PostgreSQL, and seeding is idempotent."""

import os
import secrets
import subprocess
import sys
import tempfile
import textwrap
from urllib.parse import urlparse

import pytest

from db.piccolo_app import TABLES
from tests.support.backend import (
    POSTGRES_ADMIN_URL,
    Backend,
    _reachable,
    create_postgres_database,
    drop_postgres_database,
)
from tests.support.factories import run
from tests.support.server import REPO

CHECK = textwrap.dedent(
    """
    import asyncio, json, os
    from db.connection import connected
    from db.migrate import migrate
    from db.piccolo_app import TABLES
    from db.orgs import Permission, Role, RolePermission
    from resolvers.seed import seed_environment

    async def main():
        async with connected(os.environ["TENANTRY_DATABASE_URL"]):
            await check()

    async def check():
        await migrate()
        await migrate()  # a second run applies nothing and fails on nothing
        await seed_environment()
        await seed_environment()
        missing = []
        for table in TABLES:
            if not await table.table_exists():
                missing.append(table._meta.tablename)
        counts = {}
        for key in ("admin", "member"):
            role = await Role.select(Role.id).where(Role.key == key).first()
            counts[key] = await RolePermission.count().where(RolePermission.role == role["id"])
        print(json.dumps({"missing": missing, "permissions": await Permission.count(),
                          "roles": await Role.count(), "grants": counts}))

    asyncio.run(main())
    """
)


def _migrate_in_fresh_process(database_url: str) -> dict[str, object]:
    """A new process, so the engine is chosen from the URL exactly as the server would."""
    import json

    env = {**os.environ, "TENANTRY_DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    parsed: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def _assert_complete(report: dict[str, object]) -> None:
    assert report["missing"] == []
    assert report["permissions"] == 12
    assert report["roles"] == 2
    assert report["grants"] == {"admin": 12, "member": 2}


def test_migrations_apply_from_empty_on_sqlite_and_seeding_is_idempotent() -> None:
    folder = tempfile.mkdtemp(prefix="tenantry-migrate-")
    _assert_complete(_migrate_in_fresh_process(f"sqlite:///{folder}/fresh.sqlite3"))


def test_migrations_apply_from_empty_on_postgresql_and_seeding_is_idempotent() -> None:
    if not _reachable(POSTGRES_ADMIN_URL, 5432):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable (CI must have it)")
        pytest.skip("PostgreSQL is not reachable")
    database = f"tenantry_migrate_{secrets.token_hex(4)}"
    url = urlparse(POSTGRES_ADMIN_URL)._replace(path=f"/{database}").geturl()
    backend = Backend("postgres", url, None, "")
    run(create_postgres_database(backend))
    try:
        _assert_complete(_migrate_in_fresh_process(url))
    finally:
        run(drop_postgres_database(backend))


def test_every_table_is_registered_for_migrations() -> None:
    names = {table._meta.tablename for table in TABLES}
    assert {"tenantry_user", "organization", "membership", "user_session", "refresh_token", "job"} <= names
