"""Directory rows written straight from SCIM resources, through resolvers/scim_resources, and read
back as the resources the SCIM service returns: what filter and sort tests search."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from db.directories import (
    Directory,
    DirectoryGroup,
    DirectoryGroupMember,
    DirectoryUser,
    DirectoryUserEmail,
)
from db.ids import new_id
from db.orgs import Organization
from db.users import User
from resolvers.scim_resources import folded, group_columns, group_resource, user_columns, user_resource

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Tenant:
    """A directory of its own organization, and people its users can be linked to."""

    organization_id: str
    directory_id: str
    people: tuple[str, ...]  # tenantry_user ids, one per directory user at most


@dataclass(frozen=True, slots=True)
class Timed:
    """A resource to store, with the times its row says it was created and last changed."""

    resource: Any
    created_at: dt.datetime = EPOCH
    updated_at: dt.datetime = EPOCH


async def make_tenant(name: str, people: int) -> Tenant:
    """An organization with one directory and `people` Tenantry users (committed by the caller)."""
    now = dt.datetime.now(dt.UTC)
    organization_id, directory_id = new_id("org"), new_id("dir")
    await Organization.insert(Organization(id=organization_id, name=name, created_at=now, updated_at=now))
    await Directory.insert(
        Directory(
            id=directory_id,
            organization=organization_id,
            name=name,
            provider="generic",
            created_at=now,
            updated_at=now,
        )
    )
    ids = tuple(new_id("usr") for _ in range(people))
    await User.insert(
        *(User(id=user_id, email=f"{user_id}@people.test", created_at=now, updated_at=now) for user_id in ids)
    )
    return Tenant(organization_id, directory_id, ids)


async def insert_users(tenant: Tenant, users: Sequence[Timed]) -> list[str]:
    """One directory_user (with its emails) per resource, each linked to the next person."""
    if len(users) > len(tenant.people):
        raise ValueError(f"{tenant.directory_id} has only {len(tenant.people)} people to link to")
    rows: list[DirectoryUser] = []
    emails: list[DirectoryUserEmail] = []
    ids: list[str] = []
    for person, timed in zip(tenant.people, users, strict=False):
        columns = user_columns(timed.resource)
        user_id = timed.resource.id or new_id("dus")
        ids.append(user_id)
        rows.append(
            DirectoryUser(
                id=user_id,
                directory=tenant.directory_id,
                user=person,
                link_key=f"{tenant.organization_id}:{person}",
                user_name=columns.user_name,
                user_name_key=columns.user_name_key,
                unique_name=f"{tenant.directory_id}:{columns.user_name_key}",
                external_id=columns.external_id,
                display_name=columns.display_name,
                display_name_key=folded(columns.display_name),
                given_name=columns.given_name,
                given_name_key=folded(columns.given_name),
                family_name=columns.family_name,
                family_name_key=folded(columns.family_name),
                email=columns.address or "",
                active=columns.active,
                resource=columns.stored,
                created_at=timed.created_at,
                updated_at=timed.updated_at,
            )
        )
        emails.extend(
            DirectoryUserEmail(
                id=new_id("dem"),
                directory_user=user_id,
                value=entry.value,
                value_key=folded(entry.value),
                type=entry.type,
                primary=entry.primary,
            )
            for entry in columns.emails
        )
    if rows:
        await DirectoryUser.insert(*rows)
    if emails:
        await DirectoryUserEmail.insert(*emails)
    return ids


async def insert_groups(tenant: Tenant, groups: Sequence[Timed]) -> list[str]:
    """One directory_group per resource, its members (directory user ids) included."""
    rows: list[DirectoryGroup] = []
    members: list[DirectoryGroupMember] = []
    ids: list[str] = []
    for timed in groups:
        columns = group_columns(timed.resource)
        group_id = timed.resource.id or new_id("dgr")
        ids.append(group_id)
        rows.append(
            DirectoryGroup(
                id=group_id,
                directory=tenant.directory_id,
                display_name=columns.display_name,
                display_name_key=columns.display_name_key,
                external_id=columns.external_id,
                created_at=timed.created_at,
                updated_at=timed.updated_at,
            )
        )
        members.extend(
            DirectoryGroupMember(id=f"{group_id}:{user_id}", group=group_id, directory_user=user_id)
            for user_id in columns.member_ids
        )
    if rows:
        await DirectoryGroup.insert(*rows)
    if members:
        await DirectoryGroupMember.insert(*members)
    return ids


async def read_users(directory_id: str) -> list[Any]:
    """The directory's users as the SCIM service returns them (groups and meta included)."""
    rows = await DirectoryUser.select().where(DirectoryUser.directory == directory_id).output(load_json=True)
    memberships = await DirectoryGroupMember.select(
        DirectoryGroupMember.directory_user,
        DirectoryGroupMember.group,
        DirectoryGroupMember.group.display_name,
    ).where(DirectoryGroupMember.group.directory == directory_id)
    groups: dict[str, list[tuple[str, str]]] = {}
    for member in memberships:
        groups.setdefault(member["directory_user"], []).append(
            (member["group"], member["group.display_name"])
        )
    return [user_resource(row, sorted(groups.get(row["id"], []))) for row in rows]


async def read_groups(directory_id: str) -> list[Any]:
    """The directory's groups as the SCIM service returns them."""
    rows = await DirectoryGroup.select().where(DirectoryGroup.directory == directory_id)
    memberships = await DirectoryGroupMember.select(
        DirectoryGroupMember.group, DirectoryGroupMember.directory_user
    ).where(DirectoryGroupMember.group.directory == directory_id)
    members: dict[str, list[tuple[str, str]]] = {}
    for member in memberships:
        members.setdefault(member["group"], []).append((member["directory_user"], ""))
    return [group_resource(row, sorted(members.get(row["id"], []))) for row in rows]
