"""Refusals at /graphql's door (bearer token, CSRF, rate limits) answered in GraphQL's own error shape."""

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException

CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 429: "RATE_LIMITED"}


class InsufficientScope(PermissionDeniedException):
    """A valid bearer token without the scope /graphql needs (RFC 6750 §3.1 `insufficient_scope`)."""

    def __init__(self, scope: str, detail: str) -> None:
        super().__init__(detail)
        self.scope = scope


def graphql_refusal(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """`{"errors": [{"message", "extensions": {"code"}}]}`, so GraphQL clients show why, not a bare 403."""
    code = CODES.get(error.status_code, "BAD_REQUEST")
    headers: dict[str, str] = dict(error.headers or {})  # Retry-After on a 429
    if isinstance(error, NotAuthorizedException) and request.headers.get("authorization"):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'  # RFC 6750 §3.1
    if isinstance(error, InsufficientScope):
        headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{error.scope}"'
    return Response(
        {"errors": [{"message": error.detail, "extensions": {"code": code}}]},
        status_code=error.status_code,
        media_type=MediaType.JSON,
        headers=headers,
    )
