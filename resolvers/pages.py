"""Keyset pages: every list a tenant can grow is read a bounded page at a time.

A page is ordered by one unique column (ids are ULID-shaped, so id order is creation order) and
continues strictly after the last key of the page before, so a page costs one indexed query
whatever the list's length, and rows added meanwhile never shift what the next page shows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from resolvers.errors import InvalidInput

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50

Item = TypeVar("Item")
Other = TypeVar("Other")


class BadPageSize(InvalidInput):
    code = "bad_page_size"


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    items: list[Item]
    end_cursor: str | None
    has_next_page: bool

    def map(self, shape: Callable[[Item], Other]) -> "Page[Other]":
        return Page([shape(item) for item in self.items], self.end_cursor, self.has_next_page)


def page_size(first: int) -> int:
    """`first` as asked, or a refusal: a silent clamp would hide that the caller missed items."""
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadPageSize(
            f"Ask for between 1 and {MAX_PAGE_SIZE} items a page (first: {first}); "
            "follow pageInfo.endCursor for more.",
            field="first",
        )
    return first


async def keyset_page(
    query: Any,
    key: Any,
    *,
    first: int,
    after: str | None,
    newest_first: bool = False,
    key_name: str = "id",
) -> Page[dict[str, Any]]:
    """One page of a Piccolo select ordered by the unique column `key` (named `key_name` in its rows)."""
    size = page_size(first)
    if after:
        query = query.where(key < after if newest_first else key > after)
    rows: list[dict[str, Any]] = await query.order_by(key, ascending=not newest_first).limit(size + 1)
    shown = rows[:size]
    return Page(
        items=shown,
        end_cursor=str(shown[-1][key_name]) if shown else None,
        has_next_page=len(rows) > size,
    )
