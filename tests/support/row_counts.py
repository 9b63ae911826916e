"""Counts the rows of every table, so a test can prove a refused request wrote nothing."""

import asyncio
import os
import sqlite3
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from tests.support.factories import in_test_transaction, run

# Written by background work on its own schedule (deliveries, their attempts, job bookkeeping),
# never by a request: counting them would make "nothing written" flaky, not stricter.
BACKGROUND_TABLES = {"job", "webhook_delivery", "webhook_attempt"}
T = TypeVar("T")


def counted_tables() -> list[str]:
    from db.piccolo_app import TABLES

    names = [str(table._meta.tablename) for table in TABLES]
    return [name for name in names if name not in BACKGROUND_TABLES]


def _count_query(tables: list[str]) -> str:
    return "SELECT " + ", ".join(f'(SELECT COUNT(*) FROM "{t}") AS "{t}"' for t in tables)  # noqa: S608


def row_counts(database_url: str | None = None) -> dict[str, int]:
    """{table: rows} for every table a request can write, in one query; the run's database by
    default, or another server's."""
    tables = counted_tables()
    query = _count_query(tables)
    if database_url is None and in_test_transaction():
        return run(_count_in_test_transaction(query, tables))
    url = database_url or os.environ["TENANTRY_DATABASE_URL"]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            row = connection.execute(query).fetchone()
        return {table: int(value) for table, value in zip(tables, row, strict=True)}
    return run(_count_postgres(url, query, tables))


async def _count_in_test_transaction(query: str, tables: list[str]) -> dict[str, int]:
    """Counted in the test's own transaction, the only place its uncommitted writes show."""
    from db.orgs import Organization

    (row,) = await Organization.raw(query)
    return {table: int(row[table]) for table in tables}


async def _count_postgres(url: str, query: str, tables: list[str]) -> dict[str, int]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        row = await connection.fetchrow(query)
    finally:
        await connection.close()
    return {table: int(row[table]) for table in tables}


class RowCounter:
    """row_counts() for many examples in a row: on PostgreSQL one connection on one event loop
    thread, since connecting for every count costs more than the request being checked."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.tables = counted_tables()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.connection: Any = None
        if not database_url.startswith("sqlite"):
            import asyncpg

            self.loop = asyncio.new_event_loop()
            self.thread = threading.Thread(target=self._serve, args=(self.loop,), daemon=True)
            self.thread.start()
            self.connection = self._call(asyncpg.connect(database_url))

    @staticmethod
    def _serve(loop: asyncio.AbstractEventLoop) -> None:
        loop.run_forever()
        loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def counts(self) -> dict[str, int]:
        if self.connection is None:
            return row_counts(self.database_url)
        row = self._call(self.connection.fetchrow(_count_query(self.tables)))
        return {table: int(row[table]) for table in self.tables}

    def close(self) -> None:
        if self.loop is not None and self.thread is not None:
            self._call(self.connection.close())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)


def written(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Tables whose row count changed, with the change."""
    return {name: after[name] - before[name] for name in before if after[name] != before[name]}


@contextmanager
def nothing_written() -> Iterator[None]:
    """Fails the test when any table gained or lost rows inside the block."""
    before = row_counts()
    yield
    changed = written(before, row_counts())
    assert changed == {}, f"a refused request wrote rows: {changed}"
