"""Invitations: an admin offers a role by email; the person answers it (`invitation_answers`)."""

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any
from urllib.parse import urlencode

from db.ids import new_id
from db.orgs import Invitation, Membership, Organization, Role
from db.transaction import transaction
from db.users import User
from resolvers import audit, events, jobs
from resolvers.authorization import require
from resolvers.clock import now
from resolvers.crypto import constant_time_equal, hash_token, random_token
from resolvers.deployment import Deployment
from resolvers.emails import normalize_email
from resolvers.errors import DomainError, InvalidInput, NotFound
from resolvers.invitation_limits import (
    AddressLimitReached,
    InvitationLimitReached,
    require_resend_allowed,
    require_room_for_invitation,
)
from resolvers.joining_by_email_domain import forget_removal
from resolvers.organization_lock import lock_organization
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal, UserPrincipal
from resolvers.role_authority import require_authority

INVITATION_DAYS = 7
MAX_EMAILS_PER_REQUEST = 50


class InvitationNotPending(DomainError):
    """Only a pending invitation (or one that expired unanswered) can be resent or revoked."""

    code = "invitation_not_pending"


@dataclass(frozen=True, slots=True)
class InvitationRow:
    id: str
    organization_id: str
    email: str
    role_key: str
    status: str
    expires_at: dt.datetime
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class InviteProblem:
    email: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class InviteOutcome:
    invitations: list[InvitationRow]
    problems: list[InviteProblem]


_COLUMNS = (
    Invitation.id,
    Invitation.organization,
    Invitation.email,
    Invitation.status,
    Invitation.expires_at,
    Invitation.created_at,
    Invitation.role.key.as_alias("role_key"),
)


def _row(row: dict[str, Any]) -> InvitationRow:
    status = row["status"]
    if status == "pending" and row["expires_at"] <= now():
        status = "expired"
    return InvitationRow(
        id=row["id"],
        organization_id=row["organization"],
        email=row["email"],
        role_key=row["role_key"],
        status=status,
        expires_at=row["expires_at"],
        created_at=row["created_at"],
    )


async def _role_id(role_key: str) -> str:
    role = await Role.select(Role.id).where(Role.key == role_key).first()
    if role is None:
        raise NotFound(f"No role {role_key!r}.", field="role")
    return str(role["id"])


async def _grantable_role(principal: Principal, role_key: str) -> str:
    role_id = await _role_id(role_key)
    await require_authority(principal, new_role_id=role_id)
    return role_id


def _email(
    deployment: Deployment, organization: str, app_name: str, email: str, token: str
) -> dict[str, str]:
    link = f"{deployment.issuer}/a/auth/invitation?" + urlencode({"token": token})
    return {
        "to": email,
        "subject": f"You are invited to join {organization} on {app_name}",
        "text": (
            f"You have been invited to join {organization} on {app_name}.\n\n"
            f"Accept the invitation:\n{link}\n\n"
            f"Sign in or create your account with this address ({email}) to join. "
            f"The invitation expires in {INVITATION_DAYS} days."
        ),
    }


async def invite_members(
    principal: Principal,
    deployment: Deployment,
    organization_id: str,
    *,
    emails: list[str],
    role_key: str,
    app_name: str,
) -> InviteOutcome:
    """Invite each address; an existing member or a malformed address is reported, not fatal."""
    require(principal, "sk_org_users_invite", organization_id)
    if not emails or len(emails) > MAX_EMAILS_PER_REQUEST:
        raise InvalidInput(
            f"Invite between 1 and {MAX_EMAILS_PER_REQUEST} addresses at a time.", field="emails"
        )
    role_id = await _grantable_role(principal, role_key)
    organization = (
        await Organization.select(Organization.name).where(Organization.id == organization_id).first()
    )
    if organization is None:
        raise NotFound("No such organization.")
    invited: list[InvitationRow] = []
    problems: list[InviteProblem] = []
    for raw in dict.fromkeys(emails):
        try:
            email = normalize_email(raw)
        except DomainError as error:
            problems.append(InviteProblem(raw, "INVALID_EMAIL", error.message))
            continue
        outcome = await _invite_one(
            principal, deployment, organization_id, organization["name"], email, role_id, app_name
        )
        if isinstance(outcome, InviteProblem):
            problems.append(outcome)
        else:
            invited.append(outcome)
    return InviteOutcome(invitations=invited, problems=problems)


