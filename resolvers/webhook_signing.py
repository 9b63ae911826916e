"""Standard Webhooks signatures: an endpoint's secrets and the `v1,` signature of one message."""

import base64
import hashlib
import hmac
import secrets
from typing import Any

from resolvers.clock import now
from resolvers.crypto import decrypt

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def new_secret() -> str:
    """24 random bytes, base64, behind the `whsec_` prefix the Standard Webhooks libraries expect."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signing_secrets(secret_key: str, endpoint: dict[str, Any]) -> list[str]:
    """The endpoint's current secret, and the previous one while its grace period after a rotation lasts."""
    secrets_now = [decrypt(secret_key, endpoint["secret"]).decode()]
    until = endpoint["previous_secret_expires_at"]
    if endpoint["previous_secret"] and until is not None and until > now():
        secrets_now.append(decrypt(secret_key, endpoint["previous_secret"]).decode())
    return secrets_now
