"""How many invitations an organization may hold and send: bounded, so no tenant fills the
database or mail-bombs an address.

Each check counts rows and must run under the organization lock (`lock_organization`), in the
transaction that then writes the invitation or the resend: two racing requests are serialized,
so the second one counts the first.
"""

import datetime as dt

from db.events import AuditEvent
from db.orgs import Invitation
from resolvers.clock import now
from resolvers.errors import DomainError

MAX_PENDING_INVITATIONS = 1_000
MAX_RESENDS_PER_DAY = 5
MAX_INVITATIONS_PER_ADDRESS_PER_DAY = 3
DAY = dt.timedelta(days=1)


class InvitationLimitReached(DomainError):
    code = "invitation_limit_reached"


class AddressLimitReached(DomainError):
    code = "address_limit_reached"


class ResendLimitReached(DomainError):
    code = "resend_limit_reached"


async def require_room_for_invitation(organization_id: str, email: str) -> None:
    """Refuse a new invitation past the organization's open ones, or past the address's day."""
    open_invitations = await Invitation.count().where(
        (Invitation.organization == organization_id) & (Invitation.status == "pending")
    )
    if open_invitations >= MAX_PENDING_INVITATIONS:
        raise InvitationLimitReached(
            f"This organization already has {MAX_PENDING_INVITATIONS:,} open invitations (pending or "
            "expired): revoke some before inviting more.",
            limit=MAX_PENDING_INVITATIONS,
        )
    sent_today = await Invitation.count().where(
        (Invitation.organization == organization_id)
        & (Invitation.email == email)
        & (Invitation.created_at > now() - DAY)
    )
    if sent_today >= MAX_INVITATIONS_PER_ADDRESS_PER_DAY:
        raise AddressLimitReached(
            f"{email} was already invited {MAX_INVITATIONS_PER_ADDRESS_PER_DAY} times today: "
            "try again tomorrow, or resend the invitation they have.",
            limit=MAX_INVITATIONS_PER_ADDRESS_PER_DAY,
        )


async def require_resend_allowed(organization_id: str, invitation_id: str, email: str) -> None:
    """Refuse a resend past the invitation's day (resends are counted in the audit log)."""
    resent_today = await AuditEvent.count().where(
        (AuditEvent.organization_id == organization_id)
        & (AuditEvent.action == "invitation.resent")
        & (AuditEvent.target_id == invitation_id)
        & (AuditEvent.created_at > now() - DAY)
    )
    if resent_today >= MAX_RESENDS_PER_DAY:
        raise ResendLimitReached(
            f"The invitation to {email} was already sent again {MAX_RESENDS_PER_DAY} times today: "
            "the last link still works; try again tomorrow.",
            limit=MAX_RESENDS_PER_DAY,
        )
