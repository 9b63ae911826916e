"""ID tokens (RS256) and RFC 9068 JWT access tokens (ES256): what goes in them, and checking them."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import jwt

from db.ids import new_id
from db.oauth import RevokedAccessToken
from resolvers.clock import timestamp
from resolvers.deployment import Deployment
from resolvers.memberships import OrganizationAccess
from resolvers.signing_keys import key_ring

ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - a media type


class InvalidAccessToken(Exception):
    """The bearer token is missing, malformed, expired, revoked or not ours."""


@dataclass(frozen=True, slots=True)
class AccessTokenClaims:
    subject: str
    client_id: str
    scope: frozenset[str]
    session_id: str | None
    organization_id: str | None
    jti: str
    expires_at: int
    raw: dict[str, Any]


def _organization_claims(access: OrganizationAccess | None) -> dict[str, Any]:
    """Absent, not null, when there is no active organization (OpenID Connect Core §5.3.2)."""
    if access is None:
        return {}
    return {
        "org_id": access.organization_id,
        "org_name": access.organization_name,
        "roles": list(access.roles),
        "permissions": list(access.permissions),
    }


async def issue_id_token(
    deployment: Deployment,
    *,
    client_id: str,
    subject: str,
    session_id: str,
    auth_time: int,
    amr: list[str],
    nonce: str | None,
    profile: dict[str, Any],
    access: OrganizationAccess | None,
) -> str:
    key = await key_ring.signing_key(deployment.secret_key, "RS256")
    issued = timestamp()
    claims: dict[str, Any] = {
        "iss": deployment.issuer,
        "sub": subject,
        "aud": client_id,
        "azp": client_id,
        "exp": issued + deployment.id_token_seconds,
        "iat": issued,
        "auth_time": auth_time,
        "sid": session_id,
        "amr": amr,
        **profile,
        **_organization_claims(access),
    }
    if nonce:
        claims["nonce"] = nonce
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})


async def issue_access_token(
    deployment: Deployment,
    *,
    client_id: str,
    subject: str,
    scope: str,
    lifetime_seconds: int,
    session_id: str | None = None,
    auth_time: int | None = None,
    access: OrganizationAccess | None = None,
) -> tuple[str, str]:
    """Returns (token, jti); the jti lets a replayed code or RFC 7009 revoke it."""
    key = await key_ring.signing_key(deployment.secret_key, "ES256")
    issued = timestamp()
    claims: dict[str, Any] = {
        "iss": deployment.issuer,
        "sub": subject,
        "aud": deployment.issuer,
        "client_id": client_id,
        "exp": issued + lifetime_seconds,
        "iat": issued,
        "jti": new_id("at").removeprefix("at_"),
        "scope": scope,
        **_organization_claims(access),
    }
    if session_id:
        claims["sid"] = session_id
    if auth_time is not None:
        claims["auth_time"] = auth_time
    token = jwt.encode(
        claims,
        key.private_key,
        algorithm="ES256",
        headers={"kid": key.kid, "typ": ACCESS_TOKEN_TYPE},
    )
    return token, claims["jti"]


async def verify_es256_token(
    deployment: Deployment, token: str, *, typ: str, audience: str, require: list[str]
) -> dict[str, Any]:
    """The claims of one of our ES256 tokens of type `typ` for `audience` (signature, issuer,
    expiry and the `require`d claims checked); InvalidAccessToken says why it is not one.
    Access tokens and widget tokens share this, so their checks cannot drift apart."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise InvalidAccessToken("malformed token") from error
    if header.get("typ") != typ or header.get("alg") != "ES256":
        raise InvalidAccessToken(f"not a {typ} token")
    key = await key_ring.public_key(deployment.secret_key, str(header.get("kid", "")))
    if key is None:
        raise InvalidAccessToken("unknown signing key")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.private_key.public_key(),
            algorithms=["ES256"],
            audience=audience,
            issuer=deployment.issuer,
            options={"require": require},
        )
    except jwt.PyJWTError as error:
        raise InvalidAccessToken(str(error)) from error
    return claims


async def decode_access_token(
    deployment: Deployment, token: str, *, check_revocation: bool = True
) -> AccessTokenClaims:
    """Verify signature, type, issuer, audience and expiry; optionally the revocation list."""
    claims = await verify_es256_token(
        deployment,
        token,
        typ=ACCESS_TOKEN_TYPE,
        audience=deployment.issuer,
        require=["exp", "iat", "sub", "jti", "client_id"],
    )
    if check_revocation and await RevokedAccessToken.exists().where(RevokedAccessToken.jti == claims["jti"]):
        raise InvalidAccessToken("revoked")
    return AccessTokenClaims(
        subject=claims["sub"],
        client_id=claims["client_id"],
        scope=frozenset(str(claims.get("scope", "")).split()),
        session_id=claims.get("sid"),
        organization_id=claims.get("org_id"),
        jti=claims["jti"],
        expires_at=int(claims["exp"]),
        raw=claims,
    )


async def revoke_access_token(jti: str, expires_at: dt.datetime) -> None:
    """List a JWT access token as revoked until it would have expired anyway (RFC 7009)."""
    if not await RevokedAccessToken.exists().where(RevokedAccessToken.jti == jti):
        await RevokedAccessToken.insert(RevokedAccessToken(jti=jti, expires_at=expires_at))
