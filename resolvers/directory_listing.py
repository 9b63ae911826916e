"""What an admin reads of a directory: the users and groups its IdP pushed, a page at a time, and
how many of each. Counts and group sizes come for a whole page in one query, never one per row."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from db.directories import DirectoryGroup, DirectoryGroupMember, DirectoryUser
from resolvers import directories
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal

SEARCH_MAX = 200


@dataclass(frozen=True, slots=True)
class DirectoryUserRow:
    id: str
    user_name: str
    email: str
    display_name: str | None
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DirectoryGroupRow:
    id: str
    display_name: str
    member_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DirectoryCounts:
    users: int
    groups: int


def contains_text(columns: Sequence[Column], search: str | None) -> WhereRaw | None:
    """Rows where any of `columns` contains `search`, without case; None for a blank search.

    The search is text, never a pattern: LIKE's wildcards and escape in it are escaped, with an
    ESCAPE clause both SQLite and PostgreSQL read the same way.
    """
    needle = (search or "").strip().lower()[:SEARCH_MAX]
    if not needle:
        return None
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    clause = " OR ".join(
        f"lower(\"{column._meta.db_column_name}\") LIKE {{}} ESCAPE '\\'" for column in columns
    )
    return WhereRaw(f"({clause})", *[f"%{escaped}%"] * len(columns))


_USER_COLUMNS = (
    DirectoryUser.id,
    DirectoryUser.user_name,
    DirectoryUser.email,
    DirectoryUser.display_name,
    DirectoryUser.active,
    DirectoryUser.created_at,
    DirectoryUser.updated_at,
)


def _user_row(row: dict[str, Any]) -> DirectoryUserRow:
    return DirectoryUserRow(
        id=row["id"],
        user_name=row["user_name"],
        email=row["email"],
        display_name=row["display_name"],
        active=row["active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def list_users(
    principal: Principal,
    directory_id: str,
    *,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
    search: str | None = None,
) -> Page[DirectoryUserRow]:
    """In the order the IdP created them; `search` matches userName, email or displayName."""
    await directories.authorized_directory(principal, directory_id, "sk_org_scim_read")
    query = DirectoryUser.select(*_USER_COLUMNS).where(DirectoryUser.directory == directory_id)
    matching = contains_text(
        (DirectoryUser.user_name_key, DirectoryUser.email, DirectoryUser.display_name_key), search
    )
    if matching is not None:
        query = query.where(matching)
    page = await keyset_page(query, DirectoryUser.id, first=first, after=after)
    return page.map(_user_row)


async def member_counts(group_ids: Iterable[str]) -> dict[str, int]:
    """How many users each group has, for a page of groups in one query."""
    wanted = list(group_ids)
    counts = dict.fromkeys(wanted, 0)
    if not wanted:
        return counts
    rows = (
        await DirectoryGroupMember.select(DirectoryGroupMember.group, Count(alias="total"))
        .where(DirectoryGroupMember.group.is_in(wanted))
        .group_by(DirectoryGroupMember.group)
    )
    counts.update({row["group"]: int(row["total"]) for row in rows})
    return counts


def _group_rows(rows: list[dict[str, Any]], counts: dict[str, int]) -> list[DirectoryGroupRow]:
    return [
        DirectoryGroupRow(
            id=row["id"],
            display_name=row["display_name"],
            member_count=counts.get(row["id"], 0),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
        for row in rows
    ]


_GROUP_COLUMNS = (
    DirectoryGroup.id,
    DirectoryGroup.display_name,
    DirectoryGroup.created_at,
    DirectoryGroup.updated_at,
)


async def list_groups(
    principal: Principal,
    directory_id: str,
    *,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
    search: str | None = None,
) -> Page[DirectoryGroupRow]:
    """In the order the IdP created them, each with its member count; `search` matches displayName."""
    await directories.authorized_directory(principal, directory_id, "sk_org_scim_read")
    query = DirectoryGroup.select(*_GROUP_COLUMNS).where(DirectoryGroup.directory == directory_id)
    matching = contains_text((DirectoryGroup.display_name_key,), search)
    if matching is not None:
        query = query.where(matching)
    page = await keyset_page(query, DirectoryGroup.id, first=first, after=after)
    counts = await member_counts(row["id"] for row in page.items)
    return Page(_group_rows(page.items, counts), page.end_cursor, page.has_next_page)


async def groups_by_id(group_ids: Iterable[str]) -> dict[str, DirectoryGroupRow]:
    """The groups a page of directories maps to roles, with their member counts (two queries)."""
    wanted = sorted(set(group_ids))
    if not wanted:
        return {}
    rows = await DirectoryGroup.select(*_GROUP_COLUMNS).where(DirectoryGroup.id.is_in(wanted))
    counts = await member_counts(row["id"] for row in rows)
    return {group.id: group for group in _group_rows(rows, counts)}


async def _counted(
    table: type[DirectoryUser] | type[DirectoryGroup], directory_ids: list[str]
) -> dict[str, int]:
    rows = (
        await table.select(table.directory, Count(alias="total"))
        .where(table.directory.is_in(directory_ids))
        .group_by(table.directory)
    )
    return {row["directory"]: int(row["total"]) for row in rows}


async def directory_counts(directory_ids: Iterable[str]) -> dict[str, DirectoryCounts]:
    """Users and groups of a page of directories: one query for each, whatever the page size."""
    wanted = sorted(set(directory_ids))
    if not wanted:
        return {}
    users = await _counted(DirectoryUser, wanted)
    groups = await _counted(DirectoryGroup, wanted)
    return {
        directory_id: DirectoryCounts(users=users.get(directory_id, 0), groups=groups.get(directory_id, 0))
        for directory_id in wanted
    }
