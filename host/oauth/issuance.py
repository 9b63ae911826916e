"""Builds a user's token response: access token, ID token, and a rotated refresh token."""

from dataclasses import dataclass
from typing import Any

from host.oauth.errors import InvalidGrant
from resolvers import memberships
from resolvers.applications import Client
from resolvers.deployment import Deployment
from resolvers.environment_settings import environment_settings
from resolvers.refresh_tokens import issue_refresh_token
from resolvers.tokens import issue_access_token, issue_id_token
from resolvers.users import UserRow, profile_claims

PROFILE_CLAIMS = ("name", "given_name", "family_name")
EMAIL_CLAIMS = ("email", "email_verified")


def scoped_claims(claims: dict[str, Any], scopes: list[str]) -> dict[str, Any]:
    """Only the claims the granted scopes ask for (OpenID Connect Core §5.4)."""
    allowed: list[str] = []
    if "profile" in scopes:
        allowed.extend(PROFILE_CLAIMS)
    if "email" in scopes:
        allowed.extend(EMAIL_CLAIMS)
    return {key: claims[key] for key in allowed}


@dataclass(frozen=True, slots=True)
class UserGrant:
    """Everything a user-bound token response is built from."""

    client: Client
    user: UserRow
    session_id: str
    organization_id: str | None
    scope: str
    auth_time: int
    amr: list[str]
    nonce: str | None = None


async def user_token_response(
    deployment: Deployment,
    grant: UserGrant,
    *,
    refresh_token: str | None = None,
    refresh_family: str | None = None,
) -> tuple[dict[str, Any], str | None, str]:
    """Returns (body, refresh family, access-token jti); a new refresh token unless one is given."""
    settings = await environment_settings()
    access = (
        await memberships.organization_access(grant.user.id, grant.organization_id)
        if grant.organization_id
        else None
    )
    if grant.organization_id and access is None:
        # removed (or the organization deleted) since the grant: no token claims it any more
        raise InvalidGrant("The user is no longer a member of the grant's organization.")
    lifetime = int(settings.access_token_seconds)
    access_token, jti = await issue_access_token(
        deployment,
        client_id=grant.client.id,
        subject=grant.user.id,
        scope=grant.scope,
        lifetime_seconds=lifetime,
        session_id=grant.session_id,
        auth_time=grant.auth_time,
        access=access,
    )
    body: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": grant.scope,
    }
    scopes = grant.scope.split()
    if "openid" in scopes:
        body["id_token"] = await issue_id_token(
            deployment,
            client_id=grant.client.id,
            subject=grant.user.id,
            session_id=grant.session_id,
            auth_time=grant.auth_time,
            amr=grant.amr,
            nonce=grant.nonce,
            profile=scoped_claims(profile_claims(grant.user), scopes),
            access=access,
        )
    family = refresh_family
    if refresh_token is None and "refresh_token" in grant.client.grant_types:
        refresh_token, family = await issue_refresh_token(
            family=refresh_family,
            application_id=grant.client.id,
            user_id=grant.user.id,
            session_id=grant.session_id,
            organization_id=grant.organization_id,
            scope=grant.scope,
            lifetime_days=int(settings.refresh_token_days),
        )
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    return body, family, jti
