"""From what an IdP sent to a person: the connection's attribute mapping, then the names IdPs
commonly use when the mapped one is absent (Entra ID's claim URIs, OIDC's standard claims)."""

from resolvers.emails import normalize_email
from resolvers.errors import DomainError
from resolvers.federated_identity import FederatedIdentity, FederationRefused, IdpAssertion
from resolvers.names import PERSON_NAME_MAX
from resolvers.text import printable, text_problem

CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
# tried in order after the mapped name; OIDC standard claims and the SAML names big IdPs send
FALLBACKS: dict[str, tuple[str, ...]] = {
    "email": ("email", "mail", "emailAddress", f"{CLAIMS}/emailaddress", "urn:oid:0.9.2342.19200300.100.1.3"),
    "first_name": ("given_name", "firstName", "givenName", f"{CLAIMS}/givenname", "urn:oid:2.5.4.42"),
    "last_name": ("family_name", "lastName", "surname", "sn", f"{CLAIMS}/surname", "urn:oid:2.5.4.4"),
    "groups": ("groups", "memberOf", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"),
}

GROUPS_MAX = 200
GROUP_NAME_MAX = 256


def _values(assertion: IdpAssertion, mapped: str, key: str) -> list[str]:
    for name in (mapped, *FALLBACKS[key]):
        values = [value for value in assertion.attributes.get(name, []) if value.strip()]
        if values:
            return values
    return []


def _name(assertion: IdpAssertion, mapped: str, key: str) -> str:
    values = _values(assertion, mapped, key)
    return printable(values[0])[:PERSON_NAME_MAX].strip() if values else ""


def _email(assertion: IdpAssertion, mapped: str) -> str:
    """The mapped attribute, else a common one, else a NameID that is an address."""
    candidates = _values(assertion, mapped, "email") or (
        [assertion.subject] if "@" in assertion.subject else []
    )
    if not candidates:
        raise FederationRefused(
            "missing_email",
            f"The identity provider sent no email address: add an attribute named {mapped!r} "
            "with the person's email, or send it as the NameID.",
            expected_attribute=mapped,
        )
    try:
        return normalize_email(candidates[0])
    except DomainError:
        raise FederationRefused(
            "missing_email",
            f"The identity provider's email attribute is not an email address: {candidates[0][:100]!r}.",
            expected_attribute=mapped,
        ) from None


SUBJECT_MAX = 1024
VALUE_MAX = 2048  # per attribute value; what an IdP sends beyond is not a person's data


def _subject(assertion: IdpAssertion) -> str:
    """The IdP's stable id of the person: one printable line, as SAML's NameID must be too."""
    subject = assertion.subject.strip()
    if not subject or len(subject) > SUBJECT_MAX or text_problem(subject) or not subject.isprintable():
        raise FederationRefused(
            "malformed", "The identity provider's id for this person (sub / NameID) is unusable."
        )
    return subject


def _email_vouched_for(assertion: IdpAssertion) -> None:
    """OIDC's email_verified: an address the IdP itself says it has not verified proves nothing
    (multi-tenant IdPs let anyone type any address). Absent, as many enterprise IdPs send it, is
    taken as the IdP's word."""
    if [value.strip().lower() for value in assertion.attributes.get("email_verified", [])] == ["false"]:
        raise FederationRefused(
            "email_not_verified",
            "The identity provider says it has not verified this person's email address.",
        )


def _storable(attributes: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        printable(name)[:VALUE_MAX]: [printable(value)[:VALUE_MAX] for value in values]
        for name, values in attributes.items()
    }


def federated_identity(mapping: dict[str, str], assertion: IdpAssertion) -> FederatedIdentity:
    """The person the answer describes; FederationRefused(missing_email) without a usable address."""
    subject = _subject(assertion)
    _email_vouched_for(assertion)
    groups = tuple(
        printable(group)[:GROUP_NAME_MAX]
        for group in _values(assertion, mapping["groups"], "groups")[:GROUPS_MAX]
    )
    return FederatedIdentity(
        subject=subject,
        email=_email(assertion, mapping["email"]),
        first_name=_name(assertion, mapping["first_name"], "first_name"),
        last_name=_name(assertion, mapping["last_name"], "last_name"),
        groups=groups,
        attributes=_storable(assertion.attributes),
    )
