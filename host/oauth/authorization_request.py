"""A validated authorization request, carried through the sign-in pages as a signed handle.

Keeping the request in a MAC-protected value (not the database) means /oauth/authorize writes
nothing until a code is issued, and the hosted pages cannot be tricked into altering it.
"""

import base64
import json
from dataclasses import asdict, dataclass, replace

from resolvers.clock import timestamp
from resolvers.crypto import constant_time_equal, mac

_PURPOSE = b"authorization-request"
MAX_AGE_SECONDS = 3600


NO_ORGANIZATION = "-"  # the chooser's "continue without joining": never an organization id


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str | None
    prompt: str | None
    max_age: int | None
    login_hint: str | None
    organization_id: str | None
    issued_at: float  # seconds, sub-second precision: a sign-in in the same second must count
    chosen_organization_id: str | None = None
    connection_id: str | None = None  # sign in through this SSO connection
    domain_hint: str | None = None  # sign in through the SSO connection of this verified domain
    ui_locales: str | None = None  # OIDC ui_locales: the languages the hosted pages should speak

    def needs_fresh_login(self, auth_time: float) -> bool:
        """prompt=login/create asks for a sign-in that happened after this request was made."""
        return self.prompt in {"login", "create"} and auth_time < self.issued_at

    def with_organization(self, organization_id: str) -> "AuthorizationRequest":
        return replace(self, chosen_organization_id=organization_id)

    def encode(self, secret_key: str) -> str:
        payload = (
            base64.urlsafe_b64encode(json.dumps(asdict(self), separators=(",", ":")).encode())
            .decode()
            .rstrip("=")
        )
        return f"{payload}.{mac(secret_key, _PURPOSE, payload.encode())}"

    @classmethod
    def decode(cls, secret_key: str, handle: str) -> "AuthorizationRequest | None":
        """None when tampered with, malformed or older than an hour."""
        payload, _, signature = handle.partition(".")
        if not payload or not constant_time_equal(signature, mac(secret_key, _PURPOSE, payload.encode())):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            request = cls(**data)
        except (ValueError, TypeError):
            return None
        if timestamp() - request.issued_at > MAX_AGE_SECONDS:
            return None
        return request
