"""OpenID Connect Back-Channel Logout 1.0: who to tell that a session ended, and the logout token."""

import jwt

from db.environment import Application
from db.ids import new_id
from db.oauth import SessionClient
from resolvers import jobs
from resolvers.clock import timestamp
from resolvers.deployment import Deployment
from resolvers.signing_keys import key_ring

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_SECONDS = 120


async def queue_notifications(session_id: str, user_id: str) -> int:
    """One job per application that received tokens for the session and has a back-channel URI.

    Call inside the transaction that ends the session, so a notification is never lost.
    """
    rows = await SessionClient.raw(
        "SELECT a.id FROM session_client c JOIN application a ON a.id = c.application "
        "WHERE c.session = {} AND a.backchannel_logout_uri IS NOT NULL AND a.backchannel_logout_uri <> ''",
        session_id,
    )
    for row in rows:
        await jobs.enqueue(
            "backchannel_logout",
            {"application_id": row["id"], "session_id": session_id, "user_id": user_id},
        )
    return len(rows)


async def logout_targets(session_id: str, application_ids: set[str]) -> list[str]:
    """Of these applications, those that received tokens for the session and have a back-channel URI."""
    if not application_ids:
        return []
    rows = await Application.select(Application.id).where(
        Application.id.is_in(sorted(application_ids))
        & Application.backchannel_logout_uri.is_not_null()
        & (Application.backchannel_logout_uri != "")
        & Application.id.is_in(
            SessionClient.select(SessionClient.application).where(SessionClient.session == session_id)
        )
    )
    return [str(row["id"]) for row in rows]


async def logout_target(application_id: str) -> str | None:
    row = (
        await Application.select(Application.backchannel_logout_uri)
        .where(Application.id == application_id)
        .first()
    )
    return row["backchannel_logout_uri"] if row and row["backchannel_logout_uri"] else None


async def logout_token(deployment: Deployment, *, client_id: str, user_id: str, session_id: str) -> str:
    """A signed `logout+jwt` (§2.4): iss, aud, iat, exp, jti, events, sub and sid; never a nonce."""
    key = await key_ring.signing_key(deployment.secret_key, "RS256")
    issued = timestamp()
    claims = {
        "iss": deployment.issuer,
        "aud": client_id,
        "iat": issued,
        "exp": issued + LOGOUT_TOKEN_SECONDS,
        "jti": new_id("lgt"),
        "events": {LOGOUT_EVENT: {}},
        "sub": user_id,
        "sid": session_id,
    }
    return jwt.encode(
        claims, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": "logout+jwt"}
    )
