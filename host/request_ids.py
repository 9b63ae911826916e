"""Request ids: every answer names its request, so a person's report finds the server's log line.

An incoming `X-Request-Id` is kept when it looks like an id (a proxy's); anything else is replaced.
A 500 is logged with its traceback and the id; the person sees the id, never the traceback.
"""

import logging
import re
import secrets
import sys
from contextvars import ContextVar
from typing import Any

from litestar import MediaType, Request, Response
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{8,128}")

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
log = logging.getLogger("tenantry.errors")


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The proxy's id when it is a sane token, else a new random one."""
    for name, value in headers:
        if name == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            if SANE_REQUEST_ID.fullmatch(candidate):
                return candidate
    return secrets.token_hex(12)


def ensure_error_log() -> None:
    """Errors reach stderr with their traceback even when no logging was configured (uvicorn
    configures only its own loggers)."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def log_unexpected(error: BaseException, where: str) -> str:
    """Log `error` with its traceback and this request's id; returns the id for the answer."""
    request_id = current_request_id.get()
    log.error(
        "unexpected error in %s (request id %s)",
        where,
        request_id,
        exc_info=(type(error), error, error.__traceback__),
    )
    return request_id


def internal_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """Litestar's handler for every 500: log it, answer with the request id and no details."""
    request_id = log_unexpected(error, f"{request.method} {request.url.path}")
    return Response(
        {
            "status_code": 500,
            "detail": "Something went wrong on our side. Quote this request id if you report it.",
            "request_id": request_id,
        },
        status_code=500,
        media_type=MediaType.JSON,
        headers={"Cache-Control": "no-store"},
    )


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Give the request its id (for logs) and every answer an `X-Request-Id` header."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        request_id = request_id_from(list(scope.get("headers", [])))
        token = current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() != REQUEST_ID_HEADER]
                message["headers"] = [*kept, (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)

    return middleware
