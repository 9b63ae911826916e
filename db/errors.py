"""What the database refused, in terms both engines share."""

import sqlite3

from asyncpg.exceptions import UniqueViolationError


def is_unique_violation(error: BaseException) -> bool:
    """A unique index refused the write: another row holds the value (often a racing request)."""
    if isinstance(error, UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error).upper()
