"""Cookies that tie a sign-in to one browser: who asked for the code, and which invitation was followed."""

import secrets
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from host.settings import Settings

BROWSER_COOKIE = "tenantry_sign_in_browser"
INVITATION_COOKIE = "tenantry_invitation"
_PATH = "/a/auth"
_INVITATION_SECONDS = 3600  # long enough to read the code email and come back


def _cookie(settings: Settings, key: str, value: str, max_age: int | None) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path=_PATH,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        max_age=max_age,
    )


def sign_in_browser(request: Request[Any, Any, Any], settings: Settings) -> tuple[str, Cookie | None]:
    """The browser's random sign-in value (sign-in attempts keep its hash), and a cookie when new.

    Only this browser's magic links sign in without a confirmation, so a link forwarded by
    someone else cannot swap the person at this browser for its sender.
    """
    existing = request.cookies.get(BROWSER_COOKIE, "")
    if len(existing) >= 32 and existing.isascii():
        return existing, None
    value = secrets.token_urlsafe(32)
    return value, _cookie(settings, BROWSER_COOKIE, value, 400 * 24 * 3600)


def followed_invitation(request: Request[Any, Any, Any]) -> str:
    """The token of the invitation link this browser followed last ("" if none)."""
    return request.cookies.get(INVITATION_COOKIE, "")


def invitation_cookie(settings: Settings, token: str) -> Cookie:
    """Remembers a followed invitation link until the invited address is proven in this browser."""
    return _cookie(settings, INVITATION_COOKIE, token, _INVITATION_SECONDS)


def cleared_invitation_cookie(settings: Settings) -> Cookie:
    return _cookie(settings, INVITATION_COOKIE, "", 0)
