"""The refresh token grant (RFC 6749 §6) with rotation; reuse revokes the family (RFC 9700 §4.14)."""

from dataclasses import dataclass
from typing import Any

from host.oauth.errors import InvalidGrant, InvalidRequest, InvalidScope, UnauthorizedClient
from host.oauth.issuance import UserGrant, user_token_response
from resolvers.applications import Client
from resolvers.deployment import Deployment
from resolvers.environment_settings import environment_settings
from resolvers.refresh_tokens import (
    RefreshGrant,
    RefreshRefused,
    ScopeExceeded,
    revoke_family,
    rotate_refresh_token,
)
from resolvers.sessions import LiveSession, live_session_and_user, used_by_app
from resolvers.users import UserRow, find_user


@dataclass(frozen=True, slots=True)
class ValidatedRefresh:
    grant: RefreshGrant
    session: LiveSession | None
    user: UserRow | None


class RefreshTokenGrant:
    def __init__(self, deployment: Deployment, client: Client, form: dict[str, str]) -> None:
        self.deployment = deployment
        self.client = client
        self.form = form

    async def validate(self) -> ValidatedRefresh:
        """§6: the client's own, unexpired, unrevoked token; scope no wider; the session still live."""
        if "refresh_token" not in self.client.grant_types:
            raise UnauthorizedClient("This client may not use refresh tokens.")
        token = self.form.get("refresh_token")
        if not token:
            raise InvalidRequest("refresh_token is required.")
        requested = self.form.get("scope")
        settings = await environment_settings()
        try:
            grant = await rotate_refresh_token(
                token,
                client_id=self.client.id,
                lifetime_days=int(settings.refresh_token_days),
                requested_scope=requested.split() if requested is not None else None,
            )
        except ScopeExceeded as error:
            raise InvalidScope("The requested scope exceeds the original grant.") from error
        except RefreshRefused as error:
            raise InvalidGrant("The refresh token is not valid.") from error
        found = await live_session_and_user(grant.session_id) if grant.session_id else None
        if grant.session_id and found is None:
            await revoke_family(grant.family)
            raise InvalidGrant("The user's session has ended.")
        session, user = found if found else (None, None)
        if session and session.activity and not await used_by_app(session.activity, grant.organization_id):
            await revoke_family(grant.family)
            raise InvalidGrant("The session has expired under the organization's session policy.")
        return ValidatedRefresh(grant=grant, session=session, user=user)

    async def create_response(self, validated: ValidatedRefresh) -> dict[str, Any]:
        grant, session = validated.grant, validated.session
        user = validated.user or await find_user(grant.user_id)
        if user is None:
            raise InvalidGrant("The user no longer exists.")
        scope = self.form.get("scope") or grant.scope
        body, _, _ = await user_token_response(
            self.deployment,
            UserGrant(
                client=self.client,
                user=user,
                session_id=grant.session_id or "",
                organization_id=grant.organization_id,
                scope=scope,
                auth_time=int(session.auth_time.timestamp()) if session else 0,
                amr=list(session.amr) if session else [],
            ),
            refresh_token=grant.new_token,
            refresh_family=grant.family,
        )
        return body

    async def respond(self) -> dict[str, Any]:
        """The protocol steps in order."""
        return await self.create_response(await self.validate())
