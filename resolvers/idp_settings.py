"""What a connection knows of its identity provider: a SAML IdP's metadata (or its facts typed in),
an OIDC IdP's issuer and client; checked here, stored in the connection's `idp_settings`."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from db.federation import SSOConnection
from resolvers.clock import now
from resolvers.crypto import encrypt
from resolvers.errors import DomainError, InvalidInput
from resolvers.names import clean_name
from resolvers.oidc_discovery import DISCOVERY_PATH
from resolvers.saml_metadata import IdpMetadata, idp_settings_from_fields, parse_idp_metadata

VALUE_MAX = 256


@dataclass(frozen=True, slots=True)
class SamlSettings:
    """The IdP's metadata document (or where it is published), or its three facts typed in."""

    metadata_xml: str | None = None
    metadata_url: str | None = None  # fetched by resolvers/idp_documents.py into metadata_xml
    entity_id: str | None = None
    sso_url: str | None = None
    certificate: str | None = None


@dataclass(frozen=True, slots=True)
class OidcSettings:
    issuer: str | None = None
    client_id: str | None = None
    client_secret: str | None = None  # stored encrypted, never shown again


def require_saml_connection(protocol: str) -> None:
    if protocol != "saml":
        raise InvalidInput("This is an OIDC connection: give its issuer and client instead.", field="saml")


def require_oidc_connection(protocol: str) -> None:
    if protocol != "oidc":
        raise InvalidInput("This is a SAML connection: give its metadata instead.", field="oidc")


def certificates_expire_at(idp_settings: dict[str, Any]) -> dt.datetime | None:
    """When the last of the IdP's signing certificates expires: until then a signature can verify."""
    dates = [
        dt.datetime.fromisoformat(certificate["not_valid_after"])
        for certificate in idp_settings.get("certificates", [])
        if certificate.get("not_valid_after")
    ]
    return max(dates) if dates else None


class CertificateExpired(DomainError):
    """Every signing certificate the IdP gave has expired: no answer of it could be trusted."""

    code = "certificate_expired"


def require_current_certificate(idp_settings: dict[str, Any]) -> None:
    """Refuse SAML settings whose last signing certificate has expired (by our clock)."""
    expires_at = certificates_expire_at(idp_settings)
    if expires_at is not None and expires_at <= now():
        raise CertificateExpired(
            f"The identity provider's signing certificate expired on {expires_at:%d %B %Y}. "
            "Create a new one there, then give its current metadata or certificate here."
        )


def saml_settings(protocol: str, given: SamlSettings) -> dict[str, Any]:
    """The IdP settings column of a SAML connection, from its metadata or its typed-in facts."""
    require_saml_connection(protocol)
    if given.metadata_url is not None:
        raise ValueError("fetch metadata_url first (resolvers/idp_documents.saml_settings_by_url)")
    if given.metadata_xml is not None:
        if any(value is not None for value in (given.entity_id, given.sso_url, given.certificate)):
            raise InvalidInput("Give the metadata document or the three fields, not both.", field="saml")
        return idp_settings_data(parse_idp_metadata(given.metadata_xml))
    if given.entity_id is None or given.sso_url is None or given.certificate is None:
        raise InvalidInput(
            "Give the IdP's metadata document, or its entity ID, SSO URL and signing certificate.",
            field="saml",
        )
    return idp_settings_data(idp_settings_from_fields(given.entity_id, given.sso_url, given.certificate))


def idp_settings_data(metadata: IdpMetadata) -> dict[str, Any]:
    """What is stored of a SAML IdP: enough to send it people and to check what it sends back."""
    return {
        "entity_id": metadata.entity_id,
        "sso_url": metadata.sso_url,
        "sso_binding": metadata.sso_binding,
        "want_authn_requests_signed": metadata.want_authn_requests_signed,
        "certificates": [
            {
                "pem": certificate.pem,
                "not_valid_after": certificate.not_valid_after.isoformat(),
                "fingerprint_sha256": certificate.fingerprint_sha256,
            }
            for certificate in metadata.signing_certificates
        ],
    }


def oidc_columns(
    protocol: str, current: dict[str, Any], given: OidcSettings, secret_key: str
) -> dict[Any, Any]:
    """The columns an OIDC connection's issuer, client id and (encrypted) secret change; `current`
    is the stored settings, read under the connection's row lock so two updates cannot undo each other."""
    require_oidc_connection(protocol)
    settings = dict(current)
    if given.issuer is not None:
        settings["issuer"] = oidc_issuer(given.issuer)
    if given.client_id is not None:
        settings["client_id"] = clean_name(
            given.client_id, field="clientId", what="A client ID", max_length=VALUE_MAX
        )
    columns: dict[Any, Any] = {SSOConnection.idp_settings: settings}
    if given.client_secret is not None:
        secret = given.client_secret.strip()
        if not secret or len(secret) > VALUE_MAX or not secret.isprintable():
            raise InvalidInput("The client secret is one line of up to 256 characters.", field="clientSecret")
        columns[SSOConnection.client_secret_encrypted] = encrypt(secret_key, secret.encode())
    return columns


def oidc_issuer(value: str) -> str:
    """The IdP's issuer URL (its discovery document lives below it): https, or http on loopback.

    The discovery document's own URL is taken too, since that is what many IdP consoles show.
    """
    cleaned = value.strip().rstrip("/").removesuffix(DISCOVERY_PATH).rstrip("/")
    refusal = InvalidInput("The issuer is an https URL, such as https://example.okta.com.", field="issuer")
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname
    except ValueError as error:
        raise refusal from error
    local = parts.scheme == "http" and host in {"localhost", "127.0.0.1", "::1"}
    if len(cleaned) > 2048 or not host or (parts.scheme != "https" and not local) or parts.username:
        raise refusal
    return cleaned
