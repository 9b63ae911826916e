"""Session-wide real parts: a database, an SMTP server, the Tenantry server (and arq worker)."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.backend import (
    Backend,
    choose_backend,
    create_postgres_database,
    drop_postgres_database,
)

BACKEND: Backend = choose_backend()
SECRET_KEY = "tenantry-test-secret-key-0123456789abcdef"
CLOCK_FILE = str(Path(BACKEND.workdir) / "clock-offset")

# The test process talks to the same database as the server it starts (a connection per query:
# set-up runs each call on an event loop of its own), and the processes tests start inherit both.
os.environ["TENANTRY_DATABASE_URL"] = BACKEND.database_url
os.environ["TENANTRY_TEST_CLOCK_FILE"] = CLOCK_FILE

from db.connection import bind  # noqa: E402
from resolvers.clock import shift_by as shift_clock_by  # noqa: E402

shift_clock_by(CLOCK_FILE)  # this process's own resolver calls read the same clock

from tests.support.dns_server import LoopbackDns, start_dns_server  # noqa: E402
from tests.support.factories import run  # noqa: E402
from tests.support.graphql import GraphQLCaller  # noqa: E402
from tests.support.server import ServerProcess, free_port, start_process, start_server, tenantry_env  # noqa: E402
from tests.support.smtp import MailSink, start_smtp_server  # noqa: E402

if BACKEND.name == "postgres" and not BACKEND.unavailable:
    run(create_postgres_database(BACKEND))
bind(BACKEND.database_url)  # after the database exists: Piccolo's PostgreSQL engine asks its version


def pytest_report_header() -> list[str]:
    line = f"tenantry backend: {BACKEND.name} ({BACKEND.database_url})"
    if BACKEND.redis_url:
        line += f", jobs on arq/{BACKEND.redis_url}"
    return [line]


@pytest.fixture(scope="session")
def backend() -> Backend:
    if BACKEND.unavailable:
        if os.environ.get("CI"):
            pytest.fail(f"{BACKEND.name} backend: {BACKEND.unavailable} (CI must have it)")
        pytest.skip(f"{BACKEND.name} backend: {BACKEND.unavailable}")
    return BACKEND


def pytest_sessionfinish() -> None:
    if BACKEND.name == "postgres" and not BACKEND.unavailable:
        run(drop_postgres_database(BACKEND))


@pytest.fixture(scope="session")
def mail() -> Iterator[MailSink]:
    controller, sink = start_smtp_server(free_port())
    sink.url = f"smtp://127.0.0.1:{controller.port}"  # type: ignore[attr-defined]
    yield sink
    controller.stop()


def server_env(backend: Backend, mail: MailSink, **extra: str) -> dict[str, str]:
    env = {
        "TENANTRY_DATABASE_URL": backend.database_url,
        "TENANTRY_SECRET_KEY": SECRET_KEY,
        "TENANTRY_SMTP_URL": mail.url,  # type: ignore[attr-defined]
        "TENANTRY_TRUSTED_PROXIES": "127.0.0.1",
        "TENANTRY_TEST_CLOCK_FILE": CLOCK_FILE,
        "TENANTRY_DEMO": "1",
        # Anonymous GraphQL requests in tests all come from the loopback address: give it room.
        # The per-address limits themselves are proven on a server of their own
        # (tests/host/test_graphql_rate_limits.py); people and integrators keep the defaults.
        "TENANTRY_RATE_GRAPHQL_PER_ADDRESS": "1000000",
        "TENANTRY_GRAPHQL_COST_PER_ADDRESS": "1000000000",
    }
    if backend.redis_url:
        env["TENANTRY_REDIS_URL"] = backend.redis_url
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def dns_server() -> Iterator[LoopbackDns]:
    """An authoritative DNS server on loopback whose TXT records tests publish and remove."""
    started = start_dns_server()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def server(backend: Backend, mail: MailSink, dns_server: LoopbackDns) -> Iterator[ServerProcess]:
    """The server under test; with PostgreSQL, also a real `tenantry worker` on Redis."""
    base_env = server_env(backend, mail, TENANTRY_DNS_NAMESERVERS=dns_server.nameserver)
    process = start_server(base_env, backend.workdir)
    os.environ["TENANTRY_PUBLIC_URL"] = process.url
    from resolvers.deployment import Deployment
    from tests.support.deployment import record_server_deployment

    record_server_deployment(
        Deployment(public_url=process.url, secret_key=SECRET_KEY, dns_nameservers=(dns_server.nameserver,))
    )
    worker = None
    if backend.redis_url:
        env = tenantry_env({**base_env, "TENANTRY_PUBLIC_URL": process.url})
        worker = start_process(["worker"], env, Path(backend.workdir) / "worker.log")
    yield process
    if worker is not None:
        worker.terminate()
        worker.wait(timeout=10)
    process.stop()


@pytest.fixture
def integrator(server: ServerProcess) -> Iterator[GraphQLCaller]:
    """The app's backend: a client_credentials token with tenantry:manage, over GraphQL."""
    caller = GraphQLCaller.as_integrator(server.url)
    yield caller
    caller.http.close()


@pytest.fixture
def clock() -> Iterator["Clock"]:
    """Moves the server's clock forward; reset after each test."""
    moved = Clock()
    yield moved
    moved.reset()


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def advance(self, seconds: float) -> None:
        self.offset += seconds
        Path(CLOCK_FILE).write_text(str(self.offset))

    def reset(self) -> None:
        if self.offset:
            self.offset = 0.0
            Path(CLOCK_FILE).write_text("0")
