"""A Tenantry server on a database of its own, for tests whose random requests may succeed and
change environment-wide state (branding, roles, webhooks) that other tests rely on."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from tests.support.backend import POSTGRES_ADMIN_URL, Backend
from tests.support.factories import run
from tests.support.server import ServerProcess, start_server
from tests.support.smtp import MailSink


@dataclass
class IsolatedServer:
    server: ServerProcess
    database_url: str


async def _postgres(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextmanager
def isolated_server(backend: Backend, mail: MailSink, secret_key: str, name: str) -> Iterator[IsolatedServer]:
    """Same engine as the run's backend, its own database, jobs run in-process (no shared Redis)."""
    workdir = Path(backend.workdir) / name
    workdir.mkdir(exist_ok=True)
    database = f"tenantry_{name}_{secrets.token_hex(4)}"
    if backend.name == "postgres":
        run(_postgres(f'CREATE DATABASE "{database}"'))
        url = urlparse(POSTGRES_ADMIN_URL)._replace(path=f"/{database}").geturl()
    else:
        url = f"sqlite:///{workdir}/{database}.sqlite3"
    env = {
        "TENANTRY_DATABASE_URL": url,
        "TENANTRY_SECRET_KEY": secret_key,
        "TENANTRY_SMTP_URL": mail.url,  # type: ignore[attr-defined]
        "TENANTRY_TRUSTED_PROXIES": "127.0.0.1",
        "TENANTRY_DEMO": "1",
    }
    server = start_server(env, str(workdir), name=name)
    try:
        yield IsolatedServer(server, url)
    finally:
        server.stop()
        if backend.name == "postgres":
            run(_postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
