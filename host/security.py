"""Request protections: CSRF double-submit, client IP behind trusted proxies, rate limits."""

import secrets
import time
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

from host.settings import Settings

CSRF_COOKIE = "tenantry_csrf"
CSRF_HEADER = "x-csrf-token"


def client_ip(request: Request[Any, Any, Any], settings: Settings) -> str:
    """The peer address, or the last hop of X-Forwarded-For when the peer is a trusted proxy."""
    peer = request.client.host if request.client else ""
    if peer in settings.trusted_proxies:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return peer


def csrf_token_for(request: Request[Any, Any, Any], settings: Settings) -> tuple[str, Cookie | None]:
    """The browser's CSRF token, and a cookie to set when it has none yet (readable by the page)."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) >= 32:
        return existing, None
    token = secrets.token_urlsafe(32)
    cookie = Cookie(
        key=CSRF_COOKIE, value=token, path="/", samesite="lax", httponly=False, secure=settings.secure_cookies
    )
    return token, cookie


def csrf_ok(request: Request[Any, Any, Any], submitted: str | None = None) -> bool:
    """Double-submit check: the header (or form field) must equal the cookie.

    Compared as UTF-8 bytes: `compare_digest` raises on non-ASCII strings, and a forged token
    is a refusal, not a crash.
    """
    cookie = request.cookies.get(CSRF_COOKIE)
    candidate = submitted if submitted is not None else request.headers.get(CSRF_HEADER)
    if not cookie or not candidate:
        return False
    return secrets.compare_digest(cookie.encode(), candidate.encode())


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
