"""A provisioned person's standing in the organization, recomputed whenever something that decides
it changes: their `active` flag, their groups, a group's deletion, the directory's mapping.

A mapped person gets the role of the first mapped group they are in, and the membership remembers
the directory (`role_managed_by`), so the role is not changed by hand. Leaving every mapped group
gives the directory's default role back (hand-managed again), or suspends the membership when the
directory deprovisions unmapped people. `active: false` suspends. A suspension ends at once what
was granted in the organization: sessions, refresh tokens, with back-channel logout and
`user.logout` (resolvers/leaving_organization.py).
"""

from dataclasses import dataclass
from typing import Any

from db.directories import DirectoryGroupMember, DirectoryUser
from db.orgs import Membership, Role
from db.transaction import for_update, transaction
from resolvers import audit, events, jobs
from resolvers.clock import now
from resolvers.directory_rows import DirectoryRow, load_directory
from resolvers.events import membership_payload
from resolvers.leaving_organization import DEPROVISIONED, end_grants_in_organization
from resolvers.managing_members import ADMIN_ROLE, LastAdmin
from resolvers.organization_lock import lock_organization
from resolvers.principal import Principal

SUSPENDED = "suspended"
ACTIVE = "active"


@dataclass(frozen=True, slots=True)
class Standing:
    status: str  # active | suspended
    role: str | None  # None: keep the role the membership has
    managed: bool  # the role comes from the directory's mapping


def standing_for(directory: DirectoryRow, *, active: bool, groups: set[str], managed_here: bool) -> Standing:
    """What the membership should be, from the directory's view of the person."""
    mapped = next((role for group_id, role in directory.group_roles if group_id in groups), None)
    unmapped = bool(directory.group_roles) and mapped is None
    suspended = not active or (directory.deprovision_when_unmapped and unmapped)
    status = SUSPENDED if suspended else ACTIVE
    if mapped is not None:
        return Standing(status, mapped, managed=True)
    if managed_here:  # the mapping that gave the role no longer applies: back to the default
        return Standing(status, directory.default_role, managed=False)
    return Standing(status, None, managed=False)


async def groups_of(directory_user_ids: list[str]) -> dict[str, set[str]]:
    """The groups each directory user is in, in one query."""
    rows = await DirectoryGroupMember.select(
        DirectoryGroupMember.directory_user, DirectoryGroupMember.group
    ).where(DirectoryGroupMember.directory_user.is_in(directory_user_ids))
    found: dict[str, set[str]] = {user: set() for user in directory_user_ids}
    for row in rows:
        found[str(row["directory_user"])].add(str(row["group"]))
    return found


async def apply_standing(
    principal: Principal, directory: DirectoryRow, user_id: str, *, active: bool, groups: set[str]
) -> None:
    """Bring the person's membership in line with the directory (inside the change's transaction).

    Under the organization's lock, like every hand change of a membership, with the directory's
    mapping read again under it (a mapping changed meanwhile counts). The last active admin is
    never suspended or demoted by a directory: LastAdmin, as by hand.
    """
    await lock_organization(directory.organization_id)
    directory = await load_directory(directory.id) or directory
    membership = (
        await Membership.select(
            Membership.id,
            Membership.status,
            Membership.role,
            Membership.role.key.as_alias("role_key"),
            Membership.role_managed_by,
        )
        .where((Membership.user == user_id) & (Membership.organization == directory.organization_id))
        .first()
    )
    if membership is None:
        return
    wanted = standing_for(
        directory, active=active, groups=groups, managed_here=membership["role_managed_by"] == directory.id
    )
    changes: dict[Any, Any] = {}
    role_key = str(membership["role_key"])
    if wanted.role is not None and wanted.role != role_key:
        role = await Role.select(Role.id).where(Role.key == wanted.role).first()
        if role is not None:  # a role deleted since it was mapped leaves the person's role as it is
            changes[Membership.role] = role["id"]
            role_key = wanted.role
    managed_by = directory.id if wanted.managed else None
    if wanted.role is not None and managed_by != membership["role_managed_by"]:
        changes[Membership.role_managed_by] = managed_by
    status = str(membership["status"])
    if status != wanted.status and status != "invited":
        changes[Membership.status] = wanted.status
    elif status == "invited" and wanted.status == ACTIVE:
        changes[Membership.status] = ACTIVE  # provisioned: the invitation is no longer needed
    if not changes:
        return
    losing_admin = str(membership["role_key"]) == ADMIN_ROLE and (
        role_key != ADMIN_ROLE or changes.get(Membership.status, status) == SUSPENDED
    )
    if (
        losing_admin
        and status == ACTIVE
        and await _other_active_admins(directory.organization_id, user_id) == 0
    ):
        raise LastAdmin(
            "This is the organization's last active admin: the directory cannot suspend them or change "
            "their role. Make someone else admin first."
        )
    changes[Membership.updated_at] = now()
    await Membership.update(changes).where(Membership.id == membership["id"])
    new_status = changes.get(Membership.status, status)
    await audit.record(
        principal,
        "membership.provisioned",
        target=("membership", str(membership["id"])),
        organization_id=directory.organization_id,
        data={
            "user_id": user_id,
            "status": new_status,
            "role": role_key,
            "role_from_directory": bool(wanted.managed),
        },
    )
    await events.emit(
        "membership.updated",
        {
            "membership": {
                **membership_payload(str(membership["id"]), user_id, directory.organization_id, role_key),
                "status": new_status,
            }
        },
        organization_id=directory.organization_id,
    )
    if new_status == SUSPENDED and status != SUSPENDED:
        await end_grants_in_organization(principal, user_id, directory.organization_id, reason=DEPROVISIONED)


