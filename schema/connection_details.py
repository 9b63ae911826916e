"""What a connection shows beside its own fields: what the identity provider needs from us, what
we know of the identity provider, and the outcome of the last test."""

import datetime as dt
from typing import Any

import strawberry

from resolvers import connection_rows
from resolvers.deployment import Deployment
from resolvers.service_provider import ServiceProvider, service_provider


@strawberry.type(description="What the identity provider's admin enters there, for this connection.")
class ServiceProviderDetails:
    entity_id: str = strawberry.field(description="SAML: the SP entity ID (Audience URI).")
    acs_url: str = strawberry.field(description="SAML: the Assertion Consumer Service (single sign-on) URL.")
    name_id_format: str
    redirect_uri: str = strawberry.field(description="OIDC: the redirect (callback) URI.")
    metadata_url: str | None = strawberry.field(
        description="SAML: where our metadata is served, for IdPs that read it from a URL."
    )
    certificate: str | None = strawberry.field(
        description="SAML: our signing certificate (PEM), for IdPs that check signed requests."
    )
    certificate_expires_at: dt.datetime | None
    ours: strawberry.Private[ServiceProvider]

    @strawberry.field(description="SAML: our metadata document, for IdPs that take a file or a paste.")
    def metadata_xml(self) -> str | None:
        return self.ours.metadata_xml()

    @classmethod
    def of(cls, deployment: Deployment, row: connection_rows.ConnectionRow) -> "ServiceProviderDetails":
        ours = service_provider(deployment, row)
        saml = row.protocol == "saml"
        return cls(
            entity_id=ours.entity_id,
            acs_url=ours.acs_url,
            name_id_format=ours.name_id_format,
            redirect_uri=ours.redirect_uri,
            metadata_url=ours.metadata_url if saml else None,
            certificate=ours.certificate,
            certificate_expires_at=ours.certificate_expires_at,
            ours=ours,
        )


@strawberry.type(description="One of the IdP's signing certificates (what its responses are checked with).")
class IdpCertificate:
    fingerprint_sha256: str
    not_valid_after: dt.datetime


@strawberry.type(description="One attribute as the identity provider sent it.")
class IdpAttribute:
    name: str
    values: list[str]


@strawberry.type(description="A person as a connection test read them from the identity provider.")
class TestedIdentity:
    subject: str = strawberry.field(description="SAML NameID or OIDC sub.")
    email: str
    first_name: str
    last_name: str
    groups: list[str]
    attributes: list[IdpAttribute] = strawberry.field(description="Everything the IdP sent, unmapped.")


@strawberry.type(description="A detail that helps fix a failed test, such as the two clocks of a clock skew.")
class TestDetail:
    name: str
    value: str


@strawberry.type(description="The outcome of the last sign-in through the connection's test link.")
class ConnectionTest:
    succeeded: bool
    tested_at: dt.datetime
    reason: str | None = strawberry.field(
        description="Why it failed, a stable code such as SIGNATURE_INVALID, CLOCK_SKEW, MISSING_EMAIL."
    )
    message: str | None = strawberry.field(description="The failure in words an admin can act on.")
    details: list[TestDetail]
    identity: TestedIdentity | None = strawberry.field(description="What arrived, when the test succeeded.")

    @classmethod
    def of(cls, data: dict[str, Any]) -> "ConnectionTest":
        identity = data.get("identity")
        return cls(
            succeeded=bool(data.get("succeeded")),
            tested_at=dt.datetime.fromisoformat(data["tested_at"]),
            reason=data["reason"].upper() if data.get("reason") else None,
            message=data.get("message"),
            details=[TestDetail(name=k, value=str(v)) for k, v in (data.get("details") or {}).items()],
            identity=TestedIdentity(
                subject=identity["subject"],
                email=identity["email"],
                first_name=identity["first_name"],
                last_name=identity["last_name"],
                groups=list(identity["groups"]),
                attributes=[
                    IdpAttribute(name=name, values=list(values))
                    for name, values in identity["attributes"].items()
                ],
            )
            if identity
            else None,
        )


@strawberry.type(description="What we know of a SAML identity provider.")
class SamlIdpSettings:
    entity_id: str
    sso_url: str
    certificates: list[IdpCertificate]


@strawberry.type(description="What we know of an OIDC identity provider (its client secret is never shown).")
class OidcIdpSettings:
    issuer: str | None
    client_id: str | None
    has_client_secret: bool


def saml_details(row: connection_rows.ConnectionRow) -> SamlIdpSettings | None:
    settings = row.idp_settings
    if row.protocol != "saml" or "entity_id" not in settings:
        return None
    return SamlIdpSettings(
        entity_id=settings["entity_id"],
        sso_url=settings["sso_url"],
        certificates=[
            IdpCertificate(
                fingerprint_sha256=certificate["fingerprint_sha256"],
                not_valid_after=dt.datetime.fromisoformat(certificate["not_valid_after"]),
            )
            for certificate in settings.get("certificates", [])
        ],
    )


def oidc_details(row: connection_rows.ConnectionRow) -> OidcIdpSettings | None:
    if row.protocol != "oidc":
        return None
    settings = row.idp_settings
    return OidcIdpSettings(
        issuer=settings.get("issuer"),
        client_id=settings.get("client_id"),
        has_client_secret=row.has_client_secret,
    )
