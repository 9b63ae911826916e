"""Token revocation (RFC 7009): refresh tokens revoke their grant; JWT access tokens are listed.

§2.2: the answer is 200 whether or not the token was known, so nothing is revealed.
"""

import datetime as dt
from typing import Any

from litestar import Request, Response, post

from host.oauth.abuse_limits import AbuseLimits, authenticate_within_limits
from host.oauth.client_auth import claimed_client_id
from host.oauth.errors import NO_STORE, InvalidRequest, OAuthError
from host.oauth.token import read_form
from host.runtime import runtime
from host.security import client_ip
from resolvers.refresh_tokens import revoke_refresh_token
from resolvers.tokens import InvalidAccessToken, decode_access_token, revoke_access_token


@post("/oauth/revoke", name="revoke", status_code=200)
async def revoke_endpoint(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    try:
        form = await read_form(request)
        limits = AbuseLimits(run, client_ip(request, run.settings), claimed_client_id(request, form))
        client = await authenticate_within_limits(request, form, limits)
        token = form.get("token")
        if not token:
            raise InvalidRequest("token is required.")
    except OAuthError as error:
        return error.as_json()
    hint = form.get("token_type_hint")
    if hint != "access_token" and await revoke_refresh_token(token, client_id=client.id):
        return Response(b"", status_code=200, headers=NO_STORE)
    try:
        claims = await decode_access_token(run.deployment, token, check_revocation=False)
    except InvalidAccessToken:
        if hint == "access_token":
            await revoke_refresh_token(token, client_id=client.id)
        return Response(b"", status_code=200, headers=NO_STORE)
    if claims.client_id == client.id:
        await revoke_access_token(claims.jti, dt.datetime.fromtimestamp(claims.expires_at, dt.UTC))
    return Response(b"", status_code=200, headers=NO_STORE)
