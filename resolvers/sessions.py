"""Browser sessions: created at every sign-in, checked on every request, ended for a reason."""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from db.identity import Session
from db.ids import new_id
from db.oauth import RefreshToken
from db.transaction import transaction
from resolvers import audit, backchannel_logout, events
from resolvers.authorization import require_portal
from resolvers.clock import now
from resolvers.crypto import hash_token, random_token
from resolvers.environment_settings import environment_settings
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal, SystemPrincipal, UserPrincipal
from resolvers.session_policy import apply_to_session, effective_timeouts, expiries
from resolvers.user_agents import describe_user_agent
from resolvers.users import UserRow

LAST_ACTIVE_WRITE_INTERVAL = dt.timedelta(seconds=60)
# Ends that someone other than the session's own browser caused: also a `session.revoked` event.
REVOCATIONS = frozenset({"revoked", "membership_removed", "deprovisioned"})


@dataclass(frozen=True, slots=True)
class ActiveSession:
    id: str
    user_id: str
    active_organization_id: str | None
    auth_time: dt.datetime
    amr: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NewSession:
    id: str
    token: str  # goes into the cookie; only its hash is stored
    absolute_expires_at: dt.datetime


async def create_session(
    *,
    user_id: str,
    organization_id: str | None,
    amr: list[str],
    ip: str,
    user_agent: str,
    sso_connection_id: str | None = None,
) -> NewSession:
    """A fresh session (and token) for each sign-in, expiring by the environment's policy."""
    settings = await environment_settings()
    moment = now()
    absolute = moment + dt.timedelta(minutes=settings.session_absolute_minutes)
    idle_minutes = settings.session_idle_minutes
    idle = moment + dt.timedelta(minutes=idle_minutes) if idle_minutes else None
    token = random_token()
    session_id = new_id("ses")
    await Session.insert(
        Session(
            id=session_id,
            token_hash=hash_token(token),
            user=user_id,
            active_organization=organization_id,
            created_at=moment,
            auth_time=moment,
            last_active_at=moment,
            absolute_expires_at=absolute,
            idle_expires_at=idle,
            amr=amr,
            sso_connection_id=sso_connection_id,
            ip=ip[:64],
            user_agent=user_agent[:1000],
        )
    )
    return NewSession(id=session_id, token=token, absolute_expires_at=absolute)


async def reauthenticate(
    session_id: str, amr: list[str], sso_connection_id: str | None = None
) -> NewSession | None:
    """The same person signed in again in this browser: same session (and `sid`), fresh proof.

    The token is rotated (no fixation) and `auth_time` moves to now, which is what recent-
    authentication checks and `max_age` look at; apps holding tokens for the session keep them.
    """
    moment = now()
    token = random_token()
    async with transaction():
        current = (
            await Session.select(Session.last_active_at, Session.idle_expires_at)
            .where(Session.id == session_id)
            .first()
        )
        if current is None:
            return None
        changes: dict[Any, Any] = {
            Session.token_hash: hash_token(token),
            Session.auth_time: moment,
            Session.last_active_at: moment,
            Session.amr: amr,
            Session.sso_connection_id: sso_connection_id,
        }
        if current["idle_expires_at"] is not None:  # activity: the idle window slides with it
            window = current["idle_expires_at"] - current["last_active_at"]
            changes[Session.idle_expires_at] = moment + window
        updated = (
            await Session.update(changes)
            .where((Session.id == session_id) & Session.revoked_at.is_null())
            .returning(Session.user, Session.absolute_expires_at)
        )
        if not updated:
            return None
        await audit.record(
            UserPrincipal(user_id=updated[0]["user"], session_id=session_id),
            "session.reauthenticated",
            target=("session", session_id),
            data={"amr": amr},
        )
    return NewSession(id=session_id, token=token, absolute_expires_at=updated[0]["absolute_expires_at"])


async def resolve_session(token: str) -> ActiveSession | None:
    """The live session for a cookie token; expired ones are ended here, idle time is refreshed."""
    row = (
        await Session.select(
            Session.id,
            Session.user,
            Session.active_organization,
            Session.auth_time,
            Session.amr,
            Session.last_active_at,
            Session.absolute_expires_at,
            Session.idle_expires_at,
            Session.revoked_at,
        )
        .where(Session.token_hash == hash_token(token))
        .first()
        .output(load_json=True)
    )
    if row is None or row["revoked_at"] is not None:
        return None
    moment = now()
    expired_idle = row["idle_expires_at"] is not None and row["idle_expires_at"] <= moment
    if row["absolute_expires_at"] <= moment or expired_idle:
        await end_session(SystemPrincipal("expiry"), row["id"], "idle_timeout" if expired_idle else "expired")
        return None
    if moment - row["last_active_at"] >= LAST_ACTIVE_WRITE_INTERVAL:
        await _touch(row["id"], moment, row["idle_expires_at"], row["last_active_at"])
    return ActiveSession(
        id=row["id"],
        user_id=row["user"],
        active_organization_id=row["active_organization"],
        auth_time=row["auth_time"],
        amr=tuple(row["amr"] or ()),
    )


