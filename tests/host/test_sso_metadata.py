"""Our SAML metadata served at each connection's entity ID, as an IdP reading it from a URL gets it."""

import httpx
from lxml import etree

from tests.conftest import SECRET_KEY
from tests.support.factories import make_organization, run
from tests.support.server import ServerProcess

MD = "urn:oasis:names:tc:SAML:2.0:metadata"


def connection(organization: str, provider: str = "okta") -> str:
    from resolvers.principal import SystemPrincipal
    from resolvers.sso_connections import create_connection

    made = create_connection(SystemPrincipal("test"), organization, secret_key=SECRET_KEY, provider=provider)
    return run(made).id


def test_a_saml_connections_entity_id_serves_its_metadata(server: ServerProcess) -> None:
    from onelogin.saml2.settings import OneLogin_Saml2_Settings

    connection_id = connection(make_organization("Metadata URL Co", ["sso"]))
    entity_id = f"{server.url}/sso/saml/{connection_id}"
    response = httpx.get(entity_id)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/samlmetadata+xml")
    root = etree.fromstring(response.content)
    assert root.get("entityID") == entity_id
    acs = root.find(f"{{{MD}}}SPSSODescriptor/{{{MD}}}AssertionConsumerService")
    assert acs is not None and acs.get("Location") == f"{server.url}/sso/callback/saml/{connection_id}"
    checker = OneLogin_Saml2_Settings({"strict": True, "sp": {"entityId": entity_id, "assertionConsumerService": {
        "url": acs.get("Location")}}}, sp_validation_only=True)  # fmt: skip
    assert checker.validate_metadata(response.text) == [], "valid against the SAML metadata schema"


def test_no_metadata_for_unknown_oidc_or_unentitled_connections(server: ServerProcess) -> None:
    entitled = make_organization("Metadata OIDC Co", ["sso"])
    oidc = connection(entitled, "generic_oidc")
    saml_elsewhere = connection(entitled)
    from resolvers.organizations import set_features
    from resolvers.principal import SystemPrincipal

    run(set_features(SystemPrincipal("test"), entitled, []))  # the feature is taken away
    for connection_id in ("conn_nonexistent", oidc, saml_elsewhere):
        assert httpx.get(f"{server.url}/sso/saml/{connection_id}").status_code == 404, connection_id
