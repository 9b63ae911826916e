"""The session cookie and the Session row it stands for."""

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from host.settings import Settings
from resolvers.sessions import ActiveSession, NewSession, resolve_session


def cookie_name(settings: Settings) -> str:
    """`__Host-` pins the cookie to our origin when served over https."""
    return "__Host-tenantry_session" if settings.secure_cookies else "tenantry_session"


async def current_session(request: Request[Any, Any, Any], settings: Settings) -> ActiveSession | None:
    """The live session of this browser, cached on the request so it is looked up once."""
    if "tenantry_session" in request.state:
        cached: ActiveSession | None = request.state["tenantry_session"]
        return cached
    token = request.cookies.get(cookie_name(settings))
    session = await resolve_session(token) if token else None
    request.state["tenantry_session"] = session
    return session


def session_cookie(settings: Settings, new_session: NewSession) -> Cookie:
    return Cookie(
        key=cookie_name(settings),
        value=new_session.token,
        path="/",
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        expires=int(new_session.absolute_expires_at.timestamp()),
    )


def cleared_session_cookie(settings: Settings) -> Cookie:
    return Cookie(
        key=cookie_name(settings),
        value="",
        path="/",
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        max_age=0,
    )