async def _touch(
    session_id: str, moment: dt.datetime, idle_expires_at: dt.datetime | None, last: dt.datetime
) -> None:
    """Record activity at most once a minute per session, sliding the idle expiry with it.

    The window (idle expiry minus last activity) is carried forward. The write only lands if
    neither moved since they were read, so a policy change made meanwhile is never overwritten
    with the old window (a lost touch is retried by the next request).
    """
    changes: dict[object, object] = {Session.last_active_at: moment}
    unchanged = Session.idle_expires_at.is_null()
    if idle_expires_at is not None:
        changes[Session.idle_expires_at] = moment + (idle_expires_at - last)
        unchanged = Session.idle_expires_at == idle_expires_at
    await Session.update(changes).where(  # type: ignore[arg-type]
        (Session.id == session_id) & (Session.last_active_at == last) & unchanged
    )


async def set_active_organization(session_id: str, organization_id: str | None) -> None:
    """Enter an organization: its session policy (the stricter rule) now governs the session."""
    async with transaction():  # never in the organization with the previous one's expiries
        await Session.update({Session.active_organization: organization_id}).where(Session.id == session_id)
        await apply_to_session(session_id, organization_id)


async def switch_organization(principal: Principal, session_id: str, organization_id: str) -> None:
    """The person chose another of their organizations in the portal (membership checked by the caller)."""
    require_portal(principal)
    async with transaction():
        await set_active_organization(session_id, organization_id)
        await audit.record(
            principal,
            "session.organization_switched",
            target=("session", session_id),
            organization_id=organization_id,
        )


async def end_session(principal: Principal, session_id: str, reason: str) -> bool:
    """End a session and everything issued from it; True if it was still live."""
    moment = now()
    async with transaction():
        ended = (
            await Session.update({Session.revoked_at: moment, Session.revoke_reason: reason})
            .where((Session.id == session_id) & Session.revoked_at.is_null())
            .returning(Session.user, Session.active_organization)
        )
        if not ended:
            return False
        await RefreshToken.update({RefreshToken.revoked_at: moment}).where(
            (RefreshToken.session == session_id) & RefreshToken.revoked_at.is_null()
        )
        await audit.record(
            principal, "session.ended", target=("session", session_id), data={"reason": reason}
        )
        user_id = ended[0]["user"]
        await backchannel_logout.queue_notifications(session_id, user_id)
        organization_id = ended[0]["active_organization"]
        details = {"user_id": user_id, "session_id": session_id, "reason": reason}
        await events.emit("user.logout", details, organization_id=organization_id)
        if reason in REVOCATIONS:
            await events.emit("session.revoked", details, organization_id=organization_id)
    return True


@dataclass(frozen=True, slots=True)
class SessionActivity:
    """When a session began and was last used, and where it is: what a token refresh checks."""

    id: str
    active_organization_id: str | None
    created_at: dt.datetime
    last_active_at: dt.datetime
    idle_expires_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class LiveSession:
    """What tokens need from a live session: when and how the user authenticated."""

    auth_time: dt.datetime
    amr: tuple[str, ...]
    activity: SessionActivity | None = None  # only from live_session_and_user


async def live_session(session_id: str) -> LiveSession | None:
    """The session if it is neither revoked nor expired, in one query."""
    row = (
        await Session.select(*_liveness_columns())
        .where(Session.id == session_id)
        .first()
        .output(load_json=True)
    )
    if row is None or not _is_live(row):
        return None
    return LiveSession(auth_time=row["auth_time"], amr=tuple(row["amr"] or ()))


_SESSION_AND_USER_SQL = """
SELECT s.revoked_at, s.absolute_expires_at, s.idle_expires_at, s.auth_time, s.amr,
       s.id AS session_id, s.active_organization, s.created_at, s.last_active_at,
       u.id AS user_id, u.email, u.email_verified, u.first_name, u.last_name
FROM user_session s JOIN tenantry_user u ON u.id = s."user"
WHERE s.id = {}
"""


