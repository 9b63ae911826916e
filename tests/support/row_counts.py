"""Counts the rows of every table, so a test can prove a refused request wrote nothing."""

from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.factories import run

# Written by background work on its own schedule (deliveries, their attempts, job bookkeeping),
# never by a request: counting them would make "nothing written" flaky, not stricter.
BACKGROUND_TABLES = {"job", "webhook_delivery", "webhook_attempt"}


def row_counts() -> dict[str, int]:
    """{table name: rows} for every Tenantry table a request can write."""
    from db.piccolo_app import TABLES

    async def count() -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in TABLES:
            name = str(table._meta.tablename)
            if name not in BACKGROUND_TABLES:
                counts[name] = int(await table.count())
        return counts

    return run(count())


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
