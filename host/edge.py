"""The outermost middleware: refuse unconfigured host names, add security headers to every answer."""

from collections.abc import Callable
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

# connect-src allows data: for the design system's icons, which <sl-icon> fetches from data: URLs
# (inline SVG: nothing leaves the machine).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; connect-src 'self' data:; font-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def host_name(headers: list[tuple[bytes, bytes]]) -> str:
    """The Host header without its port (IPv6 literals keep their brackets)."""
    for name, value in headers:
        if name == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host.split("]")[0] + "]"
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


def edge_middleware(allowed_hosts: list[str]) -> Callable[[ASGIApp], ASGIApp]:
    """Refuse unconfigured hosts (421); add CSP, frame and referrer headers to every response."""
    allowed = {h.lower() for h in allowed_hosts} | {f"[{h}]" for h in allowed_hosts if ":" in h}
    wildcard_suffixes = tuple(h[1:] for h in allowed if h.startswith("*."))

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":  # type: ignore[comparison-overlap]
                await app(scope, receive, send)
                return
            host = host_name(list(scope.get("headers", [])))
            known = host in allowed or bool(wildcard_suffixes and host.endswith(wildcard_suffixes))
            if not known and not str(scope.get("path", "")).startswith("/health/"):
                await _refuse(send)
                return

            async def send_with_headers(message: Any) -> None:
                if message["type"] == "http.response.start":
                    present = {name.lower() for name, _ in message.get("headers", [])}
                    extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                    message["headers"] = [*message.get("headers", []), *extra]
                await send(message)

            await app(scope, receive, send_with_headers)

        return middleware

    return wrap


async def _refuse(send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 421,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS],
        }
    )
    await send(
        {
            "type": "http.response.body",
            "body": b"This host name is not configured for this Tenantry deployment.",
        }
    )
