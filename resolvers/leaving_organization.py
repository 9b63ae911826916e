"""Leaving an organization ends what was granted in it, and nothing the person holds elsewhere.

A removed member's refresh tokens made in the organization are revoked. Each of their sessions
ends only when the organization was all it had: no other organization the person is active in,
and no app grant made in it for anything else. Otherwise the session goes on (out of the
organization if it was the active one), and only the apps whose every grant in that session was
made in the organization hear a back-channel logout for it; `user.logout` is sent only for a
session that really ended.
"""

from db.identity import Session
from db.oauth import AuthorizationCode, RefreshToken
from db.orgs import Membership
from resolvers import audit, jobs
from resolvers.backchannel_logout import logout_targets
from resolvers.clock import now
from resolvers.principal import Principal
from resolvers.sessions import end_session, set_active_organization

REMOVAL_REASON = "membership_removed"
DEPROVISIONED = "deprovisioned"  # suspended by the organization's directory (SCIM)


async def _other_active_memberships(user_id: str, organization_id: str) -> int:
    count: int = await Membership.count().where(
        (Membership.user == user_id)
        & (Membership.organization != organization_id)
        & (Membership.status == "active")
    )
    return count


async def _grant_organizations(session_id: str) -> dict[str, set[str | None]]:
    """For each app that received tokens in the session, the organizations its grants were made in."""
    rows = await AuthorizationCode.select(
        AuthorizationCode.application, AuthorizationCode.organization_id
    ).where((AuthorizationCode.session == session_id) & AuthorizationCode.used_at.is_not_null())
    grants: dict[str, set[str | None]] = {}
    for row in rows:
        grants.setdefault(str(row["application"]), set()).add(row["organization_id"])
    return grants


async def end_grants_in_organization(
    principal: Principal, user_id: str, organization_id: str, *, reason: str = REMOVAL_REASON
) -> None:
    """Call inside the transaction that removes (or suspends) the membership, after it is gone."""
    moment = now()
    await RefreshToken.update({RefreshToken.revoked_at: moment}).where(
        (RefreshToken.user == user_id)
        & (RefreshToken.organization_id == organization_id)
        & RefreshToken.revoked_at.is_null()
    )
    elsewhere = await _other_active_memberships(user_id, organization_id) > 0
    sessions = await Session.select(Session.id, Session.active_organization).where(
        (Session.user == user_id) & Session.revoked_at.is_null()
    )
    for session in sessions:
        grants = await _grant_organizations(session["id"])
        only_here = {app for app, organizations in grants.items() if organizations == {organization_id}}
        if not elsewhere and len(only_here) == len(grants):
            await end_session(principal, session["id"], reason)
            continue
        if session["active_organization"] == organization_id:
            await set_active_organization(session["id"], None)
        for application_id in await logout_targets(session["id"], only_here):
            await jobs.enqueue(
                "backchannel_logout",
                {"application_id": application_id, "session_id": session["id"], "user_id": user_id},
            )
        await audit.record(
            principal,
            "session.left_organization",
            target=("session", session["id"]),
            organization_id=organization_id,
            data={"reason": reason, "notified": sorted(only_here)},
        )
