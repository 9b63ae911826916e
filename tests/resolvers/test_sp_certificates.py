"""The SP key pair is a usable self-signed certificate, and the helpers read any pasted form of one."""

import base64
import datetime as dt
import textwrap

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from resolvers.errors import InvalidInput
from resolvers.sp_certificates import (
    SpCertificate,
    certificate_body,
    certificate_expiry,
    certificate_pem,
    fingerprint,
    load_certificate,
    new_sp_certificate,
)


@pytest.fixture(scope="module")
def generated() -> SpCertificate:
    return new_sp_certificate("tenantry-sp acme", valid_days=30)


def test_the_certificate_is_self_signed_for_the_name_and_lasts_as_asked(generated: SpCertificate) -> None:
    certificate = x509.load_pem_x509_certificate(generated.certificate_pem.encode())
    assert certificate.subject == certificate.issuer
    assert certificate.subject.rfc4514_string() == "CN=tenantry-sp acme"
    assert certificate.not_valid_after_utc == generated.not_valid_after
    assert certificate.not_valid_before_utc < dt.datetime.now(dt.UTC), "valid already, despite clock skew"
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime == dt.timedelta(days=30)
    basic = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert basic.ca is False
    certificate.verify_directly_issued_by(certificate)


def test_the_private_key_signs_what_the_certificate_verifies(generated: SpCertificate) -> None:
    key = serialization.load_pem_private_key(generated.private_key_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size >= 2048
    signature = key.sign(b"AuthnRequest", padding.PKCS1v15(), hashes.SHA256())
    public = x509.load_pem_x509_certificate(generated.certificate_pem.encode()).public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(signature, b"AuthnRequest", padding.PKCS1v15(), hashes.SHA256())
    assert b"ENCRYPTED" not in generated.private_key_pem, "the caller encrypts it; PKCS#8 in the clear here"


def test_fingerprint_is_sha256_of_the_der_in_console_form(generated: SpCertificate) -> None:
    der = x509.load_pem_x509_certificate(generated.certificate_pem.encode()).public_bytes(
        serialization.Encoding.DER
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    expected = ":".join(f"{byte:02X}" for byte in digest.finalize())
    assert generated.fingerprint_sha256 == expected == fingerprint(generated.certificate_pem)


def test_every_pasted_form_reads_as_the_same_certificate(generated: SpCertificate) -> None:
    body = certificate_body(generated.certificate_pem)
    assert "\n" not in body and "BEGIN" not in body
    forms = [
        generated.certificate_pem,
        "\n  " + generated.certificate_pem.replace("\n", "\r\n") + "  \n",
        body,
        "\n".join(textwrap.wrap(body, 76)),
        f"-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----",
    ]
    for form in forms:
        assert certificate_pem(form) == generated.certificate_pem
        assert certificate_expiry(form) == generated.not_valid_after
        assert fingerprint(form) == generated.fingerprint_sha256


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("not base64 at all!", "not valid base64"),
        (base64.b64encode(b"hello").decode(), "could not be read as X.509"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "not a certificate"),
    ],
)
def test_text_that_is_not_one_certificate_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_certificate(text)


def test_a_chain_is_refused(generated: SpCertificate) -> None:
    with pytest.raises(ValueError, match="one certificate"):
        load_certificate(generated.certificate_pem * 2)


@pytest.mark.parametrize(("name", "days"), [("", 10), ("x" * 65, 10), ("ok", 0), ("ok", 40000)])
def test_impossible_requests_are_refused(name: str, days: int) -> None:
    with pytest.raises(InvalidInput):
        new_sp_certificate(name, valid_days=days)