async def live_session_and_user(session_id: str) -> tuple[LiveSession, UserRow] | None:
    """The live session and its user in one query (the token endpoint's hot path).

    Raw SQL: building this join through Piccolo's column objects cost a third of a refresh.
    """
    rows = await Session.raw(_SESSION_AND_USER_SQL, session_id)
    if not rows or not _is_live(rows[0]):
        return None
    row = rows[0]
    amr = json.loads(row["amr"]) if isinstance(row["amr"], str) else row["amr"]
    user = UserRow.from_row({**row, "id": row["user_id"]})
    activity = SessionActivity(
        id=row["session_id"],
        active_organization_id=row["active_organization"],
        created_at=row["created_at"],
        last_active_at=row["last_active_at"],
        idle_expires_at=row["idle_expires_at"],
    )
    return LiveSession(auth_time=row["auth_time"], amr=tuple(amr or ()), activity=activity), user


async def used_by_app(activity: SessionActivity, organization_id: str | None) -> bool:
    """An app refreshed its tokens: False if the grant's organization says the session is over.

    A grant made while the session was in another organization keeps that organization's
    policy (otherwise switching organizations would escape a stricter one). Otherwise the refresh
    is activity like a page view: the idle expiry slides, at most once a minute.
    """
    moment = now()
    if organization_id is not None and organization_id != activity.active_organization_id:
        absolute, idle = expiries(
            await effective_timeouts(organization_id), activity.created_at, activity.last_active_at
        )
        if absolute <= moment or (idle is not None and idle <= moment):
            return False
    if moment - activity.last_active_at >= LAST_ACTIVE_WRITE_INTERVAL:
        await _touch(activity.id, moment, activity.idle_expires_at, activity.last_active_at)
    return True


def _liveness_columns() -> tuple[Any, ...]:
    return (
        Session.revoked_at,
        Session.absolute_expires_at,
        Session.idle_expires_at,
        Session.auth_time,
        Session.amr,
    )


def _is_live(row: dict[str, Any]) -> bool:
    if row["revoked_at"] is not None:
        return False
    moment = now()
    if row["absolute_expires_at"] <= moment:
        return False
    return row["idle_expires_at"] is None or row["idle_expires_at"] > moment


async def is_session_live(session_id: str) -> bool:
    return await live_session(session_id) is not None


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A live session as its owner sees it in the Security widget."""

    id: str
    device: str
    ip: str
    created_at: dt.datetime
    last_active_at: dt.datetime
    amr: tuple[str, ...]
    current: bool


async def list_sessions(
    principal: UserPrincipal, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[SessionRow]:
    """The person's own live sessions, newest first (ids sort by creation); this one is marked."""
    require_portal(principal)
    moment = now()
    query = (
        Session.select(
            *_liveness_columns(),
            Session.id,
            Session.ip,
            Session.user_agent,
            Session.created_at,
            Session.last_active_at,
        )
        .where(
            (Session.user == principal.user_id)
            & Session.revoked_at.is_null()
            & (Session.absolute_expires_at > moment)
            & (Session.idle_expires_at.is_null() | (Session.idle_expires_at > moment))
        )
        .output(load_json=True)
    )
    page = await keyset_page(query, Session.id, first=first, after=after, newest_first=True)
    return page.map(
        lambda row: SessionRow(
            id=row["id"],
            device=describe_user_agent(row["user_agent"]),
            ip=row["ip"],
            created_at=row["created_at"],
            last_active_at=row["last_active_at"],
            amr=tuple(row["amr"] or ()),
            current=row["id"] == principal.session_id,
        )
    )


async def revoke_own_session(principal: UserPrincipal, session_id: str) -> bool:
    """End one of the person's sessions; False for an unknown id or another person's (nothing revealed)."""
    require_portal(principal)
    owner = await Session.select(Session.user).where(Session.id == session_id).first()
    if owner is None or owner["user"] != principal.user_id:
        return False
    return await end_session(principal, session_id, "revoked")


async def revoke_other_sessions(principal: UserPrincipal) -> int:
    """Sign out everywhere else; returns how many sessions ended."""
    require_portal(principal)
    others = (
        await Session.select(Session.id)
        .where(
            (Session.user == principal.user_id)
            & Session.revoked_at.is_null()
            & (Session.id != (principal.session_id or ""))
        )
        .output(as_list=True)
    )
    ended = 0
    for session_id in others:
        ended += int(await end_session(principal, session_id, "revoked"))
    return ended


async def end_expired_sessions(limit: int = 500) -> int:
    """The clean-up cron: end sessions nobody touched past their expiry, so their apps hear of it."""
    moment = now()
    rows = (
        await Session.select(Session.id, Session.absolute_expires_at)
        .where(
            Session.revoked_at.is_null()
            & ((Session.absolute_expires_at <= moment) | (Session.idle_expires_at <= moment))
        )
        .limit(limit)
    )
    ended = 0
    for row in rows:
        reason = "expired" if row["absolute_expires_at"] <= moment else "idle_timeout"
        ended += int(await end_session(SystemPrincipal("expiry"), row["id"], reason))
    return ended
