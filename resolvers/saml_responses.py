"""Verifying the SAML response an IdP posted to our ACS URL: what it vouches for, or why not.

python3-saml does the cryptography and the SAML rules; this module adds what it leaves lenient and
names one precise reason for every refusal. The order is deliberate: the certificates first, then
the signature (python3-saml's lenient pass), so a forged answer is refused as forged and not for a
wrong audience; then our exact checks of what the signed assertion says; then python3-saml's strict
pass (schema, times, issuer). Only the one Assertion the signature covers is read.

python3-saml judges NotBefore/NotOnOrAfter by the real wall clock (allowing 300 s of skew on the
Conditions), not by `resolvers.clock`; our clock decides only whether the IdP's certificates expired.
"""

import base64
import binascii
import re
from collections.abc import Callable, Sequence
from typing import TypeVar
from urllib.parse import urlsplit

from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.errors import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xmlparser import DTDForbidden, EntitiesForbidden

from resolvers.clock import now
from resolvers.federated_identity import FederationRefused, IdpAssertion
from resolvers.saml_exact_checks import (
    check_audience,
    check_destination,
    check_in_response_to,
    check_issuer,
    check_subject_confirmation,
    element_text,
)
from resolvers.saml_refusals import NS, refusal
from resolvers.saml_schemas import use_compiled_schemas
from resolvers.sp_certificates import certificate_expiry
from resolvers.text import text_problem

MAX_RESPONSE_CHARS = 1_000_000  # base64; real responses are a few KiB
MAX_SUBJECT_CHARS = 1024
_DOCTYPE = re.compile(rb"<\s*!\s*(doctype|entity)", re.IGNORECASE)
T = TypeVar("T")
use_compiled_schemas()


def verify_response(
    *,
    saml_response: str,
    sp_entity_id: str,
    acs_url: str,
    idp_entity_id: str,
    idp_certificates: Sequence[str],
    request_id: str | None,
) -> IdpAssertion:
    """What the IdP vouched for in `saml_response` (the base64 SAMLResponse field), or FederationRefused.

    `idp_certificates` are PEMs; a signature by any unexpired one is accepted (key rollover).
    `request_id` is our AuthnRequest's ID; None only for an IdP-initiated answer, which must then not
    claim to answer a request. The caller keeps `assertion_id` until `expires_at` against replays.
    ValueError means the caller's settings are unusable (no certificate, an ACS URL with a query).
    """
    certificates = _unexpired(idp_certificates)
    request_data = _request_data(acs_url)
    encoded = _checked_base64(saml_response)

    def settings(strict: bool) -> OneLogin_Saml2_Settings:
        return _settings(strict, sp_entity_id, acs_url, idp_entity_id, certificates)

    def exact_checks(document: etree._Element) -> float:
        """Ours, where python3-saml is lenient; run only on a document whose signature verified."""
        assertion = _the_assertion(document)
        check_issuer(document, assertion, idp_entity_id)
        check_in_response_to(document, assertion, request_id)
        check_destination(document, acs_url)
        expires_at = check_subject_confirmation(assertion, acs_url)
        check_audience(assertion, sp_entity_id)
        return expires_at

    # Strict mode checks the signature last, so a failure there may hide the real reason (a forged
    # answer would read "wrong audience"): only then a lenient pass asks the signature first. An
    # answer that passes costs one verification.
    try:
        strict = _validated(settings(strict=True), encoded, request_data, request_id)
    except FederationRefused as strict_refusal:
        signed = _validated(settings(strict=False), encoded, request_data, request_id)
        exact_checks(signed.document)
        raise strict_refusal from None
    expires_at = exact_checks(strict.document)
    assertion = _the_assertion(strict.document)
    name_id = _library_call(strict, strict.get_nameid_data)
    return IdpAssertion(
        subject=_subject(str(name_id.get("Value") or "")),
        attributes=_attributes(_the_assertion(strict.document)),
        assertion_id=assertion.get("ID"),
        expires_at=expires_at,
        name_id_format=name_id.get("Format"),
    )


def _unexpired(pems: Sequence[str]) -> list[str]:
    """The certificates still valid by our clock; when none is, the connection cannot sign anyone in."""
    if not pems:
        raise ValueError("a SAML connection has at least one IdP certificate")
    expiries = {pem: certificate_expiry(pem) for pem in pems}
    current = [pem for pem, expiry in expiries.items() if expiry > now()]
    if not current:
        raise FederationRefused("certificate_expired", expired_at=max(expiries.values()).isoformat())
    return current


def _request_data(acs_url: str) -> dict[str, object]:
    """python3-saml's picture of the request that arrived at `acs_url` (it checks Destination against it)."""
    parts = urlsplit(acs_url)
    data: dict[str, object] = {
        "https": "on" if parts.scheme == "https" else "off",
        "http_host": parts.netloc,
        "script_name": parts.path,
        "get_data": {},
        "post_data": {},
    }
    if OneLogin_Saml2_Utils.get_self_url_no_query(data) != acs_url:
        raise ValueError(f"the ACS URL must be scheme://host/path: {acs_url!r}")
    return data


