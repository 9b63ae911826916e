"""A real SAML identity provider for tests: it signs responses with `signxml`, and forges them.

    idp = SamlIdp()                                   # its own RSA key and self-signed certificate
    idp.metadata_xml()                                # what an admin uploads to the connection
    request_id, acs_url, relay_state = idp.read_authn_request(saml_request.url)
    saml_response = idp.response(acs_url=acs_url, audience=sp_entity_id, in_response_to=request_id)
    # POST saml_response as the SAMLResponse form field (with RelayState) to the ACS URL

Every knob of `response` defaults to the correct value, so a test names only what it breaks.
Forged responses (signature wrapping, a comment in the NameID, a DTD) are made from the signed XML
of `response_xml` by `tests/support/saml_forgeries.py`.
"""

import base64
import datetime as dt
import secrets
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.algorithms import CanonicalizationMethod
from signxml.signer import XMLSigner

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
PASSWORD_PROTECTED = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
STATUS_RESPONDER = "urn:oasis:names:tc:SAML:2.0:status:Responder"
STATUS_REQUESTER = "urn:oasis:names:tc:SAML:2.0:status:Requester"
STATUS_AUTHN_FAILED = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"

_NSMAP = {"samlp": SAMLP, "saml": SAML}


class Omit(Enum):
    """Leave an optional part out of the response (`destination`, `recipient`, `audience`)."""

    OMIT = "omit"


OMIT = Omit.OMIT


@dataclass(frozen=True, slots=True)
class IdpKey:
    """An IdP signing key and its self-signed certificate (2048-bit RSA: tests make many)."""

    private_key_pem: bytes
    certificate_pem: str

    @classmethod
    def generate(
        cls,
        common_name: str = "Test IdP",
        *,
        not_valid_before: dt.datetime | None = None,
        not_valid_after: dt.datetime | None = None,
    ) -> "IdpKey":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        start = not_valid_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(not_valid_after or start + dt.timedelta(days=365))
            .sign(key, hashes.SHA256())
        )
        return cls(
            private_key_pem=key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        )


class AuthnRequestSeen(NamedTuple):
    """What the IdP read from an SP's AuthnRequest (unpacks as a 3-tuple)."""

    request_id: str
    acs_url: str
    relay_state: str | None


