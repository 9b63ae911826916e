"""OAuth 2.0 / OpenID Connect errors: each a tiny class with its RFC code, rendered per the spec.

RFC 6749 §4.1.2.1 (authorization errors go back to the client's redirect URI with `state`),
§5.2 (token endpoint errors are JSON with status 400, or 401 for `invalid_client`),
OpenID Connect Core §3.1.2.6 (`login_required`, `interaction_required`, ...) and
RFC 6750 §3 (bearer token errors in `WWW-Authenticate`).
"""

from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit, urlunsplit

from litestar import Response
from litestar.response import Redirect

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class OAuthError(Exception):
    error: ClassVar[str] = "invalid_request"
    status_code: ClassVar[int] = 400

    def __init__(self, description: str = "", *, state: str | None = None) -> None:
        super().__init__(description or self.error)
        self.description = description
        self.state = state

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body

    def as_json(self, headers: dict[str, str] | None = None) -> Response[Any]:
        return Response(self.body(), status_code=self.status_code, headers={**NO_STORE, **(headers or {})})

    def as_redirect(self, redirect_uri: str, issuer: str) -> Redirect:
        """Send the error back to the client (RFC 6749 §4.1.2.1, RFC 9207 `iss`)."""
        params = self.body()
        if self.state is not None:
            params["state"] = self.state
        params["iss"] = issuer
        return Redirect(append_query(redirect_uri, params), status_code=302, headers=NO_STORE)


def append_query(uri: str, params: dict[str, Any]) -> str:
    parts = urlsplit(uri)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class InvalidRequest(OAuthError):
    error = "invalid_request"


class InvalidClient(OAuthError):
    error = "invalid_client"
    status_code = 401


class InvalidGrant(OAuthError):
    error = "invalid_grant"


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"


class InvalidScope(OAuthError):
    error = "invalid_scope"


class AccessDenied(OAuthError):
    error = "access_denied"


class ServerError(OAuthError):
    error = "server_error"
    status_code = 500


class TemporarilyUnavailable(OAuthError):
    error = "temporarily_unavailable"
    status_code = 503


class SlowDown(OAuthError):
    """Too many failed requests; RFC 6749 has no code for this, so we answer 429 with Retry-After."""

    error = "slow_down"
    status_code = 429

    def __init__(self, description: str, *, retry_after: int) -> None:
        super().__init__(description)
        self.retry_after = retry_after

    def as_json(self, headers: dict[str, str] | None = None) -> Response[Any]:
        return super().as_json({"Retry-After": str(self.retry_after), **(headers or {})})


class RequestTooLarge(OAuthError):
    """The body exceeds the limit; answered 413 with an RFC 6749 error body."""

    error = "invalid_request"
    status_code = 413


class LoginRequired(OAuthError):
    error = "login_required"


class InteractionRequired(OAuthError):
    error = "interaction_required"


class AccountSelectionRequired(OAuthError):
    error = "account_selection_required"


class ConsentRequired(OAuthError):
    error = "consent_required"


class RequestNotSupported(OAuthError):
    error = "request_not_supported"


class RequestUriNotSupported(OAuthError):
    error = "request_uri_not_supported"


class BearerError(OAuthError):
    """RFC 6750 §3: a protected resource also names its error in a `WWW-Authenticate` challenge."""

    scope: ClassVar[str | None] = None

    def as_json(self, headers: dict[str, str] | None = None) -> Response[Any]:
        challenge = f'Bearer error="{self.error}"'
        if self.description:
            challenge += f', error_description="{self.description}"'
        if self.scope:
            challenge += f', scope="{self.scope}"'
        return super().as_json({"WWW-Authenticate": challenge, **(headers or {})})


class InvalidToken(BearerError):
    """RFC 6750 §3.1: the bearer token is bad; answered 401."""

    error = "invalid_token"
    status_code = 401


class InvalidBearerRequest(BearerError):
    """RFC 6750 §3.1: the request is malformed, e.g. the token sent twice; answered 400."""

    error = "invalid_request"


class InsufficientScope(BearerError):
    """RFC 6750 §3.1: the token is valid but was not granted the scope this resource needs; 403."""

    error = "insufficient_scope"
    status_code = 403
    scope = "openid"


class BearerTokenMissing(OAuthError):
    """RFC 6750 §3.1: a request with no credentials gets a bare challenge, without an error code."""

    status_code = 401

    def as_json(self, headers: dict[str, str] | None = None) -> Response[Any]:
        challenge = {**NO_STORE, "WWW-Authenticate": "Bearer", **(headers or {})}
        return Response(b"", status_code=self.status_code, headers=challenge)
