"""Edge protections: security headers, CSRF double-submit, client IP, rate limits."""

import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from host.settings import Settings

CSRF_COOKIE = "tenantry_csrf"
CSRF_HEADER = "x-csrf-token"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; connect-src 'self'; font-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def _host_name(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host.split("]")[0] + "]"
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


def edge_middleware(allowed_hosts: list[str]) -> Callable[[ASGIApp], ASGIApp]:
    """Refuse unconfigured hosts; add CSP, frame and referrer headers to every HTTP response."""
    allowed = {h.lower() for h in allowed_hosts} | {f"[{h}]" for h in allowed_hosts if ":" in h}
    wildcard_suffixes = tuple(h[1:] for h in allowed if h.startswith("*."))

    def wrap(app: ASGIApp) -> ASGIApp:
        return _middleware(app, allowed, wildcard_suffixes)

    return wrap


def _middleware(app: ASGIApp, allowed: set[str], wildcard_suffixes: tuple[str, ...]) -> ASGIApp:
    async def middleware(
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        host = _host_name(scope)
        known = host in allowed or (wildcard_suffixes and host.endswith(wildcard_suffixes))
        if not known and not str(scope.get("path", "")).startswith("/health/"):
            await send(
                {
                    "type": "http.response.start",
                    "status": 421,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), *_HEADERS],
                }
            )
            await send(
                {
                    "type": "http.response.body",
                    "body": b"This host name is not configured for this Tenantry deployment.",
                }
            )
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in _HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware


def client_ip(request: Request[Any, Any, Any], settings: Settings) -> str:
    """The peer address, or the last hop of X-Forwarded-For when the peer is a trusted proxy."""
    peer = request.client.host if request.client else ""
    if peer in settings.trusted_proxies:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return peer


def csrf_token_for(request: Request[Any, Any, Any]) -> tuple[str, Cookie | None]:
    """The browser's CSRF token, and a cookie to set when it has none yet."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) >= 32:
        return existing, None
    token = secrets.token_urlsafe(32)
    return token, Cookie(key=CSRF_COOKIE, value=token, path="/", samesite="lax", httponly=False)


def csrf_ok(request: Request[Any, Any, Any], submitted: str | None = None) -> bool:
    """Double-submit check: the header (or form field) must equal the cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    candidate = submitted if submitted is not None else request.headers.get(CSRF_HEADER)
    return bool(cookie and candidate and secrets.compare_digest(cookie, candidate))


class RateLimiter:
    """Fixed-window counters: in memory for one process, or in Redis shared by every node."""

    def __init__(self, redis_url: str | None = None) -> None:
        self._windows: dict[str, tuple[int, int]] = {}
        self._redis: Any = None
        if redis_url:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(redis_url)

    async def hit(self, key: str, limit: int, window_seconds: int) -> int | None:
        """Count one request; returns seconds to wait when over `limit`, else None."""
        window = int(time.time() // window_seconds)
        retry_after = (window + 1) * window_seconds - int(time.time())
        if self._redis is not None:
            redis_key = f"tenantry:rl:{key}:{window}"
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.incr(redis_key)
                    pipe.expire(redis_key, window_seconds + 1)
                    count, _ = await pipe.execute()
            except Exception:
                count = self._local(key, window)
        else:
            count = self._local(key, window)
        return max(1, retry_after) if count > limit else None

    def _local(self, key: str, window: int) -> int:
        current_window, count = self._windows.get(key, (window, 0))
        count = count + 1 if current_window == window else 1
        self._windows[key] = (window, count)
        if len(self._windows) > 100_000:
            self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return count

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