@dataclass
class SamlIdp:
    entity_id: str = "https://idp.example.com/saml/metadata"
    sso_url: str = "https://idp.example.com/saml/sso"
    key: IdpKey = field(default_factory=IdpKey.generate)

    @property
    def certificate_pem(self) -> str:
        return self.key.certificate_pem

    def metadata_xml(
        self,
        *,
        extra_certificates: tuple[str, ...] = (),
        want_authn_requests_signed: bool = False,
        bindings: tuple[str, ...] = (HTTP_REDIRECT, HTTP_POST),
    ) -> str:
        """IdP metadata as Okta or Entra ID publish it; extra certificates model a key rollover."""
        root = etree.Element(f"{{{MD}}}EntityDescriptor", nsmap={"md": MD, "ds": DS})
        root.set("entityID", self.entity_id)
        descriptor = etree.SubElement(root, f"{{{MD}}}IDPSSODescriptor")
        descriptor.set("WantAuthnRequestsSigned", "true" if want_authn_requests_signed else "false")
        descriptor.set("protocolSupportEnumeration", SAMLP)
        for pem in (self.certificate_pem, *extra_certificates):
            key_descriptor = etree.SubElement(descriptor, f"{{{MD}}}KeyDescriptor", use="signing")
            x509_data = etree.SubElement(
                etree.SubElement(key_descriptor, f"{{{DS}}}KeyInfo"), f"{{{DS}}}X509Data"
            )
            etree.SubElement(x509_data, f"{{{DS}}}X509Certificate").text = _certificate_body(pem)
        etree.SubElement(descriptor, f"{{{MD}}}NameIDFormat").text = NAMEID_EMAIL
        for binding in bindings:
            etree.SubElement(
                descriptor, f"{{{MD}}}SingleSignOnService", Binding=binding, Location=self.sso_url
            )
        return etree.tostring(root, encoding="unicode")

    def read_authn_request(self, url_or_form: str | Mapping[str, str]) -> AuthnRequestSeen:
        """The request a browser brought: a Redirect-binding URL, or the fields of a POST-binding form."""
        if isinstance(url_or_form, str):
            query = parse_qs(urlsplit(url_or_form).query)
            encoded, relay_states = query["SAMLRequest"][0], query.get("RelayState", [])
            xml = zlib.decompress(base64.b64decode(encoded), -15)
            relay_state = relay_states[0] if relay_states else None
        else:
            xml = base64.b64decode(url_or_form["SAMLRequest"])
            relay_state = url_or_form.get("RelayState")
        request = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        if request.tag != f"{{{SAMLP}}}AuthnRequest":
            raise ValueError(f"not an AuthnRequest: {request.tag}")
        return AuthnRequestSeen(
            request.get("ID", ""), request.get("AssertionConsumerServiceURL", ""), relay_state
        )

    def response(self, **knobs: object) -> str:
        """A base64 SAMLResponse, as posted to the ACS; takes the knobs of `response_xml`."""
        return encode(self.response_xml(**knobs))  # type: ignore[arg-type]

    def response_xml(
        self,
        *,
        acs_url: str,
        audience: str | Omit,
        in_response_to: str | None = None,
        recipient: str | Omit | None = None,
        destination: str | Omit | None = None,
        issuer: str | None = None,
        name_id: str = "alice@example.com",
        name_id_format: str = NAMEID_EMAIL,
        attributes: Mapping[str, list[str]] | None = None,
        more_attribute_statements: Sequence[Mapping[str, list[str]]] = (),
        sign_response: bool = True,
        sign_assertion: bool = False,
        key: IdpKey | None = None,
        assertion_key: IdpKey | None = None,
        not_before: float = -60,
        not_on_or_after: float = 300,
        status: str = STATUS_SUCCESS,
        sub_status: str | None = None,
        status_message: str | None = None,
        assertion_id: str | None = None,
        sha1: bool = False,
    ) -> bytes:
        """The signed XML of a response; times are seconds from now (the real clock, as the verifier's).

        `recipient` and `destination` default to `acs_url` (OMIT leaves them out), `issuer` to our
        entity ID; `key` signs instead of ours ("wrong key"), `assertion_key` only the Assertion.
        `sha1` signs with rsa-sha1/sha1, as old ADFS set-ups do. A non-success `status` carries no
        assertion; `more_attribute_statements` follow the one `attributes` makes.
        """
        signing_key = key or self.key
        now = time.time()
        response = etree.Element(f"{{{SAMLP}}}Response", nsmap=_NSMAP)
        response.set("ID", new_id())
        response.set("Version", "2.0")
        response.set("IssueInstant", _instant(now))
        if destination is None or isinstance(destination, str):
            response.set("Destination", acs_url if destination is None else destination)
        if in_response_to is not None:
            response.set("InResponseTo", in_response_to)
        etree.SubElement(response, f"{{{SAML}}}Issuer").text = issuer or self.entity_id
        if sign_response:
            _signature_placeholder(response)
        status_element = etree.SubElement(response, f"{{{SAMLP}}}Status")
        code = etree.SubElement(status_element, f"{{{SAMLP}}}StatusCode", Value=status)
        if sub_status:
            etree.SubElement(code, f"{{{SAMLP}}}StatusCode", Value=sub_status)
        if status_message:
            etree.SubElement(status_element, f"{{{SAMLP}}}StatusMessage").text = status_message
        if status == STATUS_SUCCESS:
            assertion = self._assertion(
                now=now,
                assertion_id=assertion_id or new_id(),
                issuer=issuer or self.entity_id,
                name_id=name_id,
                name_id_format=name_id_format,
                audience=audience,
                recipient=acs_url if recipient is None else recipient,
                in_response_to=in_response_to,
                not_before=now + not_before,
                not_on_or_after=now + not_on_or_after,
                attribute_statements=[attributes or {}, *more_attribute_statements],
                signed=sign_assertion,
            )
            if sign_assertion:
                assertion = _signed(assertion, assertion_key or signing_key, sha1=sha1)
            response.append(assertion)
        if sign_response:
            response = _signed(response, signing_key, sha1=sha1)
        return etree.tostring(response)

    def _assertion(
        self,
        *,
        now: float,
        assertion_id: str,
        issuer: str,
        name_id: str,
        name_id_format: str,
        audience: str | Omit,
        recipient: str | Omit,
        in_response_to: str | None,
        not_before: float,
        not_on_or_after: float,
        attribute_statements: Sequence[Mapping[str, list[str]]],
        signed: bool,
    ) -> etree._Element:
        assertion = etree.Element(f"{{{SAML}}}Assertion", nsmap={"saml": SAML})
        assertion.set("ID", assertion_id)
        assertion.set("Version", "2.0")
        assertion.set("IssueInstant", _instant(now))
        etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = issuer
        if signed:
            _signature_placeholder(assertion)
        subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
        etree.SubElement(subject, f"{{{SAML}}}NameID", Format=name_id_format).text = name_id
        confirmation = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation", Method=BEARER)
        data = etree.SubElement(confirmation, f"{{{SAML}}}SubjectConfirmationData")
        data.set("NotOnOrAfter", _instant(not_on_or_after))
        if isinstance(recipient, str):
            data.set("Recipient", recipient)
        if in_response_to is not None:
            data.set("InResponseTo", in_response_to)
        conditions = etree.SubElement(assertion, f"{{{SAML}}}Conditions")
        conditions.set("NotBefore", _instant(not_before))
        conditions.set("NotOnOrAfter", _instant(not_on_or_after))
        if isinstance(audience, str):
            restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
            etree.SubElement(restriction, f"{{{SAML}}}Audience").text = audience
        statement = etree.SubElement(assertion, f"{{{SAML}}}AuthnStatement")
        statement.set("AuthnInstant", _instant(now))
        statement.set("SessionIndex", new_id())
        context = etree.SubElement(statement, f"{{{SAML}}}AuthnContext")
        etree.SubElement(context, f"{{{SAML}}}AuthnContextClassRef").text = PASSWORD_PROTECTED
        for attributes in attribute_statements:
            if not attributes:
                continue
            attribute_statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
            for name, values in attributes.items():
                attribute = etree.SubElement(attribute_statement, f"{{{SAML}}}Attribute", Name=name)
                attribute.set("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:basic")
                for value in values:
                    etree.SubElement(attribute, f"{{{SAML}}}AttributeValue").text = value
        return assertion


