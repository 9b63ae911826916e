"""One way to open a write transaction on either engine."""

from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from db.piccolo_conf import DB


def transaction() -> Any:
    """A transaction that takes SQLite's write lock up front, so concurrent writers queue, not fail."""
    if isinstance(DB, SQLiteEngine):
        return DB.transaction(transaction_type=TransactionType.immediate)
    return DB.transaction()


def engine() -> Any:
    return DB


def for_update(query: Any) -> Any:
    """`SELECT … FOR UPDATE` on PostgreSQL; SQLite's immediate transactions already serialize writers."""
    return query if isinstance(DB, SQLiteEngine) else query.lock_rows()
