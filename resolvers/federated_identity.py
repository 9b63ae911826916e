"""What an identity provider vouched for, whatever the protocol, and why it may be refused.

SAML (`resolvers/saml_responses.py`) and OIDC (`resolvers/oidc_federation.py`) each verify what
their IdP sent and hand back `IdpAssertion`; the attribute mapping turns it into a
`FederatedIdentity`, which sign-in and the connection test share. Every refusal is one
`FederationRefused` with a stable `reason` the test result page and the logs name.
"""

from dataclasses import dataclass, field
from typing import Any

from resolvers.errors import DomainError

# why a sign-in through a connection was refused; the test page explains each one
REASONS = {
    "malformed": "The identity provider's answer could not be read.",
    "dtd_forbidden": "The SAML response carries a DTD or entity declarations, which we never accept.",
    "response_not_signed": "Neither the SAML response nor its assertion is signed.",
    "signature_invalid": "The signature does not verify with the identity provider's certificate.",
    "certificate_expired": "The identity provider's signing certificate has expired.",
    "issuer_mismatch": "The answer comes from another issuer than the connection's identity provider.",
    "audience_mismatch": "The assertion is meant for another service provider (audience / entity ID).",
    "recipient_mismatch": "The assertion is addressed to another ACS URL (Recipient).",
    "destination_mismatch": "The response was sent to another ACS URL (Destination).",
    "in_response_to_mismatch": "The answer does not belong to the sign-in we started (InResponseTo).",
    "clock_skew": "The assertion is not valid at this time: the two clocks disagree or it expired.",
    "replayed": "This assertion has been used already.",
    "idp_error": "The identity provider answered with an error.",
    "missing_email": "The identity provider sent no email address for this person.",
    "email_not_verified": "The identity provider has not verified this person's email address.",
    "email_domain_not_verified": "The email address is not at a domain this organization has verified.",
    "membership_removed": "An administrator removed you from this organization: ask them to invite you back.",
    "state_mismatch": "The answer does not belong to a sign-in this browser started.",
    "nonce_mismatch": "The ID token was not issued for this sign-in (nonce).",
    "token_exchange_failed": "The identity provider refused to exchange the code for tokens.",
    "discovery_failed": "The identity provider's configuration could not be fetched.",
    "unsolicited": "The identity provider started this sign-in, and this connection does not allow that.",
    "connection_unavailable": "This connection is not enabled, or its organization has no SSO.",
}


SUMMARY_LIMITS = (100, 50, 500)  # attribute names, values per attribute, characters per value


class FederationRefused(DomainError):
    """One precise reason the IdP's answer was not accepted; `details` carry what helps fix it
    (for clock skew: the assertion's window and our time, as ISO 8601 strings)."""

    code = "sso_refused"

    def __init__(self, reason: str, message: str | None = None, **details: object) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown federation refusal: {reason}")
        super().__init__(message or REASONS[reason], **details)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IdpAssertion:
    """What a verified answer says, before our mapping: the IdP's subject and every attribute."""

    subject: str  # SAML NameID, OIDC `sub`
    attributes: dict[str, list[str]]  # every attribute (OIDC: every ID token / userinfo claim)
    assertion_id: str | None = None  # SAML: for the replay cache
    expires_at: float | None = None  # epoch seconds; how long the replay cache keeps the ID
    name_id_format: str | None = None


@dataclass(frozen=True, slots=True)
class FederatedIdentity:
    """A person as the connection's attribute mapping reads them."""

    subject: str
    email: str
    first_name: str
    last_name: str
    groups: tuple[str, ...]
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """What the connection test shows an admin: what arrived and what we made of it, within
        SUMMARY_LIMITS (an IdP may send hundreds of groups; the test page needs a sample)."""
        names, values, length = SUMMARY_LIMITS
        return {
            "subject": self.subject[:length],
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "groups": [group[:length] for group in self.groups[:values]],
            "attributes": {
                name[:length]: [value[:length] for value in sent[:values]]
                for name, sent in list(self.attributes.items())[:names]
            },
        }
