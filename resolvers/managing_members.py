"""Members of an organization: listing, role changes and removal, with the rules that guard them."""

from dataclasses import dataclass, replace
from typing import Any, NoReturn

from db.directories import Directory
from db.orgs import Invitation, Membership, Role
from db.transaction import transaction
from resolvers import audit, events
from resolvers.authorization import require
from resolvers.clock import now
from resolvers.errors import DomainError, NotFound
from resolvers.events import membership_payload
from resolvers.invitations import follow_member_role
from resolvers.joining_by_email_domain import remember_removal
from resolvers.leaving_organization import end_grants_in_organization
from resolvers.memberships import as_it_stands
from resolvers.organization_lock import lock_organization
from resolvers.pages import page_size
from resolvers.principal import Principal, UserPrincipal
from resolvers.role_authority import require_authority

ADMIN_ROLE = "admin"
STATUSES = ("invited", "active", "suspended")


class LastAdmin(DomainError):
    code = "last_admin"


class RoleManagedByDirectory(DomainError):
    """The role came from a SCIM directory's group mapping: a change by hand would be undone at
    the IdP's next push, so it is made there instead."""

    code = "role_managed_by_directory"


@dataclass(frozen=True, slots=True)
class MemberRow:
    id: str
    organization_id: str
    user_id: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str
    role_key: str
    status: str
    source: str
    created_at: Any
    last_login_at: Any
    role_managed_by: str | None = None  # the directory whose group mapping set the role
    role_managed_by_name: str | None = None


@dataclass(frozen=True, slots=True)
class MemberPage:
    members: list[MemberRow]
    end_cursor: str | None
    has_next_page: bool


_COLUMNS = (
    Membership.id,
    Membership.organization,
    Membership.status,
    Membership.source,
    Membership.created_at,
    Membership.role_managed_by,
    Membership.user.id.as_alias("user_id"),
    Membership.user.email.as_alias("email"),
    Membership.user.email_verified.as_alias("email_verified"),
    Membership.user.first_name.as_alias("first_name"),
    Membership.user.last_name.as_alias("last_name"),
    Membership.user.last_login_at.as_alias("last_login_at"),
    Membership.role.key.as_alias("role_key"),
)


def _row(row: dict[str, Any]) -> MemberRow:
    return MemberRow(
        id=row["id"],
        organization_id=row["organization"],
        user_id=row["user_id"],
        email=row["email"],
        email_verified=bool(row["email_verified"]),
        first_name=row["first_name"],
        last_name=row["last_name"],
        role_key=row["role_key"],
        status=row["status"],
        source=row["source"],
        created_at=row["created_at"],
        last_login_at=row["last_login_at"],
        role_managed_by=row["role_managed_by"],
    )


async def _with_directory_names(members: list[MemberRow]) -> list[MemberRow]:
    """Name the directory of each directory-managed role, for a whole page in one query."""
    managed = {member.role_managed_by for member in members if member.role_managed_by}
    if not managed:
        return members
    rows = await Directory.select(Directory.id, Directory.name).where(Directory.id.is_in(sorted(managed)))
    names = {row["id"]: row["name"] for row in rows}
    return [
        replace(member, role_managed_by_name=names.get(member.role_managed_by, ""))
        if member.role_managed_by
        else member
        for member in members
    ]


def seen(member: MemberRow) -> MemberRow:
    """A member as anyone but the system sees them: an invited person is only the typed address.

    Whether that address already has an account (a name, a user id, a verified flag, a last
    sign-in) is another organization's business, so until they accept none of it is shown: the
    user id reads as the membership's own id, and the rest is empty, the same for every address.
    """
    if member.status != "invited":
        return member
    return replace(
        member, user_id=member.id, email_verified=False, first_name="", last_name="", last_login_at=None
    )


async def list_members(
    principal: Principal,
    organization_id: str,
    *,
    first: int = 20,
    after: str | None = None,
    search: str | None = None,
    role: str | None = None,
    status: str | None = None,
) -> MemberPage:
    """One page, ordered by membership id (creation order); one query whatever the page size."""
    require(principal, "sk_org_users_read", organization_id)
    size = page_size(first)
    query = _filtered(Membership.select(*_COLUMNS), organization_id, search=search, role=role, status=status)
    if after:
        query = query.where(Membership.id > after)
    rows = await query.order_by(Membership.id).limit(size + 1)
    members = await _with_directory_names([seen(_row(row)) for row in rows[:size]])
    return MemberPage(
        members=members,
        end_cursor=members[-1].id if members else None,
        has_next_page=len(rows) > size,
    )


async def count_members(
    principal: Principal,
    organization_id: str,
    *,
    search: str | None = None,
    role: str | None = None,
    status: str | None = None,
) -> int:
    """How many members the same filters find, over every page (one COUNT query)."""
    require(principal, "sk_org_users_read", organization_id)
    count: int = await _filtered(Membership.count(), organization_id, search=search, role=role, status=status)
    return count


def _filtered(
    query: Any, organization_id: str, *, search: str | None, role: str | None, status: str | None
) -> Any:
    """The organization's memberships narrowed by a name/email search, a role key and a status."""
    query = query.where(Membership.organization == organization_id)
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        # an invited person's name is not theirs to show yet: only the address is searched
        query = query.where(
            Membership.user.email.ilike(pattern)
            | (
                (Membership.status != "invited")
                & (Membership.user.first_name.ilike(pattern) | Membership.user.last_name.ilike(pattern))
            )
        )
    if role:
        query = query.where(Membership.role.key == role)
    if status:
        query = query.where(Membership.status == status)
    return query


