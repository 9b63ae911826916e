"""What the signed assertion must say, checked exactly where python3-saml is lenient.

python3-saml accepts a Destination that merely starts with our ACS URL, a Recipient that merely
contains it (or none), no Audience at all, and any InResponseTo when we expect none or a missing one
when we sent a request. Each check here reads only the verified document and raises one
`FederationRefused` with what was found and what was expected.
"""

from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from resolvers.federated_identity import FederationRefused
from resolvers.saml_refusals import NS

_CONFIRMATION = "saml:Subject/saml:SubjectConfirmation"


def check_issuer(document: etree._Element, assertion: etree._Element, idp_entity_id: str) -> None:
    """The Assertion's Issuer, and the Response's when it has one, is the connection's IdP."""
    elements = [*document.findall("saml:Issuer", NS), *assertion.findall("saml:Issuer", NS)]
    issuers = [element_text(element) for element in elements]
    if assertion.find("saml:Issuer", NS) is None or any(issuer != idp_entity_id for issuer in issuers):
        raise FederationRefused("issuer_mismatch", issuers=issuers, expected=idp_entity_id)


def check_in_response_to(document: etree._Element, assertion: etree._Element, request_id: str | None) -> None:
    """The answer names our request, on the Response and on its subject confirmations; an unsolicited
    answer names none (python3-saml lets a missing InResponseTo through, and any one when we expect none)."""
    confirmations = assertion.findall(f"{_CONFIRMATION}/saml:SubjectConfirmationData", NS)
    on_confirmations = [value for data in confirmations if (value := data.get("InResponseTo")) is not None]
    on_response = document.get("InResponseTo")
    if request_id is None:
        stated = [value for value in (on_response, *on_confirmations) if value is not None]
        if stated:
            raise FederationRefused(
                "in_response_to_mismatch",
                "The answer claims to answer a sign-in request, but none was started here.",
                in_response_to=stated[0],
            )
    elif on_response != request_id or any(value != request_id for value in on_confirmations):
        wrong = (
            on_response
            if on_response != request_id
            else next(value for value in on_confirmations if value != request_id)
        )
        raise FederationRefused("in_response_to_mismatch", in_response_to=wrong, expected=request_id)


def check_destination(document: etree._Element, acs_url: str) -> None:
    """Destination, when sent, is our ACS URL exactly (python3-saml accepts any URL starting with it)."""
    destination = document.get("Destination")
    if destination is not None and not _same_url(destination, acs_url):
        raise FederationRefused("destination_mismatch", destination=destination, expected=acs_url)


def check_subject_confirmation(assertion: etree._Element, acs_url: str) -> float:
    """Bearer confirmations for our ACS URL exactly, all of them (python3-saml takes one whose Recipient
    contains it, or has none); returns when the replay cache may forget the assertion: once
    python3-saml would refuse it anyway."""
    bearer = [
        data
        for confirmation in assertion.findall(_CONFIRMATION, NS)
        if confirmation.get("Method") in (None, OneLogin_Saml2_Constants.CM_BEARER)
        for data in confirmation.findall("saml:SubjectConfirmationData", NS)
    ]
    if not bearer:
        raise FederationRefused("malformed", "The assertion has no bearer subject confirmation.")
    recipients = [data.get("Recipient") for data in bearer]
    if not all(recipient is not None and _same_url(recipient, acs_url) for recipient in recipients):
        raise FederationRefused("recipient_mismatch", recipients=recipients, expected=acs_url)
    drift = OneLogin_Saml2_Constants.ALLOWED_CLOCK_DRIFT
    ends = [
        _epoch(value) + drift
        for conditions in assertion.findall("saml:Conditions", NS)
        if (value := conditions.get("NotOnOrAfter")) is not None
    ] + [_epoch(value) for data in bearer if (value := data.get("NotOnOrAfter")) is not None]
    if not ends:
        raise FederationRefused("malformed", "The assertion never expires (it has no NotOnOrAfter).")
    return float(max(ends))


def check_audience(assertion: etree._Element, sp_entity_id: str) -> None:
    """Every AudienceRestriction names our entity ID, and there is one (python3-saml accepts none)."""
    audiences = [
        [element_text(audience) for audience in restriction.findall("saml:Audience", NS)]
        for restriction in assertion.findall("saml:Conditions/saml:AudienceRestriction", NS)
    ]
    if not audiences or any(sp_entity_id not in names for names in audiences):
        raise FederationRefused(
            "audience_mismatch",
            audiences=[name for names in audiences for name in names],
            expected=sp_entity_id,
        )


def element_text(element: etree._Element) -> str:
    """All the element's text (comments were dropped at parsing, so nothing can cut it short)."""
    return "".join(str(part) for part in element.itertext()).strip()


def _same_url(url: str, expected: str) -> bool:
    """Equal but for the case of scheme and host, as python3-saml compares them."""
    return bool(OneLogin_Saml2_Utils.normalize_url(url) == OneLogin_Saml2_Utils.normalize_url(expected))


def _epoch(instant: object) -> int:
    try:
        return int(OneLogin_Saml2_Utils.parse_SAML_to_time(str(instant)))
    except Exception:  # python3-saml raises bare Exception for a time it cannot read
        raise FederationRefused(
            "malformed", f"The assertion has an unreadable time: {str(instant)[:40]!r}."
        ) from None
