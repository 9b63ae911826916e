"""Client authentication at the token and revocation endpoints (RFC 6749 §2.3.1).

Supported: `client_secret_basic`, `client_secret_post`, and `none` for public clients.
"""

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus

from litestar import Request

from host.oauth.errors import InvalidClient, InvalidRequest
from resolvers.applications import Client, find_client


def _basic_credentials(request: Request[Any, Any, Any]) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise InvalidClient("Malformed Basic credentials.") from error
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise InvalidClient("Malformed Basic credentials.")
    return unquote_plus(client_id), unquote_plus(secret)


def claimed_client_id(request: Request[Any, Any, Any], form: dict[str, str]) -> str:
    """The client id the request names, unverified (for rate limits); empty when it names none."""
    try:
        basic = _basic_credentials(request)
    except InvalidClient:
        return ""
    return basic[0] if basic else form.get("client_id", "")


async def authenticate_client(request: Request[Any, Any, Any], form: dict[str, str]) -> Client:
    """The calling client, or InvalidClient (401) when it cannot prove who it is."""
    basic = _basic_credentials(request)
    if basic and "client_secret" in form:
        raise InvalidRequest("Use one client authentication method, not two.")
    if basic:
        client_id, secret = basic
        if form.get("client_id") not in (None, client_id):
            raise InvalidRequest("client_id does not match the authenticated client.")
    else:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if not client_id:
        raise InvalidClient("Client authentication is required.")
    client = await find_client(client_id)
    if client is None:
        raise InvalidClient("Unknown client.")
    if client.is_public:
        if secret:
            raise InvalidClient("Public clients have no secret.")
        return client
    if not secret or not client.check_secret(secret):
        raise InvalidClient("Client authentication failed.")
    return client
