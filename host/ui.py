"""/ui/: the self-serve portal's page (the Lit app routes inside it), its sign-in redirect and logout."""

import json
from html import escape
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.response import Redirect

from host.asset_manifest import PORTAL_ENTRY, FrontendNotBuilt, asset_manifest, not_built_page
from host.pages import message_page
from host.runtime import runtime
from host.security import csrf_ok, csrf_token_for
from host.session import cleared_session_cookie, current_session
from resolvers.applications import portal_application
from resolvers.environment_settings import environment_settings
from resolvers.principal import UserPrincipal
from resolvers.sessions import end_session


async def _sign_in_first(request: Request[Any, Any, Any], path: str) -> Response[Any]:
    """No session: the app's initiate-login URI (OpenID Connect Core §4), else the hosted login."""
    issuer = runtime(request).deployment.issuer
    app = await portal_application()
    if app is not None and app.initiate_login_uri:
        separator = "&" if "?" in app.initiate_login_uri else "?"
        query = urlencode({"iss": issuer, "target_link_uri": f"{issuer}{path}"})
        return Redirect(f"{app.initiate_login_uri}{separator}{query}", headers={"Cache-Control": "no-store"})
    return Redirect("/a/auth/login?" + urlencode({"return_to": path}), headers={"Cache-Control": "no-store"})


async def _portal(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if await current_session(request, run.settings) is None:
        return await _sign_in_first(request, path)
    try:
        scripts = asset_manifest(run.settings.frontend_dist).head_tags(PORTAL_ENTRY)
    except FrontendNotBuilt as missing:
        return await not_built_page(missing)
    settings = await environment_settings()
    token, cookie = csrf_token_for(request, run.settings)
    config = json.dumps(
        {"appName": settings.app_name, "logoUrl": settings.logo_url, "logoutUrl": "/ui/logout"}
    ).replace("<", "\\u003c")
    favicon = f'<link rel="icon" href="{escape(settings.favicon_url)}">' if settings.favicon_url else ""
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(settings.app_name)} · Account</title>{favicon}
<meta name="csrf-token" content="{escape(token)}">
<link rel="stylesheet" href="/a/branding.css">
{scripts}
</head><body>
<script type="application/json" id="tn-config">{config}</script>
<tn-portal></tn-portal>
</body></html>"""
    response: Response[Any] = Response(page, media_type="text/html", headers={"Cache-Control": "no-store"})
    if cookie:
        response.set_cookie(cookie)
    return response


@get("/ui", name="portal_root")
async def portal_root(request: Request[Any, Any, Any]) -> Response[Any]:
    return await _portal(request)


@get("/ui/{rest:path}", name="portal")
async def portal(request: Request[Any, Any, Any], rest: str) -> Response[Any]:
    return await _portal(request)


@post("/ui/logout", name="portal_logout", status_code=302)
async def portal_logout(request: Request[Any, Any, Any]) -> Response[Any]:
    """End the session (CSRF-checked form post) and go where the app wants signed-out users."""
    run = runtime(request)
    form = await request.form()
    if not csrf_ok(request, str(form.get("csrf_token") or "")):
        return await message_page(
            title="Sign-out form expired",
            message="Reload the page and try again.",
            testid="logout-error",
            status_code=400,
        )
    session = await current_session(request, run.settings)
    if session is not None:
        await end_session(UserPrincipal(user_id=session.user_id, session_id=session.id), session.id, "logout")
    app = await portal_application()
    destination = (
        app.post_logout_redirect_uris[0] if app and app.post_logout_redirect_uris else "/a/auth/login"
    )
    return Redirect(
        destination, cookies=[cleared_session_cookie(run.settings)], headers={"Cache-Control": "no-store"}
    )
