"""A software WebAuthn authenticator (P-256, "none" attestation) for API tests.

Built from the WebAuthn Level 3 byte layouts over `cryptography` and `cbor2`, not from our
server code, so it can disagree with the server. Knobs let a test forge what a real browser or
authenticator never would: another origin, another RP ID, no user verification, an old counter.
"""

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftwarePasskey:
    credential_id: bytes
    key: ec.EllipticCurvePrivateKey
    user_handle: str  # base64url, as the RP sent it
    counter: int = 0


@dataclass
class SoftwareAuthenticator:
    rp_id: str = "localhost"
    origin: str = "http://localhost"
    synced: bool = False
    counts_signatures: bool = True
    aaguid: bytes = bytes(16)  # none, as most software authenticators say
    passkeys: list[SoftwarePasskey] = field(default_factory=list)

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _flags(self, *, verified: bool) -> int:
        flags = UP | (UV if verified else 0)
        return flags | (BE | BS if self.synced else 0)

    def create(self, options: dict[str, Any], *, origin: str | None = None) -> dict[str, Any]:
        """navigator.credentials.create(): a new discoverable credential, as RegistrationResponseJSON."""
        key = ec.generate_private_key(ec.SECP256R1())
        credential_id = secrets.token_bytes(32)
        numbers = key.public_key().public_numbers()
        cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        auth_data = (
            rp_hash
            + bytes([self._flags(verified=True) | AT])
            + struct.pack(">I", 0)
            + self.aaguid
            + struct.pack(">H", len(credential_id))
            + credential_id
            + cbor2.dumps(cose)
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        self.passkeys.append(SoftwarePasskey(credential_id, key, options["user"]["id"]))
        return {
            "id": b64url(credential_id),
            "rawId": b64url(credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(self._client_data("webauthn.create", options["challenge"], origin)),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(
        self,
        options: dict[str, Any],
        *,
        passkey: SoftwarePasskey | None = None,
        origin: str | None = None,
        rp_id: str | None = None,
        verified: bool = True,
    ) -> dict[str, Any]:
        """navigator.credentials.get(): an assertion, as AuthenticationResponseJSON."""
        chosen = passkey or self.passkeys[-1]
        if self.counts_signatures:
            chosen.counter += 1
        auth_data = (
            hashlib.sha256((rp_id or options["rpId"]).encode()).digest()
            + bytes([self._flags(verified=verified)])
            + struct.pack(">I", chosen.counter)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = chosen.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64url(chosen.credential_id),
            "rawId": b64url(chosen.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": chosen.user_handle,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
