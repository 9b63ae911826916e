"""What a directory's pushes do here: SCIM users become (or are linked to) Tenantry users and
members of the directory's organization; SCIM groups decide roles (resolvers/directory_roles.py).

- The directory speaks for addresses at its organization's verified domains only, unless its admin
  turned that off: otherwise an IdP could make anyone a member by naming their address.
- An address that already has an account joins as that user, never a copy. One directory speaks
  for a person in an organization (`link_key`), and a userName once per directory (`unique_name`):
  both are unique indexes, so two racing pushes cannot make two.
- The account's own address and name follow the IdP only while the person belongs to this
  organization alone and the new address is at its verified domain and free: an organization's
  IdP must not rename, or move the sign-in of, someone another organization also has.
- `active: false` and DELETE suspend the membership (its grants end at once); `active: true`
  restores it. Every change writes its events and audit rows in the request's transaction.

Refusals are scim2-models exceptions: the SCIM edge turns them into RFC 7644 errors.
"""

import json
from dataclasses import dataclass, field, replace
from typing import Any

from scim2_models import (
    InvalidValueException,
    NotFoundException,
    PreconditionFailedException,
    UniquenessException,
)

from db.directories import Directory, DirectoryGroup, DirectoryGroupMember, DirectoryUser, DirectoryUserEmail
from db.errors import is_unique_violation
from db.ids import new_id
from db.orgs import Membership, MembershipRemoval, Role
from db.transaction import for_update, transaction
from db.users import User
from resolvers import audit, events
from resolvers.clock import now
from resolvers.directory_roles import apply_standing, groups_of, is_mapped, recompute_people
from resolvers.directory_rows import DirectoryRow
from resolvers.domain_claims import verified_owner
from resolvers.emails import normalize_email
from resolvers.errors import InvalidInput
from resolvers.organization_lock import lock_organization
from resolvers.principal import DirectoryPrincipal
from resolvers.scim_resources import GroupColumns, UserColumns, comparison_key, folded, version_tag
from resolvers.users import user_payload

NAME_MAX = 100  # what a Tenantry user's first and last names hold


def acting_as(directory: DirectoryRow) -> DirectoryPrincipal:
    return DirectoryPrincipal(directory_id=directory.id, organization_id=directory.organization_id)


def _check_version(current: int, expected: str | None) -> None:
    if expected is not None and expected != version_tag(current):
        raise PreconditionFailedException(detail="The resource changed since that version was read.")


# -- users ------------------------------------------------------------------


def _address(columns: UserColumns) -> str | None:
    """The person's address, normalized; None when the IdP sent none (the user waits unlinked)."""
    raw = columns.address
    if raw is None:
        return None
    try:
        return normalize_email(raw)
    except InvalidInput as error:
        raise InvalidValueException(detail=f"{raw!r}: {error.message}") from error


async def _verified_here(directory: DirectoryRow, email: str) -> bool:
    owner = await verified_owner(email.rpartition("@")[2])
    return owner is not None and owner[0] == directory.organization_id


async def _check_domain(directory: DirectoryRow, email: str) -> bool:
    """Whether the address is at a domain the organization verified; refused when the directory
    accepts only those."""
    verified = await _verified_here(directory, email)
    if not verified and directory.require_verified_domain:
        domain = email.rpartition("@")[2]
        raise InvalidValueException(
            detail=f"{email} is not at a domain this organization has verified. Verify {domain} on the "
            "Domains page, or let this directory provision people at any domain in its settings."
        )
    return verified


