"""Who belongs to which organization, with which role, and what that role allows."""

from dataclasses import dataclass, replace
from typing import Any

from db.ids import new_id
from db.orgs import Membership, MembershipRemoval, Role, RolePermission
from db.transaction import transaction
from db.users import User
from resolvers import audit, events
from resolvers.clock import now
from resolvers.errors import Conflict, Forbidden, NotFound
from resolvers.events import membership_payload
from resolvers.organization_lock import lock_organization
from resolvers.pages import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, keyset_page
from resolvers.permissions import effective_permissions
from resolvers.principal import Principal, UserPrincipal


@dataclass(frozen=True, slots=True)
class OrganizationAccess:
    """A user's standing in one organization: what goes into tokens as org_id, roles, permissions
    (effective ones: a `_manage` permission brings its `_read`)."""

    organization_id: str
    organization_name: str
    roles: tuple[str, ...]
    permissions: tuple[str, ...]


async def active_organizations(user_id: str, *, limit: int = MAX_PAGE_SIZE) -> list[dict[str, Any]]:
    """The first `limit` organizations where the user's membership is active, oldest first."""
    page = await organization_choices(user_id, first=limit)
    return page.items


async def organization_choices(
    user_id: str, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None, only: str | None = None
) -> Page[dict[str, Any]]:
    """A page of the organizations where the user is an active member (or just `only`), oldest
    membership first; the cursor is the membership's id, the items are `{id, name}`."""
    where = (Membership.user == user_id) & (Membership.status == "active")
    if only is not None:
        where &= Membership.organization == only
    query = Membership.select(
        Membership.id,
        Membership.organization.id.as_alias("organization_id"),
        Membership.organization.name.as_alias("name"),
    ).where(where)
    page = await keyset_page(query, Membership.id, first=first, after=after)
    return page.map(lambda row: {"id": row["organization_id"], "name": row["name"]})


async def organization_access(user_id: str, organization_id: str) -> OrganizationAccess | None:
    """The active membership's role and permissions, or None when the user is not an active member."""
    row = (
        await Membership.select(
            Membership.organization.name.as_alias("organization_name"),
            Membership.role.id.as_alias("role_id"),
            Membership.role.key.as_alias("role_key"),
        )
        .where(
            (Membership.user == user_id)
            & (Membership.organization == organization_id)
            & (Membership.status == "active")
        )
        .first()
    )
    if row is None:
        return None
    permissions = await (
        RolePermission.select(RolePermission.permission.key)
        .where(RolePermission.role == row["role_id"])
        .output(as_list=True)
    )
    return OrganizationAccess(
        organization_id=organization_id,
        organization_name=row["organization_name"],
        roles=(row["role_key"],),
        permissions=tuple(sorted(effective_permissions(permissions))),
    )


async def add_member(
    principal: Principal,
    *,
    organization_id: str,
    user_id: str,
    role_key: str,
    source: str = "integrator",
) -> str:
    """Add an active member; only integrators and the operator add members directly."""
    if isinstance(principal, UserPrincipal):
        raise Forbidden("Members join through invitations.")
    async with transaction():
        role_id = await Role.select(Role.id).where(Role.key == role_key).first()
        if role_id is None:
            raise NotFound(f"No role {role_key!r}.", field="role")
        if not await lock_organization(organization_id):
            raise NotFound(f"No organization {organization_id}.", field="organization")
        if not await User.exists().where(User.id == user_id):
            raise NotFound(f"No user {user_id}.", field="user")
        if await Membership.exists().where(
            (Membership.user == user_id) & (Membership.organization == organization_id)
        ):
            raise Conflict("That user is already a member of this organization.")
        moment = now()
        membership_id = new_id("mem")
        await MembershipRemoval.delete().where(  # added again: a past removal no longer stands
            MembershipRemoval.id == f"{organization_id}:{user_id}"
        )
        await Membership.insert(
            Membership(
                id=membership_id,
                user=user_id,
                organization=organization_id,
                role=role_id["id"],
                status="active",
                source=source,
                created_at=moment,
                updated_at=moment,
            )
        )
        await audit.record(
            principal,
            "membership.created",
            target=("membership", membership_id),
            organization_id=organization_id,
            data={"user_id": user_id, "role": role_key},
        )
        await events.emit(
            "membership.created",
            {"membership": membership_payload(membership_id, user_id, organization_id, role_key)},
            organization_id=organization_id,
        )
    return membership_id


def _within(permissions: list[str] | tuple[str, ...], ceiling: frozenset[str] | None) -> frozenset[str]:
    held = frozenset(permissions)
    return held if ceiling is None else held & ceiling


async def user_principal(
    user_id: str,
    session_id: str | None,
    organization_id: str | None,
    *,
    portal: bool = False,
    ceiling: frozenset[str] | None = None,
) -> "UserPrincipal":
    """The signed-in user acting in their active organization, with that membership's permissions
    (no more than `ceiling`, for a widget token)."""
    access = await organization_access(user_id, organization_id) if organization_id else None
    return UserPrincipal(
        user_id=user_id,
        session_id=session_id,
        organization_id=access.organization_id if access else None,
        permissions=_within(access.permissions, ceiling) if access else frozenset(),
        portal=portal,
        ceiling=ceiling,
    )


async def as_it_stands(principal: Principal, organization_id: str) -> Principal:
    """The principal with its permissions read again: inside a lock, a concurrent role change counts."""
    if not isinstance(principal, UserPrincipal) or principal.organization_id != organization_id:
        return principal
    access = await organization_access(principal.user_id, organization_id)
    return replace(
        principal, permissions=_within(access.permissions, principal.ceiling) if access else frozenset()
    )
