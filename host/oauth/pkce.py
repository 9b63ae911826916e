"""PKCE (RFC 7636), S256 only: the code is bound to a verifier only its requester knows."""

import base64
import hashlib
import re
import secrets

VERIFIER_PATTERN = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
CHALLENGE_PATTERN = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def is_valid_challenge(challenge: str) -> bool:
    """An S256 challenge is always 43 base64url characters (§4.2)."""
    return bool(CHALLENGE_PATTERN.fullmatch(challenge))


def verifier_matches(verifier: str, challenge: str) -> bool:
    """§4.6: BASE64URL(SHA256(verifier)) must equal the stored challenge."""
    if not VERIFIER_PATTERN.fullmatch(verifier):
        return False
    return secrets.compare_digest(s256(verifier).encode(), challenge.encode())
