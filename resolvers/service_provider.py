"""What an identity provider needs from us for one connection: our addresses under the public URL
(so custom domains work), our signing certificate and our SAML metadata."""

import datetime as dt
from dataclasses import dataclass

from resolvers.connection_rows import ConnectionRow
from resolvers.deployment import Deployment
from resolvers.saml_metadata import NAMEID_EMAIL, sp_metadata_xml
from resolvers.sp_certificates import certificate_expiry


@dataclass(frozen=True, slots=True)
class ServiceProvider:
    entity_id: str  # SAML: also where our metadata is served
    acs_url: str
    redirect_uri: str  # OIDC
    test_url: str  # an admin opens it to sign in through the connection once, as a test
    name_id_format: str
    certificate: str | None  # PEM; SAML connections only

    @property
    def metadata_url(self) -> str:
        return self.entity_id

    @property
    def certificate_expires_at(self) -> dt.datetime | None:
        return certificate_expiry(self.certificate) if self.certificate else None

    def metadata_xml(self) -> str | None:
        if self.certificate is None:
            return None
        return sp_metadata_xml(
            entity_id=self.entity_id,
            acs_url=self.acs_url,
            certificate_pem=self.certificate,
            name_id_format=self.name_id_format,
        )


def service_provider(deployment: Deployment, row: ConnectionRow) -> ServiceProvider:
    """Each connection is its own service provider, so two IdPs of one organization never mix."""
    base = f"{deployment.issuer}/sso"
    return ServiceProvider(
        entity_id=f"{base}/saml/{row.id}",
        acs_url=f"{base}/callback/saml/{row.id}",
        redirect_uri=f"{base}/callback/oidc/{row.id}",
        test_url=f"{base}/test/{row.id}",
        name_id_format=NAMEID_EMAIL,
        certificate=row.sp_certificate,
    )
