"""Which `FederationRefused` reason each python3-saml failure is, with the details that help fix it.

python3-saml says why a response failed with `OneLogin_Saml2_ValidationError.code`; the test
result page needs one of our reasons instead. The table is complete for the codes a response can
raise; any other failure of the library (it raises bare `Exception` for unreadable times, for
instance) means the answer could not be read.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.errors import OneLogin_Saml2_ValidationError as Failure
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from resolvers.federated_identity import FederationRefused
from resolvers.text import FORBIDDEN_CHARACTER

SAMLP = OneLogin_Saml2_Constants.NS_SAMLP
SAML = OneLogin_Saml2_Constants.NS_SAML
NS = {"samlp": SAMLP, "saml": SAML}
STATUS_MESSAGE_MAX = 500

_REASON_BY_CODE = {
    Failure.UNSUPPORTED_SAML_VERSION: "malformed",
    Failure.MISSING_ID: "malformed",
    Failure.MISSING_STATUS: "malformed",
    Failure.MISSING_STATUS_CODE: "malformed",
    Failure.STATUS_CODE_IS_NOT_SUCCESS: "idp_error",
    Failure.WRONG_NUMBER_OF_ASSERTIONS: "malformed",  # several: see `refusal`
    Failure.WRONG_SIGNED_ELEMENT: "signature_invalid",
    Failure.ID_NOT_FOUND_IN_SIGNED_ELEMENT: "signature_invalid",
    Failure.DUPLICATED_ID_IN_SIGNED_ELEMENTS: "signature_invalid",
    Failure.INVALID_SIGNED_ELEMENT: "signature_invalid",
    Failure.DUPLICATED_REFERENCE_IN_SIGNED_ELEMENTS: "signature_invalid",
    Failure.UNEXPECTED_SIGNED_ELEMENTS: "signature_invalid",
    Failure.WRONG_NUMBER_OF_SIGNATURES_IN_RESPONSE: "signature_invalid",
    Failure.WRONG_NUMBER_OF_SIGNATURES_IN_ASSERTION: "signature_invalid",
    Failure.WRONG_NUMBER_OF_SIGNATURES: "signature_invalid",
    Failure.INVALID_SIGNATURE: "signature_invalid",
    Failure.DEPRECATED_SIGNATURE_METHOD: "signature_invalid",
    Failure.DEPRECATED_DIGEST_METHOD: "signature_invalid",
    Failure.NO_SIGNATURE_FOUND: "response_not_signed",
    Failure.NO_SIGNED_MESSAGE: "response_not_signed",
    Failure.NO_SIGNED_ASSERTION: "response_not_signed",
    Failure.INVALID_XML_FORMAT: "malformed",
    Failure.WRONG_INRESPONSETO: "in_response_to_mismatch",
    Failure.NO_ENCRYPTED_ASSERTION: "malformed",
    Failure.NO_ENCRYPTED_NAMEID: "malformed",
    Failure.MISSING_CONDITIONS: "malformed",
    Failure.ASSERTION_TOO_EARLY: "clock_skew",
    Failure.ASSERTION_EXPIRED: "clock_skew",
    Failure.RESPONSE_EXPIRED: "clock_skew",
    Failure.SESSION_EXPIRED: "clock_skew",
    # recipient and InResponseTo of the subject confirmation are checked before python3-saml's
    # strict pass, so what remains of this one is its NotBefore/NotOnOrAfter
    Failure.WRONG_SUBJECTCONFIRMATION: "clock_skew",
    Failure.WRONG_NUMBER_OF_AUTHSTATEMENTS: "malformed",
    Failure.NO_ATTRIBUTESTATEMENT: "malformed",
    Failure.ENCRYPTED_ATTRIBUTES: "malformed",
    Failure.WRONG_DESTINATION: "destination_mismatch",
    Failure.EMPTY_DESTINATION: "destination_mismatch",
    Failure.WRONG_AUDIENCE: "audience_mismatch",
    Failure.SP_NAME_QUALIFIER_NAME_MISMATCH: "audience_mismatch",
    Failure.ISSUER_MULTIPLE_IN_RESPONSE: "issuer_mismatch",
    Failure.ISSUER_NOT_FOUND_IN_ASSERTION: "issuer_mismatch",
    Failure.WRONG_ISSUER: "issuer_mismatch",
    Failure.KEYINFO_NOT_FOUND_IN_ENCRYPTED_DATA: "malformed",
    Failure.CHILDREN_NODE_NOT_FOUND_IN_KEYINFO: "malformed",
    Failure.UNSUPPORTED_RETRIEVAL_METHOD: "malformed",
    Failure.NO_NAMEID: "malformed",
    Failure.EMPTY_NAMEID: "malformed",
    Failure.DUPLICATED_ATTRIBUTE_NAME_FOUND: "malformed",
    Failure.AUTHN_CONTEXT_MISMATCH: "malformed",
}


def refusal(failure: Failure, document: etree._Element) -> FederationRefused:
    """Our one reason for python3-saml's failure on `document` (the parsed response)."""
    reason = _REASON_BY_CODE.get(failure.code, "malformed")
    if reason == "idp_error":
        return idp_error(document)
    if reason == "clock_skew":
        return clock_skew(document)
    if failure.code in (Failure.DEPRECATED_SIGNATURE_METHOD, Failure.DEPRECATED_DIGEST_METHOD):
        return FederationRefused(
            reason,
            "The response is signed with SHA-1, which is no longer accepted: "
            "set the identity provider to sign with SHA-256.",
        )
    if failure.code == Failure.WRONG_NUMBER_OF_ASSERTIONS:
        # one tag per iter(): python3-saml's element class breaks iter() with several
        count = sum(
            1 for name in ("Assertion", "EncryptedAssertion") for _ in document.iter(f"{{{SAML}}}{name}")
        )
        if count > 1:  # a legitimate IdP sends one; several is how signature wrapping hides one
            return FederationRefused(
                "signature_invalid",
                f"The response carries {count} assertions; exactly one signed assertion is accepted.",
                assertions=count,
            )
        return FederationRefused("malformed", "The response carries no assertion.")
    if reason == "malformed":
        return FederationRefused(reason, f"The identity provider's answer could not be read: {failure}")
    return FederationRefused(reason)


