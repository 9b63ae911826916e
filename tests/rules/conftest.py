"""The in-process tier: domain rules proven through `schema.execute`, each test rolled back.

No server: the database is migrated here once per session, on one event loop of its own thread.
Every test runs inside an outer transaction, on one connection kept for the session, that is
rolled back at its end; the resolvers' own transactions become savepoints inside it
(db/transaction.py), so a failing resolver still undoes its partial writes. Factories
(tests/support/factories.py) and the callers (tests/support/in_process.py) run in the same
transaction. A module-scoped fixture runs outside any test, so what it makes is committed and
shared by the module's tests (the permission matrix's world).
"""

import asyncio
import contextvars
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from resolvers.deployment import Deployment
from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.factories import make_app, running_through
from tests.support.in_process import (
    InProcessCaller,
    SignedIn,
    anonymous_caller,
    integrator_caller,
    sign_in,
    this_tiers_deployment,
)
from tests.support.session_loop import SessionLoop

Run = Callable[[Coroutine[Any, Any, Any]], Any]


@asynccontextmanager
async def database() -> AsyncIterator[Any]:
    """The test process's Piccolo engine, for the session: the one place that knows how it is made.

    Bound by tests/conftest.py with a connection per query (no pool: the factories of the HTTP
    tier run on loops of their own); each test here takes the one connection of `migrated`.
    """
    from db.connection import engine

    yield engine()


@pytest.fixture(scope="session")
def session_loop() -> Iterator[SessionLoop]:
    loop = SessionLoop()
    yield loop
    loop.close()


class SerializedConnection:
    """asyncpg allows one statement at a time per connection; GraphQL resolves sibling fields
    concurrently, which in production go to separate pooled connections. Here they take turns."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection
        self._turn = asyncio.Lock()

    async def fetch(self, *args: Any) -> Any:
        async with self._turn:
            return await self._connection.fetch(*args)

    async def execute(self, *args: Any) -> Any:
        async with self._turn:
            return await self._connection.execute(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class TestDatabase:
    """The migrated database and one connection to it for the whole session: each test's
    transaction begins and ends on it (connecting per test would cost more than most tests)."""

    def __init__(self, engine: Any, connection: Any) -> None:
        from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
        from piccolo.engine.sqlite import SQLiteTransaction

        self.engine = engine
        self.connection = connection
        self.is_postgres = isinstance(engine, PostgresEngine)
        base: Any = PostgresTransaction if self.is_postgres else SQLiteTransaction

        class OnTheSessionConnection(base):  # type: ignore[misc]
            async def get_connection(self) -> Any:
                return connection

        self.transaction_class = OnTheSessionConnection

    def transaction(self) -> Any:
        from piccolo.engine.sqlite import TransactionType

        if self.is_postgres:
            return self.transaction_class(engine=self.engine)
        # the write lock up front: the HTTP tier's server may share the database file
        return self.transaction_class(engine=self.engine, transaction_type=TransactionType.immediate)


@pytest.fixture(scope="session")
def migrated(backend: Backend, session_loop: SessionLoop) -> Iterator[TestDatabase]:
    """The backend's database, migrated and seeded as the server's start-up does (idempotent)."""
    from db.migrate import migrate
    from resolvers.seed import seed_environment
    from resolvers.signing_keys import ensure_signing_keys

    opened = database()
    context = contextvars.Context()

    async def open_and_prepare() -> TestDatabase:
        engine = await opened.__aenter__()
        await migrate()
        await seed_environment()
        await ensure_signing_keys(SECRET_KEY)
        from piccolo.engine.postgres import PostgresEngine

        if isinstance(engine, PostgresEngine):
            return TestDatabase(engine, SerializedConnection(await engine.get_new_connection()))
        return TestDatabase(engine, await engine.get_connection())

    database_for_tests = session_loop.run(open_and_prepare(), context)
    yield database_for_tests

    async def close() -> None:
        await database_for_tests.connection.close()
        await opened.__aexit__(None, None, None)

    session_loop.run(close(), context)


class RolledBackTest:
    """One test's context and outer transaction; every coroutine of the test runs inside them."""

    def __init__(self, loop: SessionLoop, database: TestDatabase) -> None:
        self.loop = loop
        self.database = database
        self.context = contextvars.Context()
        self.transaction: Any = None

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run(coroutine, self.context)

    async def begin(self) -> None:
        self.transaction = self.database.transaction()
        await self.transaction.__aenter__()

    async def roll_back(self) -> None:
        """Roll back and leave the transaction, keeping the session's connection open."""
        try:
            await self.transaction.rollback()
        finally:
            self.database.engine.current_transaction.reset(self.transaction.context)


def forget_process_caches() -> None:
    """Caches that may hold rows a rolled-back test wrote."""
    from resolvers.applications import _client_cache
    from resolvers.environment_settings import forget_environment_settings

    forget_environment_settings()
    _client_cache.clear()


@pytest.fixture(autouse=True)
def rolled_back(
    migrated: TestDatabase, session_loop: SessionLoop, deployment: Deployment
) -> Iterator[RolledBackTest]:
    test = RolledBackTest(session_loop, migrated)
    forget_process_caches()
    test.run(test.begin())
    try:
        with running_through(test.run):
            yield test
    finally:
        test.run(test.roll_back())
        forget_process_caches()


@pytest.fixture
def deployment() -> Iterator[Deployment]:
    """Resolvers' deployment for one test (a module may override it, e.g. with a DNS server)."""
    with this_tiers_deployment(SECRET_KEY) as ours:
        yield ours


@pytest.fixture
def run(rolled_back: RolledBackTest) -> Run:
    """Runs a coroutine inside this test's transaction."""
    return rolled_back.run


@pytest.fixture
def integrator(rolled_back: RolledBackTest) -> InProcessCaller:
    """The app's backend: a client_credentials application with tenantry:manage."""
    return integrator_caller(make_app(grant_types=["client_credentials"]).client_id)


@pytest.fixture
def anonymous(rolled_back: RolledBackTest) -> InProcessCaller:
    return anonymous_caller()


@pytest.fixture
def signed_in(rolled_back: RolledBackTest) -> Callable[[str], SignedIn]:
    """Signs a person in by email address: `signed_in(email).portal()` or `.app()`."""
    return sign_in
