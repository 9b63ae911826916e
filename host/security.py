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

            # a firewalled Redis must cost a request half a second, not hang it: counts fall back to
            # this process's own
            self._redis = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)

    async def hit(self, key: str, limit: int, window_seconds: int, amount: int = 1) -> int | None:
        """Count `amount` (one request, or what it costs); returns seconds to wait when the
        window's total is over `limit`, else None."""
        count = await self.count(key, window_seconds, amount)
        return seconds_left(window_seconds) if count > limit else None

    async def count(self, key: str, window_seconds: int, amount: int = 1) -> int:
        """Count `amount` events (a failure, say) without judging them; returns the window's count."""
        window = int(time.time() // window_seconds)
        if self._redis is not None:
            redis_key = f"tenantry:rl:{key}:{window}"
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.incrby(redis_key, amount)
                    pipe.expire(redis_key, window_seconds + 1)
                    count, _ = await pipe.execute()
                return int(count)
            except Exception:
                return self._local(key, window, amount)
        return self._local(key, window, amount)

    async def exceeded(self, key: str, limit: int, window_seconds: int) -> int | None:
        """Seconds to wait when `key` already has `limit` events in this window; counts nothing."""
        (count,) = await self.counts([key], window_seconds)
        return seconds_left(window_seconds) if count >= limit else None

    async def counts(self, keys: list[str], window_seconds: int) -> list[int]:
        """This window's counts for `keys`, read in one round trip; counts nothing."""
        window = int(time.time() // window_seconds)
        if self._redis is not None:
            try:
                values = await self._redis.mget([f"tenantry:rl:{key}:{window}" for key in keys])
            except Exception:  # like `count`: Redis down falls back to this process's counters
                values = [self._local_count(key, window) for key in keys]
            return [int(value or 0) for value in values]
        return [self._local_count(key, window) for key in keys]

    def _local_count(self, key: str, window: int) -> int:
        current_window, count = self._windows.get(key, (window, 0))
        return count if current_window == window else 0

    def _local(self, key: str, window: int, amount: int) -> int:
        count = self._local_count(key, window) + amount
        self._windows[key] = (window, count)
        if len(self._windows) > 100_000:
            self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return count

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


def seconds_left(window_seconds: int) -> int:
    """Until the current fixed window ends; at least 1, for Retry-After."""
    now = time.time()
    return max(1, (int(now // window_seconds) + 1) * window_seconds - int(now))
