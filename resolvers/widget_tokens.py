"""Widget tokens: an app's backend lets one person use some of the portal's widgets inside the
app's own pages (`<tenantry-members>`, …) without a Tenantry session.

A widget token names one person, one organization and the widgets it opens. It acts as that
person in that organization with the permissions of their role *and* of the widgets (the
intersection, read again on every request, so a demotion or a removal counts at once); never
with the person's own credentials (passkeys, sessions) and never where a recent sign-in at
Tenantry is required (SSO and SCIM changes stay in the portal: the app cannot vouch for one).
It lives minutes (ten by default, an hour at most), like WorkOS's widget tokens, and is an ES256
JWT of its own type and audience, so it can never pass for an access token or an ID token.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import jwt

from db.environment import Application
from db.ids import new_id
from resolvers import audit
from resolvers.authorization import require_integrator
from resolvers.clock import timestamp
from resolvers.deployment import Deployment
from resolvers.errors import InvalidInput
from resolvers.memberships import organization_access
from resolvers.principal import ClientPrincipal, Principal
from resolvers.signing_keys import key_ring
from resolvers.tokens import InvalidAccessToken, verify_es256_token

WIDGET_TOKEN_TYPE = "tenantry-widget+jwt"  # noqa: S105 - a media type
DEFAULT_LIFETIME_SECONDS = 600
MIN_LIFETIME_SECONDS = 60
MAX_LIFETIME_SECONDS = 3600


class Widget(StrEnum):
    MEMBERS = "members"
    ORGANIZATION_SETTINGS = "organization_settings"
    DOMAINS = "domains"
    SESSION_POLICY = "session_policy"
    SSO = "sso"
    SCIM = "scim"


# What each widget may use, at most: the person's role decides within it. Every one may read the
# organization itself (`organization(organizationId)`, its name), through which the rest is reached.
_ORGANIZATION = frozenset({"sk_org_settings_read"})
WIDGET_PERMISSIONS: dict[Widget, frozenset[str]] = {
    Widget.MEMBERS: _ORGANIZATION
    | {"sk_org_users_read", "sk_org_users_invite", "sk_org_users_role_change", "sk_org_users_delete"},
    Widget.ORGANIZATION_SETTINGS: _ORGANIZATION | {"sk_org_settings_manage"},
    Widget.DOMAINS: _ORGANIZATION | {"sk_org_settings_manage"},
    Widget.SESSION_POLICY: _ORGANIZATION | {"sk_org_session_policy_read", "sk_org_session_policy_manage"},
    # changing SSO or SCIM needs a sign-in at Tenantry in the last minutes: embedded, they show
    Widget.SSO: _ORGANIZATION | {"sk_org_sso_read"},
    Widget.SCIM: _ORGANIZATION | {"sk_org_scim_read"},
}


class InvalidWidgetToken(Exception):
    """Malformed, expired, not ours, or not a widget token."""


@dataclass(frozen=True, slots=True)
class WidgetClaims:
    user_id: str
    organization_id: str
    widgets: frozenset[Widget]
    client_id: str

    @property
    def permissions(self) -> frozenset[str]:
        """The most the token allows, whatever the person's role."""
        return frozenset().union(*(WIDGET_PERMISSIONS[widget] for widget in self.widgets))


@dataclass(frozen=True, slots=True)
class IssuedWidgetToken:
    token: str
    expires_at: dt.datetime
    widgets: tuple[Widget, ...]


def _audience(deployment: Deployment) -> str:
    return f"{deployment.issuer}/widgets"


async def create_widget_token(
    principal: Principal,
    deployment: Deployment,
    *,
    organization_id: str,
    user_id: str,
    widgets: list[Widget],
    lifetime_seconds: int = DEFAULT_LIFETIME_SECONDS,
) -> IssuedWidgetToken:
    """Mint a token for `user_id`, an active member of `organization_id` (integrators only)."""
    require_integrator(principal)
    if not widgets:
        raise InvalidInput("Name at least one widget.", field="widgets")
    if not MIN_LIFETIME_SECONDS <= lifetime_seconds <= MAX_LIFETIME_SECONDS:
        raise InvalidInput(
            f"A widget token lives {MIN_LIFETIME_SECONDS} to {MAX_LIFETIME_SECONDS} seconds.",
            field="lifetimeSeconds",
        )
    if await organization_access(user_id, organization_id) is None:
        raise InvalidInput("That person is not an active member of that organization.", field="userId")
    chosen = tuple(sorted(set(widgets)))
    client_id = principal.application_id if isinstance(principal, ClientPrincipal) else "system"
    key = await key_ring.signing_key(deployment.secret_key, "ES256")
    issued = timestamp()
    claims = {
        "iss": deployment.issuer,
        "aud": _audience(deployment),
        "sub": user_id,
        "org_id": organization_id,
        "widgets": [widget.value for widget in chosen],
        "client_id": client_id,
        "iat": issued,
        "exp": issued + lifetime_seconds,
        "jti": new_id("wt").removeprefix("wt_"),
    }
    headers = {"kid": key.kid, "typ": WIDGET_TOKEN_TYPE}
    token = jwt.encode(claims, key.private_key, algorithm="ES256", headers=headers)
    await audit.record(
        principal,
        "widget_token.created",
        target=("user", user_id),
        organization_id=organization_id,
        data={"widgets": claims["widgets"], "lifetime_seconds": lifetime_seconds},
    )
    return IssuedWidgetToken(
        token=token, expires_at=dt.datetime.fromtimestamp(issued + lifetime_seconds, dt.UTC), widgets=chosen
    )


async def may_mint_widget_tokens(client_id: str) -> bool:
    """Whether the application that minted a token still exists and may use client_credentials
    (tenantry:manage): deleting the app, or taking the grant away, ends its widget tokens."""
    if client_id == "system":
        return True
    row = (
        await Application.select(Application.grant_types)
        .where(Application.id == client_id)
        .output(load_json=True)
        .first()
    )
    return row is not None and "client_credentials" in (row["grant_types"] or [])


def is_widget_token(token: str) -> bool:
    """Whether the bearer token says it is a widget token (checked fully by decode_widget_token)."""
    try:
        return jwt.get_unverified_header(token).get("typ") == WIDGET_TOKEN_TYPE
    except jwt.PyJWTError:
        return False


async def decode_widget_token(deployment: Deployment, token: str) -> WidgetClaims:
    """Verify signature, type, issuer, audience and expiry; the widgets must all be known."""
    try:
        claims = await verify_es256_token(
            deployment,
            token,
            typ=WIDGET_TOKEN_TYPE,
            audience=_audience(deployment),
            require=["exp", "iat", "sub", "jti", "org_id", "widgets", "client_id"],
        )
        widgets = frozenset(Widget(str(name)) for name in claims["widgets"])
    except (InvalidAccessToken, ValueError, TypeError) as error:
        raise InvalidWidgetToken(str(error)) from error
    if not widgets:
        raise InvalidWidgetToken("names no widget")
    return WidgetClaims(
        user_id=str(claims["sub"]),
        organization_id=str(claims["org_id"]),
        widgets=widgets,
        client_id=str(claims["client_id"]),
    )
