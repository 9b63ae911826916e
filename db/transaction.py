"""One way to open a write transaction on either engine."""

from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from db.connection import engine

__all__ = ["engine", "for_update", "transaction"]


def transaction() -> Any:
    """A transaction that takes SQLite's write lock up front, so concurrent writers queue, not fail."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


def for_update(query: Any) -> Any:
    """`SELECT … FOR UPDATE` on PostgreSQL; SQLite's immediate transactions already serialize writers."""
    return query if isinstance(engine(), SQLiteEngine) else query.lock_rows()
