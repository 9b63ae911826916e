"""The service provider's SAML key pair, and the certificate facts SSO screens show (expiry, fingerprint).

A SAML SP signs its AuthnRequests and may receive encrypted assertions; IdPs want a self-signed X.509
certificate for that, not a CA-issued one. Nothing is stored here: the caller encrypts the private key
with `resolvers.crypto.encrypt` and keeps the certificate in the clear.
"""

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from resolvers.clock import now
from resolvers.errors import InvalidInput

KEY_SIZE = 3072
BACKDATE = dt.timedelta(minutes=5)
_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SpCertificate:
    """A fresh SP key pair: `private_key_pem` is secret (encrypt it before storing)."""

    certificate_pem: str
    private_key_pem: bytes
    not_valid_after: dt.datetime
    fingerprint_sha256: str


def new_sp_certificate(common_name: str, *, valid_days: int = 3650) -> SpCertificate:
    """An RSA-3072 key and a self-signed certificate for it, valid from a few minutes ago (clock skew)."""
    if not common_name.strip() or len(common_name) > 64:
        raise InvalidInput("A certificate's common name must be 1 to 64 characters.")
    if not 1 <= valid_days <= 36500:
        raise InvalidInput("A certificate must be valid for 1 to 36500 days.")
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name.strip())])
    start = now().replace(microsecond=0) - BACKDATE
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    private_key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SpCertificate(
        certificate_pem=certificate_pem,
        private_key_pem=private_key_pem,
        not_valid_after=certificate.not_valid_after_utc,
        fingerprint_sha256=fingerprint(certificate_pem),
    )


def load_certificate(pem_or_base64: str) -> x509.Certificate:
    """One certificate from PEM, or from the bare base64 DER that SAML metadata and IdP consoles show.

    Raises ValueError with a message for people when the text is not exactly one certificate.
    """
    text = pem_or_base64.strip()
    blocks = _PEM_BLOCK.findall(text)
    if len(blocks) > 1:
        raise ValueError("Paste one certificate, not a chain of several.")
    if blocks:
        body = blocks[0]
    elif "-----BEGIN" in text:
        raise ValueError("The text is a PEM block but not a certificate (BEGIN CERTIFICATE).")
    else:
        body = text
    compact = "".join(body.split())
    if not compact:
        raise ValueError("The certificate is empty.")
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("The certificate is not valid base64.") from None
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        raise ValueError("The certificate could not be read as X.509.") from None


def certificate_pem(pem_or_base64: str) -> str:
    """The certificate in normalised PEM (64-character lines), whichever form it was pasted in."""
    return load_certificate(pem_or_base64).public_bytes(serialization.Encoding.PEM).decode()


def certificate_body(pem_or_base64: str) -> str:
    """The bare base64 DER on one line, as ds:X509Certificate carries it in metadata."""
    der = load_certificate(pem_or_base64).public_bytes(serialization.Encoding.DER)
    return base64.b64encode(der).decode()


def certificate_expiry(pem: str) -> dt.datetime:
    """When the certificate stops being valid, in UTC (raises ValueError if it is not a certificate)."""
    return load_certificate(pem).not_valid_after_utc


def fingerprint(pem: str) -> str:
    """SHA-256 of the DER, as colon-separated upper-case hex: the form IdP consoles display."""
    digest = load_certificate(pem).fingerprint(hashes.SHA256())
    return ":".join(f"{byte:02X}" for byte in digest)