async def _invite_one(
    principal: Principal,
    deployment: Deployment,
    organization_id: str,
    organization_name: str,
    email: str,
    role_id: str,
    app_name: str,
) -> InvitationRow | InviteProblem:
    moment = now()
    token = random_token()
    async with transaction():
        await lock_organization(organization_id)  # two invitations of one address make one member
        user = await User.select(User.id).where(User.email == email).first()
        if user is not None and await Membership.exists().where(
            (Membership.user == user["id"]) & (Membership.organization == organization_id)
        ):
            return InviteProblem(email, "ALREADY_MEMBER", f"{email} is already a member or invited.")
        try:
            await require_room_for_invitation(organization_id, email)
        except (InvitationLimitReached, AddressLimitReached) as error:
            return InviteProblem(email, error.code.upper(), error.message)
        if user is None:
            user_id = new_id("usr")
            await User.insert(User(id=user_id, email=email, created_at=moment, updated_at=moment))
        else:
            user_id = user["id"]
            await forget_removal(organization_id, user_id)  # invited again: the removal no longer stands
        await Membership.insert(
            Membership(
                id=new_id("mem"),
                user=user_id,
                organization=organization_id,
                role=role_id,
                status="invited",
                source="invite",
                created_at=moment,
                updated_at=moment,
            )
        )
        invitation_id = new_id("inv")
        await Invitation.insert(
            Invitation(
                id=invitation_id,
                organization=organization_id,
                email=email,
                role=role_id,
                token_hash=hash_token(token),
                inviter=principal.user_id if isinstance(principal, UserPrincipal) else None,
                status="pending",
                expires_at=moment + dt.timedelta(days=INVITATION_DAYS),
                created_at=moment,
            )
        )
        await jobs.enqueue(
            "send_email", _email(deployment, organization_name, app_name, email, token), max_attempts=5
        )
        await audit.record(
            principal,
            "invitation.created",
            target=("invitation", invitation_id),
            organization_id=organization_id,
            data={"email": email},
        )
        await events.emit(
            "invitation.created",
            {"invitation": {"id": invitation_id, "email": email, "organization_id": organization_id}},
            organization_id=organization_id,
        )
    row = await Invitation.select(*_COLUMNS).where(Invitation.id == invitation_id).first()
    if row is None:
        raise NotFound("The invitation vanished while it was being created.")
    return _row(row)


async def list_invitations(
    principal: Principal,
    organization_id: str,
    *,
    statuses: frozenset[str] | None = None,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
) -> Page[InvitationRow]:
    """Oldest first; with `statuses`, only those (the portal asks for pending and expired, so an
    organization's history of accepted and revoked invitations is never read for it)."""
    require(principal, "sk_org_users_read", organization_id)
    query = Invitation.select(*_COLUMNS).where(Invitation.organization == organization_id)
    if statuses is not None:
        if not statuses:  # no status asked for: nothing (an empty IN () is an error in Piccolo)
            return Page([], None, False)
        query = query.where(_having_status(statuses))
    page = await keyset_page(query, Invitation.id, first=first, after=after)
    return page.map(_row)


def _having_status(statuses: frozenset[str]) -> Any:
    """The stored rows that read as one of `statuses`: "expired" is a pending row past its expiry."""
    moment = now()
    conditions: list[Any] = []
    stored = sorted(statuses - {"pending", "expired"})
    if stored:
        conditions.append(Invitation.status.is_in(stored))
    if "pending" in statuses:
        conditions.append((Invitation.status == "pending") & (Invitation.expires_at > moment))
    if "expired" in statuses:
        conditions.append((Invitation.status == "pending") & (Invitation.expires_at <= moment))
    return reduce(operator.or_, conditions)


async def _find(principal: Principal, invitation_id: str) -> InvitationRow:
    row = await Invitation.select(*_COLUMNS).where(Invitation.id == invitation_id).first()
    if row is None:
        raise NotFound("No such invitation.")
    found = _row(row)
    if isinstance(principal, UserPrincipal) and principal.organization_id != found.organization_id:
        raise NotFound("No such invitation.")
    require(principal, "sk_org_users_invite", found.organization_id)
    return found


