"""Answering an invitation: the person who proved the invited address accepts or declines it.

A sign-in alone accepts nothing: the organization step shows each pending invitation (which
organization, which role) and the person answers. Following an invitation's emailed link and then
proving its address is itself the answer "yes" to that one invitation.
"""

import datetime as dt
from dataclasses import dataclass

from piccolo.custom_types import Combinable

from db.orgs import Invitation, Membership, Role
from db.transaction import transaction
from db.users import User
from resolvers import audit, events
from resolvers.clock import now
from resolvers.crypto import hash_token
from resolvers.errors import NotFound
from resolvers.events import membership_payload
from resolvers.organization_lock import lock_organization
from resolvers.principal import UserPrincipal


class InvitationNotOpen(NotFound):
    """No pending invitation with that id for this person: answered, revoked, expired or not theirs."""

    code = "invitation_not_found"


@dataclass(frozen=True, slots=True)
class PendingInvitation:
    id: str
    organization_id: str
    organization_name: str
    role_name: str
    expires_at: dt.datetime


async def _verified_email(user_id: str) -> str | None:
    """Only a proven address may answer the invitations sent to it."""
    user = await User.select(User.email, User.email_verified).where(User.id == user_id).first()
    return str(user["email"]) if user and user["email_verified"] else None


async def pending_invitations(user_id: str, *, limit: int | None = None) -> list[PendingInvitation]:
    """The open invitations to the person's verified address, oldest first (the first `limit`)."""
    email = await _verified_email(user_id)
    if email is None:
        return []
    query = (
        Invitation.select(
            Invitation.id,
            Invitation.organization,
            Invitation.organization.name.as_alias("organization_name"),
            Invitation.role.name.as_alias("role_name"),
            Invitation.expires_at,
        )
        .where(
            (Invitation.email == email) & (Invitation.status == "pending") & (Invitation.expires_at > now())
        )
        .order_by(Invitation.id)
    )
    rows = await (query.limit(limit) if limit is not None else query)
    return [
        PendingInvitation(
            id=row["id"],
            organization_id=row["organization"],
            organization_name=row["organization_name"],
            role_name=row["role_name"],
            expires_at=row["expires_at"],
        )
        for row in rows
    ]


async def _answer(email: str, where: Combinable, status: str) -> tuple[str, str] | None:
    """Move one open invitation to `status` in a single conditional UPDATE (a racing revoke or a
    second answer finds nothing); returns its id and organization."""
    moment = now()
    changes: dict[object, object] = {Invitation.status: status}
    if status == "accepted":
        changes[Invitation.accepted_at] = moment
    answered = (
        await Invitation.update(changes)  # type: ignore[arg-type]
        .where(
            where
            & (Invitation.email == email)
            & (Invitation.status == "pending")
            & (Invitation.expires_at > moment)
        )
        .returning(Invitation.id, Invitation.organization)
    )
    if not answered:
        return None
    return str(answered[0]["id"]), str(answered[0]["organization"])


async def _lock_inviting_organization(where: Combinable) -> None:
    """An acceptance is a membership change: it waits for a racing removal or role change (the
    same organization lock they take), so it never activates a membership being taken away."""
    invitation = await Invitation.select(Invitation.organization).where(where).first()
    if invitation is not None:
        await lock_organization(str(invitation["organization"]))


async def _offered(user_id: str, where: Combinable) -> bool:
    """Whether the membership the invitation offers still waits (an admin may have withdrawn it)."""
    invitation = await Invitation.select(Invitation.organization).where(where).first()
    return invitation is not None and await Membership.exists().where(
        (Membership.user == user_id)
        & (Membership.organization == invitation["organization"])
        & (Membership.status == "invited")
    )


async def _activate(user_id: str, email: str, invitation_id: str, organization_id: str) -> None:
    """The invited membership becomes active; recorded and announced like every change."""
    moment = now()
    activated = (
        await Membership.update({Membership.status: "active", Membership.updated_at: moment})
        .where(
            (Membership.user == user_id)
            & (Membership.organization == organization_id)
            & (Membership.status == "invited")
        )
        .returning(Membership.id, Membership.role)
    )
    await audit.record(
        UserPrincipal(user_id=user_id),
        "invitation.accepted",
        target=("invitation", invitation_id),
        organization_id=organization_id,
    )
    await events.emit(
        "invitation.accepted",
        {
            "invitation": {"id": invitation_id, "email": email, "organization_id": organization_id},
            "user_id": user_id,
        },
        organization_id=organization_id,
    )
    for membership in activated:
        role = await Role.select(Role.key).where(Role.id == membership["role"]).first()
        await events.emit(
            "membership.created",
            {
                "membership": membership_payload(
                    membership["id"], user_id, organization_id, role["key"] if role else ""
                )
            },
            organization_id=organization_id,
        )


def _check_id(invitation_id: str) -> None:
    if not (invitation_id.isascii() and invitation_id.isprintable() and len(invitation_id) <= 40):
        raise InvitationNotOpen("This invitation is no longer open. It may have been withdrawn.")


async def accept_invitation(user_id: str, invitation_id: str) -> str:
    """The person says yes in the organization step; returns the organization they joined."""
    _check_id(invitation_id)
    email = await _verified_email(user_id)
    async with transaction():
        await _lock_inviting_organization(Invitation.id == invitation_id)
        offered = await _offered(user_id, Invitation.id == invitation_id)
        answered = (
            await _answer(email, Invitation.id == invitation_id, "accepted") if email and offered else None
        )
        if answered is None:
            raise InvitationNotOpen("This invitation is no longer open. It may have been withdrawn.")
        await _activate(user_id, str(email), *answered)
    return answered[1]


async def accept_invitation_link(user_id: str, email: str, token: str) -> str | None:
    """The emailed link was followed and its address just proven: that one invitation is accepted.

    Call inside the sign-in transaction; a link for another address, or no longer open, does nothing.
    """
    await _lock_inviting_organization(Invitation.token_hash == hash_token(token))
    if not await _offered(user_id, Invitation.token_hash == hash_token(token)):
        return None
    answered = await _answer(email, Invitation.token_hash == hash_token(token), "accepted")
    if answered is None:
        return None
    await _activate(user_id, email, *answered)
    return answered[1]


async def decline_invitation(user_id: str, invitation_id: str) -> None:
    """The person says no: the invitation is declined, the offered membership withdrawn, and the
    organization told (audit row and `invitation.declined`)."""
    _check_id(invitation_id)
    email = await _verified_email(user_id)
    async with transaction():
        answered = await _answer(email, Invitation.id == invitation_id, "declined") if email else None
        if answered is None:
            raise InvitationNotOpen("This invitation is no longer open. It may have been withdrawn.")
        _, organization_id = answered
        await Membership.delete().where(
            (Membership.user == user_id)
            & (Membership.organization == organization_id)
            & (Membership.status == "invited")
        )
        await audit.record(
            UserPrincipal(user_id=user_id),
            "invitation.declined",
            target=("invitation", invitation_id),
            organization_id=organization_id,
        )
        await events.emit(
            "invitation.declined",
            {
                "invitation": {"id": invitation_id, "email": email, "organization_id": organization_id},
                "user_id": user_id,
            },
            organization_id=organization_id,
        )
