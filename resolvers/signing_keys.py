"""Signing keys: generated and stored encrypted, rotated with an overlap, cached in memory."""

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from db.ids import new_id
from db.oauth import SigningKey
from db.transaction import transaction
from resolvers.clock import now
from resolvers.crypto import decrypt, encrypt

ALGORITHMS = ("RS256", "ES256")
CACHE_SECONDS = 60.0
DEFAULT_OVERLAP = dt.timedelta(days=2)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True, slots=True)
class LoadedKey:
    kid: str
    algorithm: str
    private_key: PrivateKey
    public_jwk: dict[str, Any]
    status: str


def _generate(algorithm: str) -> PrivateKey:
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def _public_jwk(algorithm: str, private_key: PrivateKey, kid: str) -> dict[str, Any]:
    if isinstance(private_key, rsa.RSAPrivateKey):
        exported = jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key())
    else:
        exported = jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key())
    jwk: dict[str, Any] = json.loads(exported)
    jwk.update({"kid": kid, "alg": algorithm, "use": "sig"})
    return jwk


async def _create_key(secret_key: str, algorithm: str) -> None:
    private_key = _generate(algorithm)
    kid = new_id("key").removeprefix("key_").lower()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    await SigningKey.insert(
        SigningKey(
            id=new_id("key"),
            kid=kid,
            algorithm=algorithm,
            private_key=encrypt(secret_key, pem),
            public_jwk=_public_jwk(algorithm, private_key, kid),
            status="active",
            created_at=now(),
        )
    )


async def ensure_signing_keys(secret_key: str) -> None:
    """Create an active key for each algorithm that has none (first start)."""
    async with transaction():
        active = set(
            await SigningKey.select(SigningKey.algorithm)
            .where(SigningKey.status == "active")
            .output(as_list=True)
        )
        for algorithm in ALGORITHMS:
            if algorithm not in active:
                await _create_key(secret_key, algorithm)


async def rotate_signing_keys(secret_key: str, overlap: dt.timedelta = DEFAULT_OVERLAP) -> None:
    """New keys sign from now on; old ones stay in the JWKS for `overlap`, then retire."""
    moment = now()
    async with transaction():
        await SigningKey.update({SigningKey.status: "retired"}).where(
            (SigningKey.status == "retiring") & (SigningKey.retire_after <= moment)
        )
        await SigningKey.update(
            {SigningKey.status: "retiring", SigningKey.retire_after: moment + overlap}
        ).where(SigningKey.status == "active")
        for algorithm in ALGORITHMS:
            await _create_key(secret_key, algorithm)
    key_ring.invalidate()


class KeyRing:
    """Decrypted keys kept for a minute, so issuing a token costs no database round trip."""

    def __init__(self) -> None:
        self._keys: list[LoadedKey] = []
        self._loaded_at = 0.0
        self._secret_key = ""

    def invalidate(self) -> None:
        self._loaded_at = 0.0

    async def keys(self, secret_key: str) -> list[LoadedKey]:
        if (
            self._keys
            and self._secret_key == secret_key
            and time.monotonic() - self._loaded_at < CACHE_SECONDS
        ):
            return self._keys
        moment = now()
        rows = (
            await SigningKey.select()
            .where(
                (SigningKey.status == "active")
                | ((SigningKey.status == "retiring") & (SigningKey.retire_after > moment))
            )
            .order_by(SigningKey.created_at, ascending=False)
            .output(load_json=True)
        )
        loaded = []
        for row in rows:
            private_key = serialization.load_pem_private_key(
                decrypt(secret_key, row["private_key"]), password=None
            )
            if not isinstance(private_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
                raise TypeError(f"signing key {row['kid']} is of an unsupported type")
            loaded.append(
                LoadedKey(row["kid"], row["algorithm"], private_key, row["public_jwk"], row["status"])
            )
        self._keys, self._loaded_at, self._secret_key = loaded, time.monotonic(), secret_key
        return loaded

    async def signing_key(self, secret_key: str, algorithm: str) -> LoadedKey:
        for key in await self.keys(secret_key):
            if key.algorithm == algorithm and key.status == "active":
                return key
        raise RuntimeError(f"no active {algorithm} signing key: run `tenantry migrate`")

    async def jwks(self, secret_key: str) -> dict[str, Any]:
        return {"keys": [key.public_jwk for key in await self.keys(secret_key)]}

    async def public_key(self, secret_key: str, kid: str) -> LoadedKey | None:
        for key in await self.keys(secret_key):
            if key.kid == kid:
                return key
        return None


key_ring = KeyRing()
