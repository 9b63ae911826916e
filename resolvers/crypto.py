"""Random tokens, their hashes, and encryption of stored secrets with the deployment key."""

import base64
import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def random_token(prefix: str = "") -> str:
    """256 bits of randomness, URL-safe."""
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 of a high-entropy token: enough, since it cannot be guessed, and fast on hot paths."""
    return hashlib.sha256(token.encode()).hexdigest()


def _derive(secret_key: str, purpose: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"tenantry", info=purpose)
    return hkdf.derive(secret_key.encode())


def hash_code(secret_key: str, code: str) -> str:
    """Keyed hash of a short code: a leaked table cannot be brute-forced without the secret key."""
    key = _derive(secret_key, b"one-time-code")
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def constant_time_equal(left: str, right: str) -> bool:
    return hmac.compare_digest(left.encode(), right.encode())


def encrypt(secret_key: str, plaintext: bytes) -> str:
    aead = AESGCM(_derive(secret_key, b"at-rest-encryption"))
    nonce = secrets.token_bytes(12)
    return base64.urlsafe_b64encode(nonce + aead.encrypt(nonce, plaintext, None)).decode()


def decrypt(secret_key: str, ciphertext: str) -> bytes:
    raw = base64.urlsafe_b64decode(ciphertext.encode())
    aead = AESGCM(_derive(secret_key, b"at-rest-encryption"))
    return aead.decrypt(raw[:12], raw[12:], None)


def six_digit_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def mac(secret_key: str, purpose: bytes, message: bytes) -> str:
    """URL-safe HMAC for signed, stateless values (authorization request handles)."""
    digest = hmac.new(_derive(secret_key, purpose), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
