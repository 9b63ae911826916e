"""Reads a connection to its end, one page at a time, checking each page says what comes next."""

from typing import Any

from tests.support.graphql import error_codes


def every_page(call: Any, path: tuple[str, ...], **variables: Any) -> list[list[dict[str, Any]]]:
    pages, after = [], None
    while True:
        body = call(after=after, **variables)
        assert error_codes(body) == [], body
        found = body["data"]
        for key in path:
            found = found[key]
        pages.append(found["nodes"])
        if not found["pageInfo"]["hasNextPage"]:
            return pages
        after = found["pageInfo"]["endCursor"]
        assert after, "a page with more after it names its cursor"
