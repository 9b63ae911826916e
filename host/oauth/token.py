"""The token endpoint (RFC 6749 §3.2): authenticate the client, dispatch to its grant."""

from typing import Any

from litestar import Request, Response, post
from litestar.exceptions import HTTPException

from host.oauth.abuse_limits import AbuseLimits, authenticate_within_limits
from host.oauth.client_auth import claimed_client_id
from host.oauth.errors import (
    NO_STORE,
    InvalidGrant,
    InvalidRequest,
    OAuthError,
    RequestTooLarge,
    UnsupportedGrantType,
)
from host.oauth.grants import Grant
from host.oauth.grants.authorization_code import AuthorizationCodeGrant
from host.oauth.grants.client_credentials import ClientCredentialsGrant
from host.oauth.grants.refresh_token import RefreshTokenGrant
from host.oauth.parameters import single_valued
from host.runtime import runtime
from host.security import client_ip

GRANTS: dict[str, type[Grant]] = {
    "authorization_code": AuthorizationCodeGrant,
    "refresh_token": RefreshTokenGrant,
    "client_credentials": ClientCredentialsGrant,
}


async def read_form(request: Request[Any, Any, Any]) -> dict[str, str]:
    """§3.2: form-encoded POST; a parameter may appear once."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise InvalidRequest("Send the request as application/x-www-form-urlencoded.")
    try:
        form = await request.form()
    except HTTPException as error:
        if error.status_code == 413:
            raise RequestTooLarge("The request body is too large.") from error
        raise InvalidRequest("The request body could not be read.") from error
    flat, repeated = single_valued(form)
    if repeated:
        raise InvalidRequest(f"Repeated parameters: {', '.join(sorted(repeated))}.")
    return flat


@post("/oauth/token", name="token", status_code=200)
async def token_endpoint(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    used_basic = request.headers.get("authorization", "").lower().startswith("basic ")
    try:
        form = await read_form(request)
        limits = AbuseLimits(run, client_ip(request, run.settings), claimed_client_id(request, form))
        client = await authenticate_within_limits(request, form, limits)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise InvalidRequest("grant_type is required.")
        grant_class = GRANTS.get(grant_type)
        if grant_class is None:
            raise UnsupportedGrantType(f"grant_type {grant_type!r} is not supported.")
        if client.is_public:
            await limits.refuse_public_grant_guessing()
        try:
            body = await grant_class(run.deployment, client, form).respond()
        except InvalidGrant:
            if client.is_public:
                await limits.count_public_invalid_grant()
            raise
    except OAuthError as error:
        headers = (
            {"WWW-Authenticate": 'Basic realm="tenantry"'}
            if error.status_code == 401 and used_basic
            else None
        )
        return error.as_json(headers)
    return Response(body, status_code=200, headers=NO_STORE)
