"""IdP settings fetched from where the IdP publishes them: a SAML metadata URL, an OIDC discovery
document. Fetched through the guarded outbound client (a private address only when the deployment
allows private networks), and before the connection's row is locked: a slow IdP holds no lock."""

from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from resolvers.errors import DomainError, InvalidInput
from resolvers.federated_identity import FederationRefused
from resolvers.idp_settings import (
    OidcSettings,
    SamlSettings,
    idp_settings_data,
    oidc_issuer,
    require_oidc_connection,
    require_saml_connection,
    saml_settings,
)
from resolvers.oidc_discovery import discover
from resolvers.outbound_destinations import private_destination_problem
from resolvers.outbound_http import OutboundFailed, get
from resolvers.saml_metadata import MAX_METADATA_BYTES, MetadataInvalid, parse_idp_metadata
from resolvers.text import text_problem

METADATA_URL_MAX = 2048


class DiscoveryFailed(DomainError):
    """The OIDC issuer's discovery document could not be fetched or does not describe that issuer."""

    code = "discovery_failed"


async def saml_settings_by_url(
    protocol: str, given: SamlSettings, *, private_networks: bool
) -> dict[str, Any]:
    """The IdP settings column of a SAML connection; metadata given by URL is fetched and read first."""
    if given.metadata_url is None:
        return saml_settings(protocol, given)
    require_saml_connection(protocol)
    if any(
        value is not None for value in (given.metadata_xml, given.entity_id, given.sso_url, given.certificate)
    ):
        raise InvalidInput(
            "Give the metadata URL alone: not with a document or the three fields.", field="saml"
        )
    url = _metadata_url(given.metadata_url)
    problem = None if private_networks else private_destination_problem(url)
    if problem:
        raise MetadataInvalid(f"The metadata URL {problem}.")
    try:
        answer = await get(
            url,
            private_networks=private_networks,
            accept="application/samlmetadata+xml, application/xml, text/xml",
            max_bytes=MAX_METADATA_BYTES,
        )
    except OutboundFailed as failure:
        raise MetadataInvalid(f"Could not fetch the metadata from {url}: {failure}.") from failure
    if answer.status != 200:
        moved = " (redirects are not followed: give the final URL)" if 300 <= answer.status < 400 else ""
        raise MetadataInvalid(
            f"Could not fetch the metadata from {url}: it answered HTTP {answer.status}{moved}."
        )
    return idp_settings_data(parse_idp_metadata(answer.body))


def _metadata_url(value: str) -> str:
    """One absolute http(s) URL without credentials; whether it may be http or private is judged after."""
    cleaned = value.strip()
    refusal = InvalidInput(
        "The metadata URL is an https URL, such as https://idp.example.com/metadata.", field="metadataUrl"
    )
    if not cleaned or len(cleaned) > METADATA_URL_MAX or text_problem(cleaned) is not None:
        raise refusal
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname
    except ValueError as error:
        raise refusal from error
    if (
        parts.scheme not in {"https", "http"}
        or not host
        or parts.username is not None
        or any(c.isspace() for c in cleaned)
    ):
        raise refusal
    return cleaned


async def checked_oidc_settings(
    protocol: str, given: OidcSettings, *, private_networks: bool
) -> OidcSettings:
    """The settings with the issuer normalised (a discovery URL becomes its issuer) and its discovery
    document fetched once, so a mistyped issuer is caught now and not at the first sign-in."""
    require_oidc_connection(protocol)
    if given.issuer is None:
        return given
    issuer = oidc_issuer(given.issuer)
    try:
        await discover(issuer, private_networks=private_networks)
    except FederationRefused as refused:
        raise DiscoveryFailed(refused.message) from refused
    return replace(given, issuer=issuer)
