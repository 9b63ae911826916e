"""An IdP's settings fetched from where it publishes them: a SAML metadata URL, an OIDC issuer (or its
discovery URL). What cannot be fetched is refused saying what failed, and nothing changes."""

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from db.events import Event
from resolvers.oidc_federation import forget_provider_configurations
from resolvers.sp_certificates import certificate_body, fingerprint, new_sp_certificate
from tests.conftest import SECRET_KEY
from tests.support.factories import make_member, make_organization, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in, this_tiers_deployment
from tests.support.oidc_idp import OidcIdp
from tests.support.people import unique_email

CREATE = """mutation($o: ID, $input: CreateConnectionInput!) { createConnection(organizationId: $o, input: $input) {
  ... on Connection { id } } }"""
UPDATE = """mutation($id: ID!, $input: UpdateConnectionInput!) { updateConnection(connectionId: $id, input: $input) {
  __typename ... on Problem { code message } ... on InvalidInput { field }
  ... on Connection { status saml { entityId ssoUrl certificates { fingerprintSha256 } } oidc { issuer clientId } } } }"""
OKTA_METADATA = (Path(__file__).resolve().parents[1] / "fixtures" / "saml" / "okta.xml").read_text()
CERTIFICATE = new_sp_certificate("Test IdP").certificate_pem
METADATA = OKTA_METADATA.replace("{{CERT_1}}", certificate_body(CERTIFICATE)).encode()


class Publisher:
    """Serves fixed documents on loopback, as an IdP publishes its metadata: path -> (status, body)."""

    def __init__(self, pages: dict[str, tuple[int, bytes]]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = pages.get(self.path, (404, b"not here"))
                self.send_response(status)
                self.send_header("content-type", "application/samlmetadata+xml")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    started = Publisher(
        {
            "/metadata": (200, METADATA),
            "/huge": (200, b"<x>" + b" " * (600 * 1024) + b"</x>"),
            "/not-xml": (200, b'{"this": "is json"}'),
            "/gone": (410, b""),
        }
    )
    yield started
    started.stop()


@pytest.fixture
def idp() -> Iterator[OidcIdp]:
    forget_provider_configurations()
    with OidcIdp() as started:
        yield started
    forget_provider_configurations()


def unused_port() -> int:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port: int = unused.getsockname()[1]
        return port


def an_admin_with(provider: str) -> tuple[InProcessCaller, str]:
    """An admin of a new organization with SSO, and a draft connection of theirs."""
    organization = make_organization("Published Co", ["sso"])
    email = unique_email("sso-by-url")
    make_member(email, organization, "admin")
    admin = sign_in(email).portal()
    body = admin(CREATE, o=organization, input={"provider": provider})
    assert error_codes(body) == [], body
    connection_id: str = body["data"]["createConnection"]["id"]
    return admin, connection_id


def update(admin: InProcessCaller, connection_id: str, **input: Any) -> dict[str, Any]:
    body = admin(UPDATE, id=connection_id, input=input)
    assert error_codes(body) == [], body
    result: dict[str, Any] = body["data"]["updateConnection"]
    return result


def updates_of(connection_id: str) -> int:
    rows = run(
        Event.select(Event.data).where(Event.type == "connection.updated").output(load_json=True).run()
    )
    return sum(1 for row in rows if row["data"]["connection"]["id"] == connection_id)


def test_saml_metadata_is_fetched_from_its_url_and_read_like_a_pasted_document(publisher: Publisher) -> None:
    admin, connection_id = an_admin_with("OKTA")
    configured = update(admin, connection_id, saml={"metadataUrl": f"{publisher.url}/metadata"})
    assert configured["__typename"] == "Connection", configured
    assert configured["saml"]["entityId"] == "http://www.okta.com/exk1fcia6d6EMsf331d8"
    assert [c["fingerprintSha256"] for c in configured["saml"]["certificates"]] == [fingerprint(CERTIFICATE)]
    assert updates_of(connection_id) == 1


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/huge", "larger than 512 KiB"),
        ("/not-xml", "XML"),
        ("/gone", "HTTP 410"),
        ("/nothing-here", "HTTP 404"),
    ],
)
def test_metadata_that_cannot_be_used_is_refused_saying_why_and_nothing_changes(
    publisher: Publisher, path: str, words: str
) -> None:
    admin, connection_id = an_admin_with("OKTA")
    refused = update(admin, connection_id, saml={"metadataUrl": f"{publisher.url}{path}"})
    assert (refused["__typename"], refused["code"]) == ("MetadataInvalid", "METADATA_INVALID")
    assert words in refused["message"], refused
    assert updates_of(connection_id) == 0


