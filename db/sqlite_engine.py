"""SQLite with one long-lived connection in the server process, shared by every query.

Piccolo's SQLiteEngine opens a new aiosqlite connection (and thread) for every query and every
transaction; under load those threads, and SQLite's busy-wait between competing writers, dominate
the server. The server opens one connection at start-up and serializes work on it with a lock:
statements outside transactions take the lock per statement, a transaction holds it from BEGIN to
COMMIT. Other processes (the CLI, tests) keep Piccolo's per-query connections. WAL mode lets
those processes read while the server writes.
"""

import asyncio
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory


class SharedConnectionTransaction(SQLiteTransaction):
    """A transaction on the engine's shared connection, holding its lock until it ends."""

    engine: "SharedConnectionSQLiteEngine"

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        await self.engine.lock.acquire()
        try:
            self.connection = self.engine.shared_connection()
            await self.begin()  # type: ignore[no-untyped-call]
        except BaseException:
            self.engine.lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()  # type: ignore[no-untyped-call]
            elif not self._committed and not self._rolled_back:
                await self.commit()  # type: ignore[no-untyped-call]
        finally:
            self.engine.current_transaction.reset(self.context)
            self.engine.lock.release()
        return exception is None


class SharedConnectionSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str) -> None:
        super().__init__(path=path, timeout=30)
        self._shared: aiosqlite.Connection | None = None
        self.lock = asyncio.Lock()

    async def open_shared_connection(self) -> None:
        """Called at the server's start-up."""
        connection = await aiosqlite.connect(**self.connection_kwargs)
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = 1")
        await connection.execute("PRAGMA busy_timeout = 30000")
        connection.row_factory = dict_factory  # type: ignore[assignment]
        self._shared = connection
        self.lock = asyncio.Lock()

    async def close_shared_connection(self) -> None:
        if self._shared is not None:
            await self._shared.close()
            self._shared = None

    def shared_connection(self) -> aiosqlite.Connection:
        if self._shared is None:
            raise RuntimeError("the shared SQLite connection is not open")
        return self._shared

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> SQLiteTransaction:
        if self._shared is None:
            return super().transaction(transaction_type=transaction_type, allow_nested=allow_nested)
        return SharedConnectionTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if self._shared is None:
            return await super()._run_in_new_connection(query, args, query_type, table)
        async with self.lock, self._shared.execute(query, args or []) as cursor:
            return await cursor.fetchall()
