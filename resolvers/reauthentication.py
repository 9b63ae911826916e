"""Sensitive changes (passkeys, later SSO and SCIM secrets) need a recent authentication."""

import datetime as dt

from db.identity import Session
from resolvers.authorization import require_portal
from resolvers.clock import now
from resolvers.errors import DomainError
from resolvers.principal import Principal, UserPrincipal

MAX_AGE = dt.timedelta(minutes=5)


class ReauthenticationRequired(DomainError):
    """The session's last sign-in is too old for this change: sign in again (or use a passkey)."""

    code = "reauthentication_required"


async def require_recent_authentication(principal: UserPrincipal) -> None:
    """Refuse unless this session authenticated within MAX_AGE (tokens without a session never do)."""
    require_portal(principal)
    row = None
    if principal.session_id is not None:
        row = await Session.select(Session.auth_time).where(Session.id == principal.session_id).first()
    if row is None or now() - row["auth_time"] > MAX_AGE:
        raise ReauthenticationRequired(
            "Confirm it's you: sign in again to make this change.",
            max_age_seconds=int(MAX_AGE.total_seconds()),
        )


async def require_recent_sign_in_of_a_person(principal: Principal) -> None:
    """For changes that decide who signs in or belongs (SSO, SCIM): a person needs a recent
    sign-in; integrators and the system act without one."""
    if isinstance(principal, UserPrincipal):
        await require_recent_authentication(principal)
