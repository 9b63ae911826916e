"""An organization's SCIM directories: made, renamed, their bearer tokens issued, rotated with an
overlap and revoked, their group → role mappings set, deleted.

A token is shown once, when it is made, and kept only as its SHA-256. Rotating keeps the old token
working for an overlap, so the IdP can be switched to the new one without a failed push.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from db.directories import Directory, DirectoryGroup
from db.ids import new_id
from db.orgs import Membership, Organization, Role
from db.transaction import for_update, transaction
from resolvers import audit
from resolvers.authorization import require
from resolvers.clock import now
from resolvers.crypto import hash_token, random_token
from resolvers.directory_roles import recompute_directory_roles
from resolvers.directory_rows import (
    DIRECTORY_PROVIDERS,
    FEATURE,
    DirectoryRow,
    directory_row,
    load_directory,
)
from resolvers.errors import FeatureNotEnabled, InvalidInput, NotFound
from resolvers.names import clean_name
from resolvers.organization_lock import lock_organization
from resolvers.organizations import organization_features
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal, UserPrincipal
from resolvers.reauthentication import require_recent_sign_in_of_a_person
from resolvers.role_authority import RoleOutranksYou, require_authority

MAX_DIRECTORIES_PER_ORGANIZATION = 5
DIRECTORY_NAME_MAX = 120
MAX_GROUP_ROLES = 20
TOKEN_PREFIX = "scim_"  # noqa: S105 - a prefix, not a secret
DEFAULT_OVERLAP = dt.timedelta(hours=1)
MAX_OVERLAP = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A directory with the token just made for it: the only time the token is readable."""

    directory: DirectoryRow
    token: str


def scim_base_url(public_url: str, directory_id: str) -> str:
    """Where the directory's IdP sends its SCIM requests (host/scim.py serves it)."""
    return f"{public_url.rstrip('/')}/scim/v2/{directory_id}"


async def require_feature(organization_id: str) -> None:
    if FEATURE not in await organization_features(organization_id):
        raise FeatureNotEnabled("SCIM provisioning is not enabled for this organization.")


async def authorized_directory(principal: Principal, directory_id: str, permission: str) -> DirectoryRow:
    """A directory the principal may act on; another organization's reads exactly like a missing one."""
    found = await load_directory(directory_id)
    if found is None:
        raise NotFound("No such directory.")
    if isinstance(principal, UserPrincipal) and principal.organization_id != found.organization_id:
        raise NotFound("No such directory.")
    require(principal, permission, found.organization_id)
    await require_feature(found.organization_id)
    return found


async def managed_directory(principal: Principal, directory_id: str) -> DirectoryRow:
    found = await authorized_directory(principal, directory_id, "sk_org_scim_manage")
    await require_recent_sign_in_of_a_person(principal)
    return found


