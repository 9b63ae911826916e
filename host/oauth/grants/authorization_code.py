"""The authorization code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.5-4.6)."""

from typing import Any

from host.oauth.errors import InvalidGrant, InvalidRequest, UnauthorizedClient
from host.oauth.issuance import UserGrant, user_token_response
from host.oauth.pkce import verifier_matches
from resolvers import authorization_codes
from resolvers.applications import Client
from resolvers.authorization_codes import CodeReplayed, RedeemedCode
from resolvers.clock import now
from resolvers.deployment import Deployment
from resolvers.sessions import live_session_and_user


class AuthorizationCodeGrant:
    def __init__(self, deployment: Deployment, client: Client, form: dict[str, str]) -> None:
        self.deployment = deployment
        self.client = client
        self.form = form

    async def validate(self) -> RedeemedCode:
        """§4.1.3: the code exists, is unused, unexpired, this client's, for this redirect URI."""
        if "authorization_code" not in self.client.grant_types:
            raise UnauthorizedClient("This client may not use the authorization code grant.")
        code = self.form.get("code")
        if not code:
            raise InvalidRequest("code is required.")
        if "redirect_uri" not in self.form:
            raise InvalidRequest("redirect_uri is required.")
        try:
            redeemed = await authorization_codes.redeem_code(code)
        except CodeReplayed as error:
            raise InvalidGrant("The authorization code was already used; its tokens are revoked.") from error
        if redeemed is None:
            raise InvalidGrant("The authorization code is not valid.")
        if redeemed.application_id != self.client.id:
            raise InvalidGrant("The authorization code was issued to another client.")
        if redeemed.expires_at <= now():
            raise InvalidGrant("The authorization code has expired.")
        if self.form["redirect_uri"] != redeemed.redirect_uri:
            raise InvalidGrant("redirect_uri does not match the authorization request.")
        self._check_pkce(redeemed)
        return redeemed

    def _check_pkce(self, redeemed: RedeemedCode) -> None:
        verifier = self.form.get("code_verifier")
        if redeemed.code_challenge is None:
            if verifier is not None:
                raise InvalidGrant("code_verifier sent, but the authorization request had no code_challenge.")
            return
        if not verifier:
            raise InvalidGrant("code_verifier is required: the authorization request used PKCE.")
        if not verifier_matches(verifier, redeemed.code_challenge):
            raise InvalidGrant("code_verifier does not match the code_challenge.")

    async def create_response(self, redeemed: RedeemedCode) -> dict[str, Any]:
        found = await live_session_and_user(redeemed.session_id)
        if found is None:
            raise InvalidGrant("The user's session has ended.")
        session, user = found
        body, family, jti = await user_token_response(
            self.deployment,
            UserGrant(
                client=self.client,
                user=user,
                session_id=redeemed.session_id,
                organization_id=redeemed.organization_id,
                scope=redeemed.scope,
                auth_time=int(session.auth_time.timestamp()),
                amr=list(session.amr),
                nonce=redeemed.nonce,
            ),
        )
        await authorization_codes.record_issued(redeemed.id, refresh_family=family, access_jti=jti)
        return body

    async def respond(self) -> dict[str, Any]:
        """The protocol steps in order."""
        return await self.create_response(await self.validate())