async def _account_for(email: str, columns: UserColumns, *, verified: bool) -> tuple[str, bool]:
    """The account at the address and whether this push made it (a racing insert finds the
    winner's, which it did not make)."""
    found = await for_update(User.select(User.id).where(User.email == email)).first()
    if found:
        return str(found["id"]), False
    moment = now()
    made = (
        await User.insert(
            User(
                id=new_id("usr"),
                email=email,
                email_verified=verified,
                first_name=(columns.given_name or "")[:NAME_MAX],
                last_name=(columns.family_name or "")[:NAME_MAX],
                created_at=moment,
                updated_at=moment,
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(User.id)
    )
    if made:
        await events.emit("user.created", {"user": {"id": str(made[0]["id"]), "email": email}})
        return str(made[0]["id"]), True
    winner = await User.select(User.id).where(User.email == email).first()
    assert winner is not None  # noqa: S101 - the conflict was this address's row
    return str(winner["id"]), False


async def _ensure_membership(directory: DirectoryRow, user_id: str) -> bool:
    """A membership for the person, True when made here (active, with the directory's default
    role; apply_standing decides the rest); being pushed by the organization's own IdP undoes an
    earlier removal by hand."""
    await lock_organization(directory.organization_id)  # one membership per person, even when racing
    if await Membership.exists().where(
        (Membership.user == user_id) & (Membership.organization == directory.organization_id)
    ):
        return False
    await MembershipRemoval.delete().where(MembershipRemoval.id == f"{directory.organization_id}:{user_id}")
    role = await Role.select(Role.id, Role.key).where(Role.key == directory.default_role).first()
    if role is None:  # the default role was deleted since it was chosen
        role = await Role.select(Role.id, Role.key).where(Role.key == "member").first()
    assert role is not None  # noqa: S101 - the member role always exists
    moment = now()
    membership_id = new_id("mem")
    await Membership.insert(
        Membership(
            id=membership_id,
            user=user_id,
            organization=directory.organization_id,
            role=role["id"],
            status="active",
            source="scim",
            created_at=moment,
            updated_at=moment,
        )
    )
    await events.emit(
        "membership.created",
        {
            "membership": events.membership_payload(
                membership_id, user_id, directory.organization_id, role["key"]
            )
        },
        organization_id=directory.organization_id,
    )
    return True


MAX_EMAILS = 20
RESOURCE_MAX_BYTES = 64 * 1024  # what is kept of one user as the IdP sent it
DISPLAY_MAX = 320


def check_user_sizes(columns: UserColumns) -> None:
    """Refuse what is too much to keep, before anything is written (each value's length against
    its column is checked as the columns are read, scim_resources.user_columns)."""
    if len(columns.emails) > MAX_EMAILS:
        raise InvalidValueException(detail=f"A user has at most {MAX_EMAILS} emails.")
    if len(json.dumps(columns.stored)) > RESOURCE_MAX_BYTES:
        raise InvalidValueException(
            detail=f"A user's attributes take more than {RESOURCE_MAX_BYTES // 1024} KiB."
        )


def _user_columns_for_row(columns: UserColumns) -> dict[Any, Any]:
    return {
        DirectoryUser.user_name: columns.user_name,
        DirectoryUser.user_name_key: columns.user_name_key,
        DirectoryUser.external_id: columns.external_id,
        DirectoryUser.display_name: columns.display_name,
        DirectoryUser.display_name_key: folded(columns.display_name),
        DirectoryUser.given_name: columns.given_name,
        DirectoryUser.given_name_key: folded(columns.given_name),
        DirectoryUser.family_name: columns.family_name,
        DirectoryUser.family_name_key: folded(columns.family_name),
        DirectoryUser.active: columns.active,
        DirectoryUser.resource: columns.stored,
    }


async def _write_emails(directory_user_id: str, columns: UserColumns, *, fresh: bool = False) -> None:
    """The user's `emails` as rows (replacing the old ones, unless the user is `fresh`)."""
    if not fresh:
        await DirectoryUserEmail.delete().where(DirectoryUserEmail.directory_user == directory_user_id)
    if columns.emails:
        await DirectoryUserEmail.insert(
            *(
                DirectoryUserEmail(
                    id=new_id("dem"),
                    directory_user=directory_user_id,
                    value=entry.value,
                    value_key=comparison_key(entry.value),
                    type=entry.type,
                    primary=entry.primary,
                )
                for entry in columns.emails
            )
        )


def _user_event(directory: DirectoryRow, directory_user_id: str, user_id: str | None, columns: UserColumns,
                email: str | None) -> dict[str, Any]:  # fmt: skip
    return {
        "directory_user": {
            "id": directory_user_id,
            "directory_id": directory.id,
            "user_id": user_id,
            "user_name": columns.user_name,
            "email": email,
            "active": columns.active,
        },
        "directory": {"id": directory.id, "organization_id": directory.organization_id},
    }


async def _taken(error: BaseException, directory: DirectoryRow, columns: UserColumns) -> UniquenessException:
    """Which unique rule a failed insert broke, in the IdP's words."""
    if await DirectoryUser.exists().where(
        DirectoryUser.unique_name == f"{directory.id}:{columns.user_name_key}"
    ):
        return UniquenessException(detail=f"A user with userName {columns.user_name!r} already exists.")
    return UniquenessException(
        detail="That person is already provisioned in this organization, under another userName or by "
        "another directory."
    )


async def _link(
    directory: DirectoryRow, directory_user_id: str, email: str, columns: UserColumns
) -> tuple[str, bool]:
    """Tie the directory user to the account at `email` (made if needed) and make them a member.

    An existing account at an address the organization does not speak for (no verified domain of
    its covers it) is linked only when the person already belongs here (they accepted an
    invitation): otherwise any tenant could claim anyone's account by naming its address.
    """
    verified = await _check_domain(directory, email)
    user_id, made = await _account_for(email, columns, verified=verified)
    if (
        not verified
        and not made
        and not await Membership.exists().where(
            (Membership.user == user_id) & (Membership.organization == directory.organization_id)
        )
    ):  # checked after the account is found: one made by a racing sign-up counts as someone else's
        raise InvalidValueException(
            detail=f"{email} already has an account, at a domain this organization has not verified: "
            "invite the person from the Members page; once they accept, the next push links them."
        )
    await DirectoryUser.update(
        {DirectoryUser.user: user_id, DirectoryUser.link_key: f"{directory.organization_id}:{user_id}"}
    ).where(DirectoryUser.id == directory_user_id)
    return user_id, await _ensure_membership(directory, user_id)


async def create_user(directory: DirectoryRow, columns: UserColumns) -> str:
    """A new SCIM user: linked to the account at its address (made if needed) and a member."""
    check_user_sizes(columns)
    email = _address(columns)
    principal = acting_as(directory)
    moment = now()
    directory_user_id = new_id("dus")
    try:
        async with transaction():
            await DirectoryUser.insert(
                DirectoryUser(
                    id=directory_user_id,
                    directory=directory.id,
                    unique_name=f"{directory.id}:{columns.user_name_key}",
                    email=email or "",
                    version=1,
                    created_at=moment,
                    updated_at=moment,
                    **{column._meta.name: value for column, value in _user_columns_for_row(columns).items()},
                )
            )
            await _write_emails(directory_user_id, columns, fresh=True)
            user_id, made = (
                await _link(directory, directory_user_id, email, columns) if email else (None, False)
            )
            # a membership made here is already what an active person in no group gets
            as_made = (
                made
                and columns.active
                and not (directory.deprovision_when_unmapped and directory.group_roles)
            )
            if user_id and not as_made:
                await apply_standing(principal, directory, user_id, active=columns.active, groups=set())
            await audit.record(
                principal,
                "directory.user_created",
                target=("directory_user", directory_user_id),
                organization_id=directory.organization_id,
                data={"user_id": user_id, "user_name": columns.user_name, "active": columns.active},
            )
            await events.emit(
                "directory.user_created",
                _user_event(directory, directory_user_id, user_id, columns, email),
                organization_id=directory.organization_id,
            )
    except Exception as error:
        if is_unique_violation(error):
            raise await _taken(error, directory, columns) from error
        raise
    return directory_user_id


async def _locked_user(directory: DirectoryRow, directory_user_id: str) -> dict[str, Any]:
    row = await for_update(
        DirectoryUser.select().where(
            (DirectoryUser.id == directory_user_id) & (DirectoryUser.directory == directory.id)
        )
    ).first()
    if row is None:
        raise NotFoundException(detail=f"No user {directory_user_id}.")
    return dict(row)


async def _follow_account(directory: DirectoryRow, user_id: str, email: str, columns: UserColumns) -> None:
    """Move the account's address and names along, when this organization alone has the person and
    speaks for their address: it is at one of its verified domains (and so is a new one). Anyone
    else's account is not the IdP's to rename or move."""
    elsewhere = await Membership.exists().where(
        (Membership.user == user_id) & (Membership.organization != directory.organization_id)
    )
    current = await User.select(User.email, User.first_name, User.last_name).where(User.id == user_id).first()
    if elsewhere or current is None or not await _verified_here(directory, str(current["email"])):
        return
    changes: dict[Any, Any] = {}
    if columns.given_name is not None:
        changes[User.first_name] = columns.given_name[:NAME_MAX]
    if columns.family_name is not None:
        changes[User.last_name] = columns.family_name[:NAME_MAX]
    if (
        current["email"] != email
        and await _verified_here(directory, email)
        and not await User.exists().where(User.email == email)
    ):
        changes[User.email] = email
        changes[User.email_verified] = True
    if changes.get(User.first_name, current["first_name"]) == current["first_name"]:
        changes.pop(User.first_name, None)
    if changes.get(User.last_name, current["last_name"]) == current["last_name"]:
        changes.pop(User.last_name, None)
    if not changes:
        return
    changes[User.updated_at] = now()
    try:
        async with transaction():  # a savepoint: losing the address to a racing sign-up keeps the push
            await User.update(changes).where(User.id == user_id)
    except Exception as error:
        if not is_unique_violation(error):
            raise
        changes.pop(User.email, None)
        changes.pop(User.email_verified, None)
        await User.update(changes).where(User.id == user_id)
    fields = sorted(str(column._meta.name) for column in changes if column is not User.updated_at)
    if fields:
        await audit.record(
            acting_as(directory),
            "user.updated",
            target=("user", user_id),
            organization_id=directory.organization_id,
            data={"fields": fields, "previous_email": current["email"]},
        )
        await events.emit("user.updated", {"user": await user_payload(user_id)})


async def replace_user(
    directory: DirectoryRow, directory_user_id: str, columns: UserColumns, *, expected_version: str | None
) -> None:
    """The user's whole new state (PUT, or PATCH applied by the SCIM service)."""
    check_user_sizes(columns)
    email = _address(columns)
    principal = acting_as(directory)
    try:
        async with transaction():
            current = await _locked_user(directory, directory_user_id)
            _check_version(int(current["version"]), expected_version)
            user_id = str(current["user"]) if current["user"] else None
            kept_email = email or str(current["email"])  # an address is never taken away by omission
            changes = _user_columns_for_row(columns)
            changes.update(
                {
                    DirectoryUser.unique_name: f"{directory.id}:{columns.user_name_key}",
                    DirectoryUser.email: kept_email,
                    DirectoryUser.version: int(current["version"]) + 1,
                    DirectoryUser.updated_at: now(),
                }
            )
            await DirectoryUser.update(changes).where(DirectoryUser.id == directory_user_id)
            await _write_emails(directory_user_id, columns)
            if user_id is None and email:
                user_id, _ = await _link(directory, directory_user_id, email, columns)
            elif user_id is not None and email and email != current["email"]:
                await _check_domain(directory, email)
            if user_id is not None:
                await _follow_account(directory, user_id, kept_email, columns)
                groups = (await groups_of([directory_user_id]))[directory_user_id]
                await apply_standing(principal, directory, user_id, active=columns.active, groups=groups)
            deactivated = bool(current["active"]) and not columns.active
            kind = "directory.user_deactivated" if deactivated else "directory.user_updated"
            await audit.record(
                principal,
                kind,
                target=("directory_user", directory_user_id),
                organization_id=directory.organization_id,
                data={"user_id": user_id, "user_name": columns.user_name, "active": columns.active},
            )
            await events.emit(
                kind,
                _user_event(directory, directory_user_id, user_id, columns, kept_email or None),
                organization_id=directory.organization_id,
            )
    except Exception as error:
        if is_unique_violation(error):
            raise await _taken(error, directory, columns) from error
        raise


async def delete_user(
    directory: DirectoryRow, directory_user_id: str, *, expected_version: str | None
) -> None:
    """Gone from the directory: the membership is suspended and its grants end (the account stays;
    pushing the person again restores the membership)."""
    principal = acting_as(directory)
    async with transaction():
        current = await _locked_user(directory, directory_user_id)
        _check_version(int(current["version"]), expected_version)
        user_id = str(current["user"]) if current["user"] else None
        groups = (await groups_of([directory_user_id]))[directory_user_id]
        await DirectoryUser.delete().where(DirectoryUser.id == directory_user_id)
        if user_id is not None:
            await apply_standing(principal, directory, user_id, active=False, groups=groups)
        await audit.record(
            principal,
            "directory.user_deactivated",
            target=("directory_user", directory_user_id),
            organization_id=directory.organization_id,
            data={"user_id": user_id, "user_name": current["user_name"], "deleted": True},
        )
        await events.emit(
            "directory.user_deactivated",
            {
                "directory_user": {
                    "id": directory_user_id,
                    "directory_id": directory.id,
                    "user_id": user_id,
                    "user_name": current["user_name"],
                    "email": current["email"],
                    "active": False,
                    "deleted": True,
                },
                "directory": {"id": directory.id, "organization_id": directory.organization_id},
            },
            organization_id=directory.organization_id,
        )


# -- groups -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberChange:
    added: frozenset[str]
    removed: frozenset[str]
    renamed: dict[str, str] = field(default_factory=dict)  # members the IdP now displays otherwise


async def _known_members(directory: DirectoryRow, member_ids: tuple[str, ...]) -> None:
    """Members must be users of this directory (nested groups are not supported)."""
    if not member_ids:
        return
    found = {
        str(row["id"])
        for row in await DirectoryUser.select(DirectoryUser.id).where(
            (DirectoryUser.directory == directory.id) & DirectoryUser.id.is_in(list(member_ids))
        )
    }
    missing = [member for member in member_ids if member not in found]
    if missing:
        raise InvalidValueException(
            detail=f"No user {missing[0]} in this directory (groups hold users only)."
        )


async def _add_members(group_id: str, member_ids: frozenset[str], displays: dict[str, str]) -> None:
    if member_ids:
        await DirectoryGroupMember.insert(
            *(
                DirectoryGroupMember(
                    id=f"{group_id}:{member}",
                    group=group_id,
                    directory_user=member,
                    display=displays.get(member) or None,
                )
                for member in sorted(member_ids)
            )
        ).on_conflict(action="DO NOTHING")


def _group_event(
    directory: DirectoryRow, group_id: str, columns: GroupColumns, **extra: Any
) -> dict[str, Any]:
    return {
        "directory_group": {
            "id": group_id,
            "directory_id": directory.id,
            "display_name": columns.display_name,
            **extra,
        },
        "directory": {"id": directory.id, "organization_id": directory.organization_id},
    }


def _group_name(columns: GroupColumns) -> None:
    if not columns.display_name.strip():
        raise InvalidValueException(detail="A group needs a displayName.")
    if any(len(display) > DISPLAY_MAX for display in columns.displays.values()):
        raise InvalidValueException(detail=f"members.display is longer than {DISPLAY_MAX} characters.")


async def create_group(directory: DirectoryRow, columns: GroupColumns) -> str:
    _group_name(columns)
    principal = acting_as(directory)
    group_id = new_id("dgr")
    moment = now()
    async with transaction():
        await _known_members(directory, columns.member_ids)
        await DirectoryGroup.insert(
            DirectoryGroup(
                id=group_id,
                directory=directory.id,
                display_name=columns.display_name,
                display_name_key=columns.display_name_key,
                external_id=columns.external_id,
                version=1,
                created_at=moment,
                updated_at=moment,
            )
        )
        await _add_members(group_id, frozenset(columns.member_ids), columns.displays)
        # a new group is in no mapping yet: its members' standing does not change
        await audit.record(
            principal,
            "directory.group_created",
            target=("directory_group", group_id),
            organization_id=directory.organization_id,
            data={"display_name": columns.display_name, "members": len(columns.member_ids)},
        )
        await events.emit(
            "directory.group_created",
            _group_event(directory, group_id, columns, members=len(columns.member_ids)),
            organization_id=directory.organization_id,
        )
    return group_id


async def _locked_group(directory: DirectoryRow, group_id: str) -> dict[str, Any]:
    row = await for_update(
        DirectoryGroup.select().where(
            (DirectoryGroup.id == group_id) & (DirectoryGroup.directory == directory.id)
        )
    ).first()
    if row is None:
        raise NotFoundException(detail=f"No group {group_id}.")
    return dict(row)


async def replace_group(
    directory: DirectoryRow,
    group_id: str,
    columns: GroupColumns,
    *,
    change: MemberChange,
    expected_version: str | None,
) -> None:
    """The group's new name, and the members added and removed since the state the request read
    (a diff, so two concurrent PATCHes adding different members both count)."""
    _group_name(columns)
    principal = acting_as(directory)
    async with transaction():
        current = await _locked_group(directory, group_id)
        _check_version(int(current["version"]), expected_version)
        await _known_members(directory, tuple(sorted(change.added)))
        await DirectoryGroup.update(
            {
                DirectoryGroup.display_name: columns.display_name,
                DirectoryGroup.display_name_key: columns.display_name_key,
                DirectoryGroup.external_id: columns.external_id,
                DirectoryGroup.version: int(current["version"]) + 1,
                DirectoryGroup.updated_at: now(),
            }
        ).where(DirectoryGroup.id == group_id)
        await _add_members(group_id, change.added, columns.displays)
        for member, display in change.renamed.items():
            await DirectoryGroupMember.update({DirectoryGroupMember.display: display[:320]}).where(
                DirectoryGroupMember.id == f"{group_id}:{member}"
            )
        if change.removed:
            await DirectoryGroupMember.delete().where(
                (DirectoryGroupMember.group == group_id)
                & DirectoryGroupMember.directory_user.is_in(sorted(change.removed))
            )
        if is_mapped(directory, group_id):  # only mapped groups decide anyone's role
            await recompute_people(principal, directory, set(change.added | change.removed))
        renamed = current["display_name"] != columns.display_name
        await audit.record(
            principal,
            "directory.group_updated",
            target=("directory_group", group_id),
            organization_id=directory.organization_id,
            data={
                "display_name": columns.display_name,
                "renamed": renamed,
                "added": len(change.added),
                "removed": len(change.removed),
            },
        )
        await events.emit(
            "directory.group_updated",
            _group_event(
                directory,
                group_id,
                columns,
                added=sorted(change.added)[:100],
                removed=sorted(change.removed)[:100],
            ),
            organization_id=directory.organization_id,
        )


async def delete_group(directory: DirectoryRow, group_id: str, *, expected_version: str | None) -> None:
    """Gone, and out of the directory's mapping; its members' roles are recomputed."""
    principal = acting_as(directory)
    async with transaction():
        current = await _locked_group(directory, group_id)
        _check_version(int(current["version"]), expected_version)
        members = {
            str(row["directory_user"])
            for row in await DirectoryGroupMember.select(DirectoryGroupMember.directory_user).where(
                DirectoryGroupMember.group == group_id
            )
        }
        await DirectoryGroup.delete().where(DirectoryGroup.id == group_id)
        remaining = [(group, role) for group, role in directory.group_roles if group != group_id]
        if len(remaining) != len(directory.group_roles):
            await Directory.update(
                {Directory.group_roles: [{"group_id": group, "role": role} for group, role in remaining]}
            ).where(Directory.id == directory.id)
        updated = replace(directory, group_roles=tuple(remaining))
        if is_mapped(directory, group_id):
            await recompute_people(principal, updated, members)
        columns = GroupColumns(display_name=str(current["display_name"]), external_id=None, member_ids=())
        await audit.record(
            principal,
            "directory.group_deleted",
            target=("directory_group", group_id),
            organization_id=directory.organization_id,
            data={"display_name": current["display_name"], "members": len(members)},
        )
        await events.emit(
            "directory.group_deleted",
            _group_event(directory, group_id, columns),
            organization_id=directory.organization_id,
        )