def idp_error(document: etree._Element) -> FederationRefused:
    """The IdP's status codes (top level first) and its message, as it sent them but for control
    characters. The status is read before any signature check (python3-saml's order): it only refuses."""
    status = document.find("samlp:Status", NS)
    codes = (
        []
        if status is None
        else [_printable(code.get("Value") or "", 200) for code in status.iter(f"{{{SAMLP}}}StatusCode")]
    )
    found = None if status is None else status.find("samlp:StatusMessage", NS)
    message = (
        _printable("".join(str(part) for part in found.itertext()), STATUS_MESSAGE_MAX)
        if found is not None
        else None
    )
    names = " / ".join(code.rsplit(":", 1)[-1] for code in codes)
    return FederationRefused(
        "idp_error",
        f"The identity provider answered with an error ({names}){': ' + message if message else ''}.",
        status_codes=codes,
        status_message=message,
    )


def clock_skew(document: etree._Element) -> FederationRefused:
    """The assertion's window as it stated it, and our time, both ISO 8601 (UTC)."""
    conditions = document.findall("saml:Assertion/saml:Conditions", NS)
    confirmations = document.findall(
        "saml:Assertion/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS
    )
    not_before = _instants(element.get("NotBefore") for element in conditions)
    not_on_or_after = _instants(element.get("NotOnOrAfter") for element in [*conditions, *confirmations])
    return FederationRefused(
        "clock_skew",
        not_before=_iso(max(not_before)) if not_before else None,
        not_on_or_after=_iso(min(not_on_or_after)) if not_on_or_after else None,
        now=_iso(OneLogin_Saml2_Utils.now()),
    )


def _instants(values: Iterable[str | None]) -> Sequence[int]:
    instants = []
    for value in values:
        if value is None:
            continue
        try:
            instants.append(int(OneLogin_Saml2_Utils.parse_SAML_to_time(str(value))))
        except Exception:  # noqa: S112  python3-saml raises bare Exception for an unreadable time
            continue
    return instants


def _printable(text: str, limit: int) -> str:
    return FORBIDDEN_CHARACTER.sub("", " ".join(text.split()))[:limit]


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()
