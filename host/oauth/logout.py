"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).

§2: `id_token_hint` identifies the session and client; `post_logout_redirect_uri` must exactly
match one registered for that client; without a hint the user is asked to confirm (§6: a
logout request from a third party must not end the session silently).
"""

from html import escape
from typing import Any

import jwt
from litestar import Request, Response, get, post
from litestar.response import Redirect

from host.oauth.errors import NO_STORE, append_query
from host.pages import message_page
from host.runtime import runtime
from host.security import csrf_ok, csrf_token_for
from host.session import cleared_session_cookie, current_session
from resolvers.applications import Client, find_client
from resolvers.principal import UserPrincipal
from resolvers.sessions import end_session
from resolvers.signing_keys import key_ring


class LogoutRefused(Exception):
    """The logout request names an unknown client or an unregistered redirect URI."""


async def _hint_claims(request: Request[Any, Any, Any], hint: str) -> dict[str, Any] | None:
    """Claims of an ID token we issued (expired ones are accepted, as the spec allows)."""
    run = runtime(request)
    try:
        kid = jwt.get_unverified_header(hint).get("kid", "")
        key = await key_ring.public_key(run.deployment.secret_key, str(kid))
        if key is None or key.algorithm != "RS256":
            return None
        claims: dict[str, Any] = jwt.decode(
            hint,
            key.private_key.public_key(),
            algorithms=["RS256"],
            issuer=run.deployment.issuer,
            options={"verify_exp": False, "verify_aud": False},
        )
        return claims
    except jwt.PyJWTError:
        return None


async def _destination(params: dict[str, str], hint: dict[str, Any] | None) -> str | None:
    """Where to send the browser afterwards, or None for our own signed-out page."""
    client_id = params.get("client_id") or None
    hinted_client = str(hint.get("aud")) if hint else None
    if client_id and hinted_client and client_id != hinted_client:
        raise LogoutRefused("client_id does not match the id_token_hint.")
    client: Client | None = None
    if client_id or hinted_client:
        client = await find_client(client_id or hinted_client or "")
        if client is None:
            raise LogoutRefused("The application (client_id) is not registered.")
    uri = params.get("post_logout_redirect_uri")
    if not uri:
        return None
    if client is None:
        raise LogoutRefused("post_logout_redirect_uri needs id_token_hint or client_id.")
    if uri not in client.post_logout_redirect_uris:
        raise LogoutRefused("post_logout_redirect_uri is not registered for this application.")
    state = params.get("state")
    return append_query(uri, {"state": state}) if state else uri


async def _params(request: Request[Any, Any, Any]) -> dict[str, str]:
    source = request.query_params if request.method == "GET" else await request.form()
    return {key: str(source.get(key)) for key in source}


async def _finish(request: Request[Any, Any, Any], destination: str | None) -> Response[Any]:
    run = runtime(request)
    session = await current_session(request, run.settings)
    if session is not None:
        await end_session(UserPrincipal(user_id=session.user_id, session_id=session.id), session.id, "logout")
    cookie = cleared_session_cookie(run.settings)
    if destination:
        return Redirect(destination, headers=NO_STORE, cookies=[cookie])
    page = await message_page(
        title="You are signed out",
        message="You have signed out. You can close this window.",
        testid="logout-done",
    )
    page.set_cookie(cookie)
    return page


async def _logout(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    params = await _params(request)
    hint = await _hint_claims(request, params["id_token_hint"]) if params.get("id_token_hint") else None
    if params.get("id_token_hint") and hint is None:
        return await _refused("The id_token_hint is not a valid ID token from this issuer.")
    try:
        destination = await _destination(params, hint)
    except LogoutRefused as error:
        return await _refused(str(error))
    session = await current_session(request, run.settings)
    if session is None:
        return await _finish(request, destination)
    if hint is not None and (hint.get("sid") == session.id or hint.get("sub") == session.user_id):
        return await _finish(request, destination)
    token, cookie = csrf_token_for(request, run.settings)
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
        for k, v in params.items()
        if k in {"post_logout_redirect_uri", "state", "client_id", "id_token_hint"}
    )
    form = (
        '<form method="post" action="/oauth/logout/confirm">'
        f'<input type="hidden" name="csrf_token" value="{escape(token)}">{hidden}'
        '<button type="submit" class="tn-button" data-testid="logout-confirm">Sign out</button>'
        "</form>"
    )
    page = await message_page(
        title="Sign out?",
        message="Do you want to sign out of your account?",
        testid="logout-prompt",
        body_html=form,
    )
    if cookie:
        page.set_cookie(cookie)
    return page


async def _refused(message: str) -> Response[Any]:
    return await message_page(
        title="Sign-out request not valid", message=message, testid="logout-error", status_code=400
    )


@get("/oauth/logout", name="logout")
async def logout_get(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _logout(request)


@post("/oauth/logout", name="logout_post", status_code=200)
async def logout_post(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _logout(request)


@post("/oauth/logout/confirm", name="logout_confirm", status_code=200)
async def logout_confirm(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    if not csrf_ok(request, str(form.get("csrf_token") or "")):
        return await _refused("This sign-out form has expired. Reload the page and try again.")
    params = {key: str(form.get(key)) for key in form}
    hint = await _hint_claims(request, params["id_token_hint"]) if params.get("id_token_hint") else None
    try:
        destination = await _destination(params, hint)
    except LogoutRefused as error:
        return await _refused(str(error))
    return await _finish(request, destination)
