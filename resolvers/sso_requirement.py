"""Require SSO: people at an organization's verified domains sign in only through its identity
provider, never with an email code or a passkey, except the few admins it keeps as break-glass
accounts (for the day the IdP is down or misconfigured).

Home-realm discovery already sends those addresses to the IdP; this closes the other doors (a
passkey, a code flow started before, a magic link). Break-glass admins are also the ones the
email step does not send to the IdP, so they can still get a code.
"""

from dataclasses import dataclass
from typing import Any

from db.orgs import Organization
from db.transaction import transaction
from db.users import User
from resolvers import audit
from resolvers.authorization import require
from resolvers.clock import now
from resolvers.connection_rows import ConnectionRow
from resolvers.errors import DomainError, InvalidInput, NotFound
from resolvers.home_realm import active_connection_of, connection_for_email
from resolvers.memberships import organization_access
from resolvers.organization_lock import lock_organization
from resolvers.principal import Principal, UserPrincipal
from resolvers.reauthentication import require_recent_authentication
from resolvers.sso_connections import require_feature

MAX_BREAK_GLASS = 3
MANAGE = "sk_org_sso_manage"


class SsoRequired(DomainError):
    """A code, link or passkey sign-in of someone whose organization requires its IdP."""

    code = "sso_required"


@dataclass(frozen=True, slots=True)
class SsoRequirement:
    required: bool
    break_glass_user_ids: tuple[str, ...]


async def _stored(organization_id: str) -> SsoRequirement | None:
    row = (
        await Organization.select(Organization.sso_required, Organization.sso_break_glass)
        .where(Organization.id == organization_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    return SsoRequirement(bool(row["sso_required"]), tuple(row["sso_break_glass"] or []))


async def read_requirement(principal: Principal, organization_id: str) -> SsoRequirement:
    require(principal, "sk_org_sso_read", organization_id)
    await require_feature(organization_id)
    found = await _stored(organization_id)
    if found is None:
        raise NotFound("No such organization.")
    return found


async def _may_manage_sso(user_id: str, organization_id: str) -> bool:
    """An active member whose role manages SSO: only they can repair it from inside."""
    access = await organization_access(user_id, organization_id)
    return access is not None and MANAGE in access.permissions


async def update_requirement(
    principal: Principal,
    organization_id: str,
    *,
    required: bool | None = None,
    break_glass_user_ids: list[str] | None = None,
) -> SsoRequirement:
    """Turn the requirement on or off, or choose the break-glass admins (at most three).

    Requiring SSO needs an active connection, or nobody at the domains could sign in at all.
    """
    require(principal, MANAGE, organization_id)
    await require_feature(organization_id)
    if isinstance(principal, UserPrincipal):
        await require_recent_authentication(principal)
    async with transaction():
        if not await lock_organization(organization_id):
            raise NotFound("No such organization.")
        current = await _stored(organization_id)
        assert current is not None  # noqa: S101 - locked above
        changes: dict[Any, Any] = {}
        if required is not None:
            if required and await active_connection_of(organization_id) is None:
                raise InvalidInput(
                    "Enable a connection first: with SSO required and no active connection, "
                    "nobody at your verified domains could sign in.",
                    field="required",
                )
            changes[Organization.sso_required] = required
        if break_glass_user_ids is not None:
            chosen = list(dict.fromkeys(break_glass_user_ids))
            if len(chosen) > MAX_BREAK_GLASS:
                raise InvalidInput(
                    f"Keep at most {MAX_BREAK_GLASS} break-glass admins.", field="breakGlassUserIds"
                )
            for user_id in chosen:
                if not await _may_manage_sso(user_id, organization_id):
                    raise InvalidInput(
                        "A break-glass account must be an active member who manages SSO.",
                        field="breakGlassUserIds",
                    )
            changes[Organization.sso_break_glass] = chosen
        if changes:
            changes[Organization.updated_at] = now()
            await Organization.update(changes).where(Organization.id == organization_id)
            updated = await _stored(organization_id)
            assert updated is not None  # noqa: S101 - locked above
            await audit.record(
                principal,
                "organization.sso_requirement_updated",
                target=("organization", organization_id),
                organization_id=organization_id,
                data={
                    "required": updated.required,
                    "break_glass_user_ids": list(updated.break_glass_user_ids),
                },
            )
            return updated
    return current


async def _break_glass(user_id: str | None, organization_id: str) -> bool:
    """Named as break-glass and still managing SSO there: a demoted admin loses it at once."""
    if user_id is None:
        return False
    found = await _stored(organization_id)
    if found is None or user_id not in found.break_glass_user_ids:
        return False
    return await _may_manage_sso(user_id, organization_id)


async def discovery_for(email: str) -> ConnectionRow | None:
    """Where the email step sends this address instead of a code: its organization's IdP, unless
    the person is one of that organization's break-glass admins."""
    connection = await connection_for_email(email)
    if connection is None:
        return None
    user = await User.select(User.id).where(User.email == email.strip().lower()).first()
    if await _break_glass(user["id"] if user else None, connection.organization_id):
        return None
    return connection


async def sso_required_for(user_id: str, email: str) -> ConnectionRow | None:
    """The connection this person must sign in through (no code, no passkey), if any."""
    connection = await connection_for_email(email)
    if connection is None:
        return None
    found = await _stored(connection.organization_id)
    if found is None or not found.required or await _break_glass(user_id, connection.organization_id):
        return None
    return connection