async def _other_active_admins(organization_id: str, user_id: str) -> int:
    count: int = await Membership.count().where(
        (Membership.organization == organization_id)
        & (Membership.role.key == ADMIN_ROLE)
        & (Membership.status == ACTIVE)
        & (Membership.user != user_id)
    )
    return count


INLINE_RECOMPUTE = 50  # people recomputed in the request that changed the mapping; more: a job
BATCH = 200


def is_mapped(directory: DirectoryRow, group_id: str) -> bool:
    """Whether a group's members' standing depends on it: only mapped groups decide roles."""
    return any(group == group_id for group, _ in directory.group_roles)


async def _recompute_rows(
    principal: Principal,
    directory: DirectoryRow,
    rows: list[dict[str, Any]],
    *,
    skip_last_admin: bool = False,
) -> None:
    groups = await groups_of([str(row["id"]) for row in rows]) if rows else {}
    for row in rows:
        try:
            async with transaction():  # a savepoint: a refused person leaves the others' changes
                await apply_standing(
                    principal,
                    directory,
                    str(row["user"]),
                    active=bool(row["active"]),
                    groups=groups[str(row["id"])],
                )
        except LastAdmin:
            if not skip_last_admin:
                raise


def _linked_users(directory: DirectoryRow) -> Any:
    return DirectoryUser.select(DirectoryUser.id, DirectoryUser.user, DirectoryUser.active).where(
        (DirectoryUser.directory == directory.id) & DirectoryUser.user.is_not_null()
    )


async def recompute_directory_roles(principal: Principal, directory: DirectoryRow) -> bool:
    """Every person of the directory, after a change of its mapping (inside its transaction): at
    once for a small directory, else by a `recompute_directory_roles` job in batches. True when
    done here."""
    linked = await DirectoryUser.count().where(
        (DirectoryUser.directory == directory.id) & DirectoryUser.user.is_not_null()
    )
    if linked > INLINE_RECOMPUTE:
        await jobs.enqueue("recompute_directory_roles", {"directory_id": directory.id, "after": ""})
        return False
    await _recompute_rows(principal, directory, await _linked_users(directory))
    return True


async def recompute_batch(principal: Principal, directory: DirectoryRow, after: str) -> str | None:
    """One batch of a large directory's recomputation, in its own transaction; the id to go on
    after, or None when the last batch is done."""
    rows = (
        await _linked_users(directory).where(DirectoryUser.id > after).order_by(DirectoryUser.id).limit(BATCH)
    )
    await _recompute_rows(principal, directory, rows, skip_last_admin=True)  # nobody to tell: kept as is
    return str(rows[-1]["id"]) if len(rows) == BATCH else None


async def recompute_people(
    principal: Principal, directory: DirectoryRow, directory_user_ids: set[str]
) -> None:
    """The people whose groups just changed. Their rows are locked before `active` is read: a
    deactivation committing in between would otherwise be undone by what this change read."""
    if not directory_user_ids:
        return
    rows = await for_update(
        DirectoryUser.select(DirectoryUser.id, DirectoryUser.user, DirectoryUser.active)
        .where(
            (DirectoryUser.directory == directory.id)
            & DirectoryUser.id.is_in(sorted(directory_user_ids))
            & DirectoryUser.user.is_not_null()
        )
        .order_by(DirectoryUser.id)  # one locking order: two group changes never wait on each other
    )
    await _recompute_rows(principal, directory, rows)