def test_an_unreachable_metadata_url_is_refused_naming_it() -> None:
    admin, connection_id = an_admin_with("OKTA")
    nobody = f"http://127.0.0.1:{unused_port()}/metadata"
    refused = update(admin, connection_id, saml={"metadataUrl": nobody})
    assert refused["__typename"] == "MetadataInvalid"
    assert f"Could not fetch the metadata from {nobody}" in refused["message"], refused


def test_a_private_metadata_url_is_refused_when_the_deployment_refuses_private_networks(
    publisher: Publisher,
) -> None:
    admin, connection_id = an_admin_with("OKTA")
    with this_tiers_deployment(SECRET_KEY, outbound_private_networks=False):
        for url in (
            f"https://127.0.0.1:{publisher.port}/metadata",  # an address, judged before any request
            f"https://localhost:{publisher.port}/metadata",  # a name, judged where it resolves
        ):
            refused = update(admin, connection_id, saml={"metadataUrl": url})
            assert refused["__typename"] == "MetadataInvalid", refused
            assert "not a public internet address" in refused["message"], refused
        plain = update(admin, connection_id, saml={"metadataUrl": f"{publisher.url}/metadata"})
        assert "must use https" in plain["message"], plain
    assert updates_of(connection_id) == 0


def test_a_metadata_url_is_given_alone_a_well_formed_url_and_only_to_a_saml_connection(
    publisher: Publisher,
) -> None:
    admin, connection_id = an_admin_with("OKTA")
    url = f"{publisher.url}/metadata"
    both = update(admin, connection_id, saml={"metadataUrl": url, "metadataXml": METADATA.decode()})
    assert (both["__typename"], both["field"]) == ("InvalidInput", "saml")
    for bad in (
        "ftp://idp.example.com/metadata",
        "idp.example.com/metadata",
        "https://u:p@idp.example.com/m",
    ):
        refused = update(admin, connection_id, saml={"metadataUrl": bad})
        assert (refused["__typename"], refused["field"]) == ("InvalidInput", "metadataUrl"), bad
    oidc_admin, oidc_connection = an_admin_with("GENERIC_OIDC")
    wrong_kind = update(oidc_admin, oidc_connection, saml={"metadataUrl": url})
    assert (wrong_kind["__typename"], wrong_kind["field"]) == ("InvalidInput", "saml")


def test_an_oidc_issuer_is_checked_by_its_discovery_and_a_discovery_url_stands_for_it(idp: OidcIdp) -> None:
    admin, connection_id = an_admin_with("GENERIC_OIDC")
    configured = update(admin, connection_id, oidc={"issuer": idp.discovery_url, "clientId": "tenantry"})
    assert configured["oidc"] == {"issuer": idp.issuer, "clientId": "tenantry"}
    forget_provider_configurations()
    idp.behaviour.discovery_issuer = "https://evil.example.com"
    refused = update(admin, connection_id, oidc={"issuer": f"{idp.issuer}/"})
    assert (refused["__typename"], refused["code"]) == ("DiscoveryFailed", "DISCOVERY_FAILED")
    assert "https://evil.example.com" in refused["message"], refused
    assert updates_of(connection_id) == 1


def test_an_issuer_whose_discovery_cannot_be_fetched_is_refused_and_nothing_changes(idp: OidcIdp) -> None:
    admin, connection_id = an_admin_with("GENERIC_OIDC")
    nobody = f"http://127.0.0.1:{unused_port()}"
    refused = update(admin, connection_id, oidc={"issuer": nobody, "clientId": "tenantry"})
    assert refused["__typename"] == "DiscoveryFailed" and nobody in refused["message"], refused
    with this_tiers_deployment(SECRET_KEY, outbound_private_networks=False):
        private = update(admin, connection_id, oidc={"issuer": idp.issuer})
    assert private["__typename"] == "DiscoveryFailed"
    assert "not a public internet address" in private["message"], private
    assert updates_of(connection_id) == 0


def test_the_client_id_alone_changes_without_fetching_anything(idp: OidcIdp) -> None:
    admin, connection_id = an_admin_with("GENERIC_OIDC")
    update(admin, connection_id, oidc={"issuer": idp.issuer, "clientId": "first"})
    idp.behaviour.discovery_status = 500  # it would fail, were it fetched
    forget_provider_configurations()
    changed = update(admin, connection_id, oidc={"clientId": "second"})
    assert changed["oidc"] == {"issuer": idp.issuer, "clientId": "second"}