async def _read_member(membership_id: str) -> MemberRow:
    row = await Membership.select(*_COLUMNS).where(Membership.id == membership_id).first()
    if row is None:
        raise NotFound("No such member.")
    return (await _with_directory_names([_row(row)]))[0]


async def find_member(principal: Principal, membership_id: str, permission: str) -> MemberRow:
    """A membership the principal may act on; another organization's looks exactly like a missing one."""
    member = await _read_member(membership_id)
    try:
        require(principal, permission, member.organization_id)
    except DomainError as error:
        if isinstance(principal, UserPrincipal) and principal.organization_id != member.organization_id:
            raise NotFound("No such member.") from error
        raise
    return member


async def _other_active_admins(organization_id: str, membership_id: str) -> int:
    count: int = await Membership.count().where(
        (Membership.organization == organization_id)
        & (Membership.role.key == ADMIN_ROLE)
        & (Membership.status == "active")
        & (Membership.id != membership_id)
    )
    return count


@dataclass(frozen=True, slots=True)
class _Standing:
    role_id: str
    role_key: str
    status: str
    role_managed_by: str | None


async def _locked_standing(
    principal: Principal, member: MemberRow, permission: str, *, new_role_id: str | None = None
) -> _Standing:
    """Lock the organization, then check everything again against what is true now.

    The member's role is read under the lock (a concurrent change counts), the last-admin rule
    is checked before the actor's own permissions are read again, so a raced demotion gets
    LAST_ADMIN, and an actor demoted by a concurrent request loses their authority at once.
    """
    await lock_organization(member.organization_id)
    row = (
        await Membership.select(
            Membership.role,
            Membership.role.key.as_alias("role_key"),
            Membership.status,
            Membership.role_managed_by,
        )
        .where(Membership.id == member.id)
        .first()
    )
    if row is None:
        raise NotFound("No such member.")
    standing = _Standing(str(row["role"]), str(row["role_key"]), str(row["status"]), row["role_managed_by"])
    await require_authority(principal, current_role_id=standing.role_id, new_role_id=new_role_id)
    losing_admin = new_role_id is None or new_role_id != standing.role_id
    if (
        losing_admin
        and standing.role_key == ADMIN_ROLE
        and standing.status == "active"
        and await _other_active_admins(member.organization_id, member.id) == 0
    ):
        raise LastAdmin("An organization needs at least one admin. Make someone else admin first.")
    actor = await as_it_stands(principal, member.organization_id)
    require(actor, permission, member.organization_id)
    await require_authority(actor, current_role_id=standing.role_id, new_role_id=new_role_id)
    return standing


async def _refuse_managed_role(directory_id: str) -> NoReturn:
    name = await Directory.select(Directory.name).where(Directory.id == directory_id).first()
    directory_name = name["name"] if name else directory_id
    raise RoleManagedByDirectory(
        f"The directory {directory_name!r} sets this person's role from their groups. To change it, "
        "change the directory's group mapping, or the person's groups in your identity provider.",
        directory_id=directory_id,
        directory_name=directory_name,
    )


async def change_member_role(principal: Principal, membership_id: str, role_key: str) -> MemberRow:
    """Give a member another role; the actor must hold every permission of the old and the new one.
    A role a directory's group mapping set is refused: it is changed at the IdP."""
    member = await find_member(principal, membership_id, "sk_org_users_role_change")
    role = await Role.select(Role.id, Role.key).where(Role.key == role_key).first()
    if role is None:
        raise NotFound(f"No role {role_key!r}.", field="role")
    async with transaction():
        standing = await _locked_standing(
            principal, member, "sk_org_users_role_change", new_role_id=str(role["id"])
        )
        if standing.role_managed_by:
            await _refuse_managed_role(standing.role_managed_by)
        await Membership.update({Membership.role: role["id"], Membership.updated_at: now()}).where(
            Membership.id == member.id
        )
        if member.status == "invited":
            await follow_member_role(member.organization_id, member.email, role["id"])
        await audit.record(
            principal,
            "membership.role_changed",
            target=("membership", member.id),
            organization_id=member.organization_id,
            data={"from": standing.role_key, "to": role_key},
        )
        await events.emit(
            "membership.updated",
            {"membership": membership_payload(member.id, member.user_id, member.organization_id, role_key)},
            organization_id=member.organization_id,
        )
    return seen(await _read_member(membership_id))  # the change needed sk_org_users_role_change alone


async def remove_member(principal: Principal, membership_id: str) -> MemberRow:
    """Remove a member and end what was granted in this organization (see leaving_organization);
    the actor must hold every permission of the member's role."""
    member = await find_member(principal, membership_id, "sk_org_users_delete")
    async with transaction():
        standing = await _locked_standing(principal, member, "sk_org_users_delete")
        await Membership.delete().where(Membership.id == member.id)
        await Invitation.update({Invitation.status: "revoked"}).where(
            (Invitation.organization == member.organization_id)
            & (Invitation.email == member.email)
            & (Invitation.status == "pending")
        )
        await audit.record(
            principal,
            "membership.deleted",
            target=("membership", member.id),
            organization_id=member.organization_id,
            data={"user_id": member.user_id},
        )
        await events.emit(
            "membership.deleted",
            {
                "membership": membership_payload(
                    member.id, member.user_id, member.organization_id, standing.role_key
                )
            },
            organization_id=member.organization_id,
        )
        await remember_removal(member.organization_id, member.user_id)
        if member.status != "invited":  # an invitation granted nothing, so there is nothing to end
            await end_grants_in_organization(principal, member.user_id, member.organization_id)
    return seen(member)
