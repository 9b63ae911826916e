"""CORS for browser apps (public clients) on the OAuth endpoints they call, for embedded widgets
on /graphql, and on no other path.

A public client runs in a browser at the origin of its registered redirect URIs; it must reach
the token, UserInfo, revocation and JWKS endpoints from there (Fetch standard, CORS protocol).
Widgets embedded in any web application's pages call /graphql from that application's origins
with a bearer widget token. No answer allows credentials: a cross-origin request that carries
the session cookie gets an answer its page cannot read (and the portal's cookie path needs the
CSRF header besides). Discovery is public metadata, readable from any origin. /a/auth and /ui
stay same-origin.
"""

import time
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from resolvers.applications import application_origins, browser_client_origins

CLIENT_PATHS: dict[str, str] = {  # path -> the methods a browser app may use there
    "/oauth/token": "POST",
    "/oauth/userinfo": "GET, POST",
    "/oauth/revoke": "POST",
    "/keys": "GET",
}
WIDGET_PATHS: dict[str, str] = {"/graphql": "POST"}  # embedded widgets, any web application's origin
PUBLIC_PATHS = {"/.well-known/openid-configuration"}
ALLOWED_HEADERS = b"authorization, content-type"
EXPOSED_HEADERS = b"www-authenticate, retry-after"  # bearer errors and slow_down's wait
PREFLIGHT_MAX_AGE = b"600"
ORIGINS_CACHE_SECONDS = 5.0


class RegisteredOrigins:
    """Registered origins (read by `load`), reloaded when stale or when an unknown origin asks."""

    def __init__(self, load: Callable[[], Awaitable[frozenset[str]]] = browser_client_origins) -> None:
        self._load = load
        self._origins: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")

    async def allows(self, origin: str) -> bool:
        fresh = time.monotonic() - self._loaded_at < ORIGINS_CACHE_SECONDS
        if fresh and origin in self._origins:
            return True
        # an unknown origin reads the registrations again, so a new one works at once; the
        # applications of one environment are a handful of rows, read by one small query
        self._origins = await self._load()
        self._loaded_at = time.monotonic()
        return origin in self._origins


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def cors_middleware() -> Callable[[ASGIApp], ASGIApp]:
    """Answer preflights and add Access-Control-* headers on CLIENT_PATHS, WIDGET_PATHS and
    PUBLIC_PATHS only."""
    browser_apps = RegisteredOrigins(browser_client_origins)
    web_apps = RegisteredOrigins(application_origins)

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            path = str(scope.get("path", ""))
            methods = CLIENT_PATHS.get(path) or WIDGET_PATHS.get(path)
            if scope["type"] != "http" or (methods is None and path not in PUBLIC_PATHS):  # type: ignore[comparison-overlap]
                await app(scope, receive, send)
                return
            if methods is None:
                await app(scope, receive, _adding(send, [(b"access-control-allow-origin", b"*")]))
                return
            registered = web_apps if path in WIDGET_PATHS else browser_apps
            origin = _header(scope, b"origin")
            allowed = origin is not None and origin != "null" and await registered.allows(origin)
            if (
                allowed
                and scope.get("method") == "OPTIONS"
                and _header(scope, b"access-control-request-method")
            ):
                await _answer_preflight(send, str(origin), methods)
                return
            headers = [(b"vary", b"Origin")]  # the answer differs by Origin: caches must keep them apart
            if allowed:
                headers += [
                    (b"access-control-allow-origin", str(origin).encode("latin-1")),
                    (b"access-control-expose-headers", EXPOSED_HEADERS),
                ]
            await app(scope, receive, _adding(send, headers))

        return middleware

    return wrap


def _adding(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    async def send_with_headers(message: Any) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *headers]
        await send(message)

    return send_with_headers


async def _answer_preflight(send: Any, origin: str, methods: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 204,
            "headers": [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-methods", methods.encode()),
                (b"access-control-allow-headers", ALLOWED_HEADERS),
                (b"access-control-max-age", PREFLIGHT_MAX_AGE),
                (b"vary", b"Origin"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