def _not_pending(found: InvitationRow) -> InvitationNotPending:
    if found.status == "accepted":
        message = (
            f"{found.email} already accepted this invitation and is a member: remove the member instead."
        )
    else:
        message = f"The invitation to {found.email} was {found.status}: invite them again instead."
    return InvitationNotPending(message, status=found.status)


async def _claim_pending(invitation_id: str, changes: dict[Any, Any]) -> bool:
    """Change the invitation only while it is still pending, in one statement (a racing accept,
    revoke or resend makes it find nothing)."""
    changed = (
        await Invitation.update(changes)
        .where((Invitation.id == invitation_id) & (Invitation.status == "pending"))
        .returning(Invitation.id)
    )
    return bool(changed)


async def resend_invitation(
    principal: Principal, deployment: Deployment, invitation_id: str, *, app_name: str
) -> InvitationRow:
    """A new link (the old one stops working) and a new expiry; refused once accepted or revoked."""
    found = await _find(principal, invitation_id)
    await require_authority(principal, current_role_id=await _role_id(found.role_key))
    if found.status not in {"pending", "expired"}:
        raise _not_pending(found)
    token = random_token()
    organization = (
        await Organization.select(Organization.name).where(Organization.id == found.organization_id).first()
    )
    async with transaction():
        await lock_organization(found.organization_id)
        await require_resend_allowed(found.organization_id, invitation_id, found.email)
        renewed = await _claim_pending(
            invitation_id,
            {
                Invitation.token_hash: hash_token(token),
                Invitation.expires_at: now() + dt.timedelta(days=INVITATION_DAYS),
            },
        )
        if not renewed:
            raise _not_pending(await _find(principal, invitation_id))
        await jobs.enqueue(
            "send_email",
            _email(deployment, organization["name"] if organization else "", app_name, found.email, token),
            max_attempts=5,
        )
        await audit.record(
            principal,
            "invitation.resent",
            target=("invitation", invitation_id),
            organization_id=found.organization_id,
        )
    return await _find(principal, invitation_id)


async def revoke_invitation(principal: Principal, invitation_id: str) -> InvitationRow:
    """Withdraw a pending offer; an accepted one is refused (the person is a member: remove them)."""
    found = await _find(principal, invitation_id)
    await require_authority(principal, current_role_id=await _role_id(found.role_key))
    if found.status not in {"pending", "expired"}:
        raise _not_pending(found)
    async with transaction():
        await lock_organization(found.organization_id)
        if not await _claim_pending(invitation_id, {Invitation.status: "revoked"}):
            raise _not_pending(await _find(principal, invitation_id))
        user = await User.select(User.id).where(User.email == found.email).first()
        if user is not None:
            await Membership.delete().where(
                (Membership.user == user["id"])
                & (Membership.organization == found.organization_id)
                & (Membership.status == "invited")
            )
        await audit.record(
            principal,
            "invitation.revoked",
            target=("invitation", invitation_id),
            organization_id=found.organization_id,
        )
        await events.emit(
            "invitation.revoked",
            {
                "invitation": {
                    "id": invitation_id,
                    "email": found.email,
                    "organization_id": found.organization_id,
                }
            },
            organization_id=found.organization_id,
        )
    return await _find(principal, invitation_id)


async def follow_member_role(organization_id: str, email: str, role_id: str) -> None:
    """The invited member's role changed: their pending invitation offers that role (one truth).

    Call inside the transaction that changes the membership.
    """
    await Invitation.update({Invitation.role: role_id}).where(
        (Invitation.organization == organization_id)
        & (Invitation.email == email)
        & (Invitation.status == "pending")
    )


async def invitation_for_link(token: str) -> InvitationRow | None:
    """The pending, unexpired invitation a link's token stands for."""
    row = (
        await Invitation.select(*_COLUMNS, Invitation.token_hash)
        .where(Invitation.token_hash == hash_token(token))
        .first()
    )
    if row is None or not constant_time_equal(row["token_hash"], hash_token(token)):
        return None
    found = _row(row)
    return found if found.status == "pending" else None