def _checked_base64(saml_response: str) -> str:
    """The field without line breaks, once it is known to decode to something like XML and no DTD."""
    compact = "".join(saml_response.split())
    if not compact:
        raise FederationRefused("malformed", "The SAMLResponse field is empty.")
    if len(compact) > MAX_RESPONSE_CHARS:
        raise FederationRefused("malformed", "The SAMLResponse field is too large.")
    try:
        decoded = base64.b64decode(compact.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise FederationRefused("malformed", "The SAMLResponse field is not valid base64.") from None
    if _DOCTYPE.search(decoded) or _DOCTYPE.search(decoded.replace(b"\x00", b"")):
        raise FederationRefused("dtd_forbidden")
    return compact


def _settings(
    strict: bool, sp_entity_id: str, acs_url: str, idp_entity_id: str, certificates: list[str]
) -> OneLogin_Saml2_Settings:
    try:
        return OneLogin_Saml2_Settings(
            {
                "strict": strict,
                "debug": False,
                "sp": {
                    "entityId": sp_entity_id,
                    "assertionConsumerService": {
                        "url": acs_url,
                        "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST,
                    },
                },
                "idp": {
                    "entityId": idp_entity_id,
                    # never used to verify a response, but the settings want it
                    "singleSignOnService": {"url": acs_url},
                    "x509certMulti": {"signing": certificates},
                },
                "security": {
                    "rejectDeprecatedAlgorithm": True,  # no SHA-1
                    "wantAttributeStatement": False,  # an IdP may send only the NameID
                    "allowRepeatAttributeName": True,  # values of a repeated name are joined
                    "requestedAuthnContext": False,
                    "allowSingleLabelDomains": True,  # http://localhost in development
                },
            },
            sp_validation_only=True,
        )
    except OneLogin_Saml2_Error as error:
        raise ValueError(f"unusable SAML settings: {error}") from None


def _validated(
    settings: OneLogin_Saml2_Settings, encoded: str, request_data: dict[str, object], request_id: str | None
) -> OneLogin_Saml2_Response:
    """The parsed response once python3-saml finds it valid under `settings` (strict or not)."""
    try:
        response = OneLogin_Saml2_Response(settings, encoded)
    except (DTDForbidden, EntitiesForbidden):
        raise FederationRefused("dtd_forbidden") from None
    except OneLogin_Saml2_Error as error:
        if error.code == OneLogin_Saml2_Error.PRIVATE_KEY_NOT_FOUND:
            raise FederationRefused(
                "malformed",
                "The assertion is encrypted, which this connection does not support: "
                "turn off assertion encryption at the identity provider.",
            ) from None
        raise FederationRefused("malformed") from None
    except Exception:  # lxml and xmlsec raise many kinds for bytes that are not XML
        raise FederationRefused("malformed", "The SAML response is not well-formed XML.") from None
    if response.document.tag != f"{{{NS['samlp']}}}Response":
        raise FederationRefused("malformed", "The SAML message is not a Response.")
    _library_call(response, lambda: response.is_valid(request_data, request_id, raise_exceptions=True))
    return response


def _library_call(response: OneLogin_Saml2_Response, call: Callable[[], T]) -> T:
    """`call` on python3-saml, its failure turned into our one reason."""
    try:
        return call()
    except OneLogin_Saml2_ValidationError as failure:
        raise refusal(failure, response.document) from None
    except FederationRefused:
        raise
    except Exception:  # python3-saml raises bare Exception (and IndexError, xmlsec.Error...) on odd input
        raise FederationRefused("malformed") from None


def _the_assertion(document: etree._Element) -> etree._Element:
    """The one Assertion: python3-saml verified that the document holds exactly one, at this place,
    and that a verified signature (of the Response or of the Assertion itself) covers it."""
    found = document.findall("saml:Assertion", NS)
    if len(found) != 1:
        raise FederationRefused("malformed", "The response carries no assertion.")
    return found[0]


def _attributes(assertion: etree._Element) -> dict[str, list[str]]:
    """Every attribute of every AttributeStatement by its Name, values as sent (NameID values as text)."""
    attributes: dict[str, list[str]] = {}
    for attribute in assertion.findall("saml:AttributeStatement/saml:Attribute", NS):
        name = attribute.get("Name")
        if not name:
            continue
        values = attributes.setdefault(_clean(name, "An attribute name"), [])
        values.extend(
            _clean(text, f"The attribute {name[:80]!r}")
            for value in attribute.findall("saml:AttributeValue", NS)
            if (text := element_text(value))
        )
    return attributes


def _subject(name_id: str) -> str:
    """The NameID as one line of text; a NameID anyone can mistake for another is refused."""
    subject = _clean(name_id.strip(), "The NameID")
    if not subject or len(subject) > MAX_SUBJECT_CHARS or not subject.isprintable():
        raise FederationRefused("malformed", "The NameID is empty, too long or not one line of text.")
    return subject


def _clean(text: str, what: str) -> str:
    """XML allows C1 control characters and DEL, which we store nowhere."""
    problem = text_problem(text)
    if problem is not None:
        raise FederationRefused("malformed", f"{what} contains {problem}.")
    return text
