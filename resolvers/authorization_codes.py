"""Authorization codes: single use, short-lived, and a replay revokes what the first use produced."""

import datetime as dt
from dataclasses import dataclass

from db.ids import new_id
from db.oauth import AuthorizationCode, RefreshToken, SessionClient
from db.transaction import transaction
from resolvers.clock import now
from resolvers.crypto import hash_token, random_token
from resolvers.tokens import revoke_access_token


@dataclass(frozen=True, slots=True)
class RedeemedCode:
    id: str
    application_id: str
    user_id: str
    session_id: str
    organization_id: str | None
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    expires_at: dt.datetime


class CodeReplayed(Exception):
    """The code was used before; what it produced has now been revoked."""


async def create_code(
    *,
    application_id: str,
    user_id: str,
    session_id: str,
    organization_id: str | None,
    redirect_uri: str,
    scope: str,
    nonce: str | None,
    code_challenge: str | None,
    lifetime_seconds: int,
) -> str:
    code = random_token()
    moment = now()
    await AuthorizationCode.insert(
        AuthorizationCode(
            id=new_id("acd"),
            code_hash=hash_token(code),
            application=application_id,
            user=user_id,
            session=session_id,
            organization_id=organization_id,
            redirect_uri=redirect_uri,
            scope=scope,
            nonce=nonce,
            code_challenge=code_challenge,
            expires_at=moment + dt.timedelta(seconds=lifetime_seconds),
            created_at=moment,
        )
    )
    return code


async def redeem_code(code: str) -> RedeemedCode | None:
    """Mark the code used and return it; None if unknown; CodeReplayed if it was used already."""
    code_hash = hash_token(code)
    async with transaction():
        rows = (
            await AuthorizationCode.update({AuthorizationCode.used_at: now()})
            .where((AuthorizationCode.code_hash == code_hash) & AuthorizationCode.used_at.is_null())
            .returning(
                AuthorizationCode.id,
                AuthorizationCode.application,
                AuthorizationCode.user,
                AuthorizationCode.session,
                AuthorizationCode.organization_id,
                AuthorizationCode.redirect_uri,
                AuthorizationCode.scope,
                AuthorizationCode.nonce,
                AuthorizationCode.code_challenge,
                AuthorizationCode.expires_at,
            )
        )
        if rows:
            await remember_session_client(rows[0]["session"], rows[0]["application"])
    if rows:
        row = rows[0]
        return RedeemedCode(
            id=row["id"],
            application_id=row["application"],
            user_id=row["user"],
            session_id=row["session"],
            organization_id=row["organization_id"],
            redirect_uri=row["redirect_uri"],
            scope=row["scope"],
            nonce=row["nonce"],
            code_challenge=row["code_challenge"],
            expires_at=row["expires_at"],
        )
    used = (
        await AuthorizationCode.select(AuthorizationCode.refresh_family, AuthorizationCode.access_token_jti)
        .where(AuthorizationCode.code_hash == code_hash)
        .first()
    )
    if used is None:
        return None
    await revoke_what_code_produced(used["refresh_family"], used["access_token_jti"])
    raise CodeReplayed


async def revoke_what_code_produced(family: str | None, access_jti: str | None) -> None:
    moment = now()
    async with transaction():
        if family:
            await RefreshToken.update({RefreshToken.revoked_at: moment}).where(
                (RefreshToken.family == family) & RefreshToken.revoked_at.is_null()
            )
        if access_jti:
            await revoke_access_token(access_jti, moment + dt.timedelta(days=1))


async def record_issued(code_id: str, *, refresh_family: str | None, access_jti: str) -> None:
    """Remember what the code produced, so a replay can revoke it."""
    await AuthorizationCode.update(
        {
            AuthorizationCode.refresh_family: refresh_family,
            AuthorizationCode.access_token_jti: access_jti,
        }
    ).where(AuthorizationCode.id == code_id)


async def remember_session_client(session_id: str, application_id: str) -> None:
    """This application now holds tokens of the session: it hears of the session's end."""
    await SessionClient.insert(
        SessionClient(
            id=f"{session_id}:{application_id}",
            session=session_id,
            application=application_id,
            created_at=now(),
        )
    ).on_conflict(action="DO NOTHING")
