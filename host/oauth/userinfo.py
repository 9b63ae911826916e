"""The UserInfo endpoint (OpenID Connect Core §5.3), by GET or POST, token in header or body."""

from typing import Any

from litestar import Request, Response, get, post

from host.oauth.errors import (
    NO_STORE,
    BearerTokenMissing,
    InsufficientScope,
    InvalidBearerRequest,
    InvalidToken,
    OAuthError,
)
from host.oauth.issuance import scoped_claims
from host.runtime import runtime
from resolvers import memberships
from resolvers.sessions import is_session_live
from resolvers.tokens import InvalidAccessToken, decode_access_token
from resolvers.users import find_user, profile_claims


async def _bearer_token(request: Request[Any, Any, Any]) -> str:
    """RFC 6750 §2.1 header or §2.2 form body; never both."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    from_header = value.strip() if scheme.lower() == "bearer" else ""
    from_body = ""
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        from_body = str((await request.form()).get("access_token") or "")
    if from_header and from_body:
        raise InvalidBearerRequest("Send the access token once: in the header or the body.")
    token = from_header or from_body
    if not token:
        raise BearerTokenMissing("An access token is required.")
    return token


async def _userinfo(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    try:
        token = await _bearer_token(request)
        try:
            claims = await decode_access_token(run.deployment, token)
        except InvalidAccessToken as error:
            raise InvalidToken("The access token is invalid or expired.") from error
        if "openid" not in claims.scope:
            raise InsufficientScope("The access token was not granted the openid scope.")
        if claims.session_id and not await is_session_live(claims.session_id):
            raise InvalidToken("The session of this access token has ended.")
        user = await find_user(claims.subject)
        if user is None:
            raise InvalidToken("The user no longer exists.")
    except OAuthError as error:
        return error.as_json()
    body: dict[str, Any] = {"sub": user.id, **scoped_claims(profile_claims(user), list(claims.scope))}
    if claims.organization_id:
        access = await memberships.organization_access(user.id, claims.organization_id)
        if access is not None:
            body.update(
                {
                    "org_id": access.organization_id,
                    "org_name": access.organization_name,
                    "roles": list(access.roles),
                    "permissions": list(access.permissions),
                }
            )
    return Response(body, headers=NO_STORE)


@get("/oauth/userinfo", name="userinfo")
async def userinfo_get(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _userinfo(request)


@post("/oauth/userinfo", name="userinfo_post", status_code=200)
async def userinfo_post(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _userinfo(request)