async def list_directories(
    principal: Principal, organization_id: str, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[DirectoryRow]:
    """In the order they were made."""
    require(principal, "sk_org_scim_read", organization_id)
    await require_feature(organization_id)
    query = Directory.select().where(Directory.organization == organization_id).output(load_json=True)
    page = await keyset_page(query, Directory.id, first=first, after=after)
    return page.map(directory_row)


def _provider(provider: str) -> str:
    if provider not in DIRECTORY_PROVIDERS:
        raise InvalidInput(f"No directory provider {provider!r}.", field="provider")
    return provider


def _directory_name(value: str) -> str:
    return clean_name(value, field="name", what="A directory name", max_length=DIRECTORY_NAME_MAX)


def _token_columns(moment: dt.datetime) -> tuple[str, dict[Any, Any]]:
    token = random_token(TOKEN_PREFIX)
    return token, {
        Directory.token_hash: hash_token(token),
        Directory.token_hint: token[-4:],
        Directory.token_created_at: moment,
    }


async def _grantable_role(principal: Principal, role_key: str, field: str) -> str:
    """A role the person setting up provisioning could give by hand."""
    role = await Role.select(Role.id).where(Role.key == role_key).first()
    if role is None:
        raise InvalidInput(f"No role {role_key!r}.", field=field)
    await require_authority(principal, new_role_id=str(role["id"]))
    return role_key


class OutranksDirectoryOperator(RoleOutranksYou):
    """A directory can suspend and re-role anyone in the organization, so whoever sets one up
    (or holds its token) must hold the authority of every role there."""


async def require_authority_over_everyone(principal: Principal, organization_id: str) -> None:
    """The actor holds every permission of every role in use in the organization, and the admin's."""
    roles = (
        await Membership.select(Membership.role).where(Membership.organization == organization_id).distinct()
    )
    admin = await Role.select(Role.id).where(Role.key == "admin").first()
    role_ids = {str(row["role"]) for row in roles} | ({str(admin["id"])} if admin else set())
    for role_id in sorted(role_ids):
        try:
            await require_authority(principal, current_role_id=role_id)
        except RoleOutranksYou as refusal:
            raise OutranksDirectoryOperator(
                "A directory can suspend and change the role of anyone here, so setting one up needs "
                "every permission an admin of this organization has.",
                missing=refusal.details.get("missing", []),
            ) from refusal


async def _announce(principal: Principal, action: str, found: DirectoryRow, **data: Any) -> None:
    """The audit row of a change to a directory (its token never appears)."""
    await audit.record(
        principal,
        action,
        target=("directory", found.id),
        organization_id=found.organization_id,
        data={"name": found.name, "provider": found.provider, **data},
    )


async def create_directory(
    principal: Principal,
    organization_id: str,
    *,
    provider: str,
    name: str | None = None,
) -> IssuedToken:
    """A directory with its first token; the IdP can push people as soon as it has both."""
    require(principal, "sk_org_scim_manage", organization_id)
    await require_feature(organization_id)
    await require_recent_sign_in_of_a_person(principal)
    await require_authority_over_everyone(principal, organization_id)
    provider = _provider(provider)
    cleaned = _directory_name(name if name is not None else DIRECTORY_PROVIDERS[provider])
    moment = now()
    directory_id = new_id("dir")
    token, token_columns = _token_columns(moment)
    async with transaction():
        if not await for_update(
            Organization.select(Organization.id).where(Organization.id == organization_id)
        ):
            raise NotFound("No such organization.")
        if await Directory.count().where(Directory.organization == organization_id) >= (
            MAX_DIRECTORIES_PER_ORGANIZATION
        ):
            raise InvalidInput(
                f"An organization can have up to {MAX_DIRECTORIES_PER_ORGANIZATION} directories; "
                "delete one first.",
                field="provider",
            )
        await Directory.insert(
            Directory(
                id=directory_id,
                organization=organization_id,
                name=cleaned,
                provider=provider,
                **{column._meta.name: value for column, value in token_columns.items()},
                created_at=moment,
                updated_at=moment,
            )
        )
        created = await load_directory(directory_id)
        assert created is not None  # noqa: S101 - inserted just above, in this transaction
        await _announce(principal, "directory.created", created)
    return IssuedToken(created, token)


async def _group_roles(
    principal: Principal, directory_id: str, pairs: list[tuple[str, str]]
) -> list[dict[str, str]]:
    """Roles by directory group: groups of this directory, each once, roles the actor could give."""
    if len(pairs) > MAX_GROUP_ROLES:
        raise InvalidInput(f"Map at most {MAX_GROUP_ROLES} groups to roles.", field="groupRoles")
    checked: list[dict[str, str]] = []
    for group_id, role_key in pairs:
        if any(pair["group_id"] == group_id for pair in checked):
            raise InvalidInput("A group is mapped twice.", field="groupRoles")
        if not await DirectoryGroup.exists().where(
            (DirectoryGroup.id == group_id) & (DirectoryGroup.directory == directory_id)
        ):
            raise InvalidInput(f"No group {group_id!r} in this directory.", field="groupRoles")
        checked.append(
            {"group_id": group_id, "role": await _grantable_role(principal, role_key, "groupRoles")}
        )
    return checked


async def update_directory(
    principal: Principal,
    directory_id: str,
    *,
    name: str | None = None,
    require_verified_domain: bool | None = None,
    deprovision_when_unmapped: bool | None = None,
    default_role: str | None = None,
    group_roles: list[tuple[str, str]] | None = None,
) -> DirectoryRow:
    """Change what a directory may do; a change of mapping recomputes its people's roles."""
    found = await managed_directory(principal, directory_id)
    await require_authority_over_everyone(principal, found.organization_id)
    changes: dict[Any, Any] = {}
    if name is not None:
        changes[Directory.name] = _directory_name(name)
    if require_verified_domain is not None:
        changes[Directory.require_verified_domain] = require_verified_domain
    if deprovision_when_unmapped is not None:
        changes[Directory.deprovision_when_unmapped] = deprovision_when_unmapped
    if default_role is not None:
        changes[Directory.default_role] = await _grantable_role(principal, default_role, "defaultRole")
    if group_roles is not None:
        changes[Directory.group_roles] = await _group_roles(principal, directory_id, group_roles)
    if not changes:
        return found
    changes[Directory.updated_at] = now()
    async with transaction():
        # SCIM writes apply the mapping under the organization's lock: a change waits for them
        await lock_organization(found.organization_id)
        if not await load_directory(directory_id, lock=True):
            raise NotFound("No such directory.")
        await Directory.update(changes).where(Directory.id == directory_id)
        updated = await load_directory(directory_id)
        assert updated is not None  # noqa: S101 - locked above, in this transaction
        if any(
            column in changes
            for column in (Directory.group_roles, Directory.default_role, Directory.deprovision_when_unmapped)
        ):
            await recompute_directory_roles(principal, updated)
        await _announce(
            principal, "directory.updated", updated, fields=sorted(str(c._meta.name) for c in changes)
        )
    return updated


async def rotate_token(
    principal: Principal, directory_id: str, *, overlap: dt.timedelta = DEFAULT_OVERLAP
) -> IssuedToken:
    """A new token; the current one keeps working for `overlap` (zero: it stops now)."""
    if not dt.timedelta(0) <= overlap <= MAX_OVERLAP:
        raise InvalidInput("The overlap is between 0 minutes and 7 days.", field="overlapMinutes")
    found = await managed_directory(principal, directory_id)
    await require_authority_over_everyone(principal, found.organization_id)
    moment = now()
    token, columns = _token_columns(moment)
    async with transaction():
        rows = await for_update(Directory.select(Directory.token_hash).where(Directory.id == directory_id))
        if not rows:
            raise NotFound("No such directory.")
        current = rows[0]["token_hash"]
        keep = current is not None and overlap > dt.timedelta(0)
        columns[Directory.previous_token_hash] = current if keep else None
        columns[Directory.previous_token_expires_at] = moment + overlap if keep else None
        columns[Directory.updated_at] = moment
        await Directory.update(columns).where(Directory.id == directory_id)
        updated = await load_directory(directory_id)
        assert updated is not None  # noqa: S101 - locked above, in this transaction
        await _announce(
            principal, "directory.token_rotated", updated, overlap_minutes=int(overlap.total_seconds() // 60)
        )
    return IssuedToken(updated, token)


async def revoke_token(principal: Principal, directory_id: str) -> DirectoryRow:
    """No token works any more (the previous one included): the IdP's pushes stop at once."""
    await managed_directory(principal, directory_id)
    async with transaction():
        await Directory.update(
            {
                Directory.token_hash: None,
                Directory.token_hint: "",
                Directory.token_created_at: None,
                Directory.previous_token_hash: None,
                Directory.previous_token_expires_at: None,
                Directory.updated_at: now(),
            }
        ).where(Directory.id == directory_id)
        updated = await load_directory(directory_id)
        if updated is None:
            raise NotFound("No such directory.")
        await _announce(principal, "directory.token_revoked", updated)
    return updated


async def delete_directory(principal: Principal, directory_id: str) -> DirectoryRow:
    """Gone with its users and groups; the people keep their memberships, their roles become
    hand-managed again."""
    found = await managed_directory(principal, directory_id)
    async with transaction():
        if not await load_directory(directory_id, lock=True):
            raise NotFound("No such directory.")
        await Membership.update({Membership.role_managed_by: None}).where(
            Membership.role_managed_by == directory_id
        )
        await Directory.delete().where(Directory.id == directory_id)  # users, groups, log: cascade
        await _announce(principal, "directory.deleted", found)
    return found


async def authenticate(directory_id: str, token: str) -> DirectoryRow | None:
    """The directory a SCIM request's bearer token opens, when it is this one; None otherwise.

    :raises FeatureNotEnabled: the token is right but the organization is not entitled to SCIM.
    """
    digest = hash_token(token)
    row = (
        await Directory.select(
            *Directory.all_columns(), Directory.organization.features.as_alias("organization_features")
        )
        .where(
            (Directory.id == directory_id)
            & ((Directory.token_hash == digest) | (Directory.previous_token_hash == digest))
        )
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    if row["token_hash"] != digest and (
        row["previous_token_expires_at"] is None or row["previous_token_expires_at"] <= now()
    ):
        return None
    if FEATURE not in (row.pop("organization_features") or []):
        raise FeatureNotEnabled("SCIM provisioning is not enabled for this organization.")
    return directory_row(row)


TOUCH_EVERY = dt.timedelta(minutes=1)


async def touch(directory: DirectoryRow) -> None:
    """Remember when the IdP last called, at most once a minute (a write per request would cost
    every poll a transaction)."""
    moment = now()
    if directory.last_request_at is not None and moment - directory.last_request_at < TOUCH_EVERY:
        return
    await Directory.update({Directory.last_request_at: moment}).where(Directory.id == directory.id)