def encode(xml: bytes | str) -> str:
    """The SAMLResponse form field for a document."""
    return base64.b64encode(xml.encode() if isinstance(xml, str) else xml).decode()


def _signature_placeholder(parent: etree._Element) -> None:
    """Where signxml puts the enveloped signature: right after Issuer, as the SAML schema wants."""
    etree.SubElement(parent, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})


class _Sha1Signer(XMLSigner):
    """signxml refuses SHA-1 unless told otherwise; some IdPs still use it, so tests need it."""

    def check_deprecated_methods(self) -> None:
        return None


def _signed(element: etree._Element, key: IdpKey, *, sha1: bool = False) -> etree._Element:
    c14n = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
    signer = (
        _Sha1Signer(signature_algorithm="rsa-sha1", digest_algorithm="sha1", c14n_algorithm=c14n)
        if sha1
        else XMLSigner(c14n_algorithm=c14n)
    )
    signer.namespaces = {"ds": DS}
    signed: etree._Element = signer.sign(
        element, key=key.private_key_pem, cert=key.certificate_pem, id_attribute="ID"
    )
    return signed


def new_id() -> str:
    return "_" + secrets.token_hex(20)


def _instant(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _certificate_body(pem: str) -> str:
    return "".join(line for line in pem.strip().splitlines() if "-----" not in line)
