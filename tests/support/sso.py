"""SSO fixtures written straight to the database: a verified domain and a connection in a given
state, for tests about what happens after an IdP answered (the GraphQL path is tested apart)."""

import datetime as dt
import secrets
from typing import Any

from db.domains import Domain
from db.federation import SSOConnection
from db.ids import new_id
from resolvers.clock import now
from resolvers.connection_rows import ConnectionRow, load_connection
from tests.support.factories import run


def unique_domain(label: str = "sso") -> str:
    return f"{label}-{secrets.token_hex(4)}.example.com"


def make_verified_domain(organization_id: str, name: str, status: str = "verified") -> str:
    moment = now()
    domain_id = new_id("dom")
    run(
        Domain.insert(
            Domain(
                id=domain_id,
                organization=organization_id,
                name=name,
                token=secrets.token_hex(16),
                status=status,
                verified_at=moment if status == "verified" else None,
                created_at=moment,
                updated_at=moment,
            )
        ).run()
    )
    return domain_id


def make_connection(
    organization_id: str,
    *,
    protocol: str = "saml",
    status: str = "active",
    idp_settings: dict[str, Any] | None = None,
    default_role: str = "member",
    created_at: dt.datetime | None = None,
    **columns: Any,
) -> ConnectionRow:
    moment = created_at or now()
    connection_id = new_id("con")
    run(
        SSOConnection.insert(
            SSOConnection(
                id=connection_id,
                organization=organization_id,
                name=f"IdP {connection_id[-4:]}",
                protocol=protocol,
                provider="generic_saml" if protocol == "saml" else "generic_oidc",
                status=status,
                idp_settings=idp_settings
                or {
                    "entity_id": "https://idp.example.com",
                    "sso_url": "https://idp.example.com/sso",
                    "sso_binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                    "want_authn_requests_signed": False,
                    "certificates": [],
                },
                default_role=default_role,
                created_at=moment,
                updated_at=moment,
                **columns,
            )
        ).run()
    )
    found = run(load_connection(connection_id))
    assert found is not None
    return found
