"""Standard Webhooks signatures: an endpoint's secrets, and the signature header of one message.

The signing itself is the Standard Webhooks reference library's, so a receiver verifying with any
of that specification's libraries agrees with us by construction.
"""

import base64
import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from standardwebhooks import Webhook

from resolvers.clock import now
from resolvers.crypto import decrypt

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def new_secret() -> str:
    """24 random bytes, base64, behind the `whsec_` prefix the Standard Webhooks libraries expect."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signing_secrets(secret_key: str, endpoint: dict[str, Any]) -> list[str]:
    """The endpoint's current secret, and the previous one while its grace period after a rotation lasts."""
    secrets_now = [decrypt(secret_key, endpoint["secret"]).decode()]
    until = endpoint["previous_secret_expires_at"]
    if endpoint["previous_secret"] and until is not None and until > now():
        secrets_now.append(decrypt(secret_key, endpoint["previous_secret"]).decode())
    return secrets_now


def signature_header(endpoint_secrets: Sequence[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,` + HMAC-SHA256 of `id.timestamp.body`, one per secret."""
    signed_at = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    return " ".join(Webhook(secret).sign(message_id, signed_at, body) for secret in endpoint_secrets)
