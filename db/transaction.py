"""One way to open a write transaction on either engine; inside another transaction, a savepoint."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from db.connection import engine

__all__ = ["engine", "for_update", "transaction"]


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """A transaction that takes SQLite's write lock up front, so concurrent writers queue, not fail.

    Opened inside another transaction it is a savepoint: its own writes are undone when it fails,
    while the outer transaction goes on (and still decides whether anything is committed).
    """
    db = engine()
    outer = db.current_transaction.get()
    if outer is not None:
        savepoint = await outer.savepoint()
        try:
            yield
        except BaseException:
            await savepoint.rollback_to()
            raise
        await savepoint.release()
        return
    opened = (
        db.transaction(transaction_type=TransactionType.immediate)
        if isinstance(db, SQLiteEngine)
        else db.transaction()
    )
    async with opened:
        yield


def for_update(query: Any) -> Any:
    """`SELECT … FOR UPDATE` on PostgreSQL; SQLite's immediate transactions already serialize writers."""
    return query if isinstance(engine(), SQLiteEngine) else query.lock_rows()
