"""The client credentials grant (RFC 6749 §4.4): an integrator's backend acting as itself."""

from typing import Any

from host.oauth.errors import InvalidScope, UnauthorizedClient
from resolvers.applications import Client
from resolvers.deployment import Deployment
from resolvers.tokens import issue_access_token

CLIENT_SCOPES = {"tenantry:manage"}
CLIENT_TOKEN_SECONDS = 3600


class ClientCredentialsGrant:
    def __init__(self, deployment: Deployment, client: Client, form: dict[str, str]) -> None:
        self.deployment = deployment
        self.client = client
        self.form = form

    async def validate(self) -> str:
        """§4.4.2: confidential clients only; the scope must be one the client may ask for."""
        if self.client.is_public or "client_credentials" not in self.client.grant_types:
            raise UnauthorizedClient("This client may not use the client credentials grant.")
        requested = self.form.get("scope", "").split()
        unknown = [s for s in requested if s not in CLIENT_SCOPES]
        if unknown:
            raise InvalidScope(f"Unsupported scope: {' '.join(unknown)}.")
        return " ".join(dict.fromkeys(requested))

    async def create_response(self, scope: str) -> dict[str, Any]:
        token, _ = await issue_access_token(
            self.deployment,
            client_id=self.client.id,
            subject=self.client.id,
            scope=scope,
            lifetime_seconds=CLIENT_TOKEN_SECONDS,
        )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": CLIENT_TOKEN_SECONDS,
            "scope": scope,
        }

    async def respond(self) -> dict[str, Any]:
        """The protocol steps in order."""
        return await self.create_response(await self.validate())
