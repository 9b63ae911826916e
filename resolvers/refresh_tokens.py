"""Refresh tokens: opaque, hashed, rotated at every use; reuse of a rotated one revokes the family."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from db.ids import new_id
from db.oauth import RefreshToken
from db.transaction import engine, transaction
from resolvers.clock import now
from resolvers.crypto import hash_token, random_token


class RefreshRefused(Exception):
    """Unknown, expired, revoked, reused or another client's token; `reason` is for logs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ScopeExceeded(Exception):
    """A refresh asked for more scope than the grant holds; nothing was changed."""


@dataclass(frozen=True, slots=True)
class RefreshGrant:
    """What a rotated token was issued for, plus its successor."""

    family: str
    application_id: str
    user_id: str
    session_id: str | None
    organization_id: str | None
    scope: str
    new_token: str

    @classmethod
    def from_row(cls, row: dict[str, Any], new_token: str) -> "RefreshGrant":
        return cls(
            family=row["family"],
            application_id=row["application"],
            user_id=row["user"],
            session_id=row["session"],
            organization_id=row["organization_id"],
            scope=row["scope"],
            new_token=new_token,
        )


async def issue_refresh_token(
    *,
    family: str | None,
    application_id: str,
    user_id: str,
    session_id: str | None,
    organization_id: str | None,
    scope: str,
    lifetime_days: int,
) -> tuple[str, str]:
    """A new token in `family` (or a new family); returns (token, family)."""
    token = random_token("tnr_")
    family_id = family or new_id("rtf")
    moment = now()
    await RefreshToken.insert(
        RefreshToken(
            id=new_id("rft"),
            token_hash=hash_token(token),
            family=family_id,
            application=application_id,
            user=user_id,
            session=session_id,
            organization_id=organization_id,
            scope=scope,
            created_at=moment,
            expires_at=moment + dt.timedelta(days=lifetime_days),
        )
    )
    return token, family_id


async def rotate_refresh_token(
    token: str, *, client_id: str, lifetime_days: int, requested_scope: list[str] | None = None
) -> RefreshGrant:
    """Spend `token` and mint its successor atomically; a second spend revokes the whole family."""
    token_hash = hash_token(token)
    moment = now()
    if requested_scope is None and isinstance(engine(), PostgresEngine):
        rotated = await _rotate_in_one_statement(token_hash, client_id, moment, lifetime_days)
        if rotated is not None:
            return rotated
        return await _refuse(token_hash, client_id)
    usable = (
        (RefreshToken.token_hash == token_hash)
        & RefreshToken.rotated_at.is_null()
        & RefreshToken.revoked_at.is_null()
        & (RefreshToken.expires_at > moment)
        & (RefreshToken.application == client_id)
    )
    async with transaction():
        if requested_scope is not None:
            held = await RefreshToken.select(RefreshToken.scope).where(usable).first()
            if held is not None and not set(requested_scope) <= set(held["scope"].split()):
                raise ScopeExceeded
        spent = (
            await RefreshToken.update({RefreshToken.rotated_at: moment})
            .where(usable)
            .returning(
                RefreshToken.family,
                RefreshToken.application,
                RefreshToken.user,
                RefreshToken.session,
                RefreshToken.organization_id,
                RefreshToken.scope,
            )
        )
        if spent:
            row = spent[0]
            new_token, _ = await issue_refresh_token(
                family=row["family"],
                application_id=row["application"],
                user_id=row["user"],
                session_id=row["session"],
                organization_id=row["organization_id"],
                scope=row["scope"],
                lifetime_days=lifetime_days,
            )
            return RefreshGrant.from_row(row, new_token)
    return await _refuse(token_hash, client_id)


_ROTATE_SQL = """
WITH spent AS (
    UPDATE refresh_token SET rotated_at = {}
    WHERE token_hash = {} AND rotated_at IS NULL AND revoked_at IS NULL
      AND expires_at > {} AND application = {}
    RETURNING family, application, "user", session, organization_id, scope
)
INSERT INTO refresh_token
    (id, token_hash, family, application, "user", session, organization_id, scope, created_at, expires_at)
SELECT {}, {}, family, application, "user", session, organization_id, scope, {}, {} FROM spent
RETURNING family, application, "user", session, organization_id, scope
"""


async def _rotate_in_one_statement(
    token_hash: str, client_id: str, moment: dt.datetime, lifetime_days: int
) -> RefreshGrant | None:
    """PostgreSQL: spend and mint in one atomic statement (one round trip instead of four)."""
    new_token = random_token("tnr_")
    rows = await RefreshToken.raw(
        _ROTATE_SQL,
        moment,
        token_hash,
        moment,
        client_id,
        new_id("rft"),
        hash_token(new_token),
        moment,
        moment + dt.timedelta(days=lifetime_days),
    )
    if not rows:
        return None
    row = rows[0]
    return RefreshGrant.from_row(row, new_token)


async def _refuse(token_hash: str, client_id: str) -> RefreshGrant:
    """Say why a token could not be spent; a rotated one being spent again revokes its family."""
    known = (
        await RefreshToken.select(RefreshToken.family, RefreshToken.application, RefreshToken.rotated_at)
        .where(RefreshToken.token_hash == token_hash)
        .first()
    )
    if known is None:
        raise RefreshRefused("unknown")
    if known["application"] != client_id:
        raise RefreshRefused("other client")
    if known["rotated_at"] is not None:
        await revoke_family(known["family"])
        raise RefreshRefused("reused")
    raise RefreshRefused("expired or revoked")


async def revoke_family(family: str) -> None:
    await RefreshToken.update({RefreshToken.revoked_at: now()}).where(
        (RefreshToken.family == family) & RefreshToken.revoked_at.is_null()
    )


async def revoke_refresh_token(token: str, *, client_id: str) -> bool:
    """RFC 7009: revoking a refresh token revokes its whole grant; True if it was this client's."""
    row = (
        await RefreshToken.select(RefreshToken.family, RefreshToken.application)
        .where(RefreshToken.token_hash == hash_token(token))
        .first()
    )
    if row is None or row["application"] != client_id:
        return False
    await revoke_family(row["family"])
    return True
