"""One shape for every list a tenant can grow: a page of nodes, and the cursor to ask for the next."""

from typing import Annotated, Generic, TypeVar

import strawberry
from graphql import GraphQLError

from resolvers.pages import MAX_PAGE_SIZE, BadPageSize, Page, page_size

Node = TypeVar("Node")

First = Annotated[
    int, strawberry.argument(description=f"Page size, 1 to {MAX_PAGE_SIZE}; more is refused (BAD_PAGE_SIZE).")
]
After = Annotated[
    str | None, strawberry.argument(description="The endCursor of the page before; none for the first page.")
]


@strawberry.type
class PageInfo:
    end_cursor: str | None
    has_next_page: bool


@strawberry.type
class Connection(Generic[Node]):
    """Printed as `<Node>Connection`; `pageInfo.endCursor` goes in `after` for the next page."""

    nodes: list[Node]
    page_info: PageInfo


def connection(page: Page[Node]) -> Connection[Node]:
    return Connection(
        nodes=page.items, page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=page.has_next_page)
    )


def empty_connection() -> Connection[Node]:
    return Connection(nodes=[], page_info=PageInfo(end_cursor=None, has_next_page=False))


def checked_first(first: int) -> int:
    """Refuse a page size out of range before anything is read, with its own code."""
    try:
        return page_size(first)
    except BadPageSize as error:
        raise GraphQLError(
            error.message, extensions={"code": "BAD_PAGE_SIZE", "field": "first", "max": MAX_PAGE_SIZE}
        ) from error
