"""Signing in through an OIDC connection, over HTTP against the real server, with a real OpenID
Provider on loopback (tests/support/oidc_idp.py): the admin's test, sign-in with just-in-time
provisioning, and a bad issuer, nonce or signature refused with its reason."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.support.factories import make_member, make_organization
from tests.support.graphql import GraphQLCaller
from tests.support.oidc_idp import OidcIdp
from tests.support.people import Person
from tests.support.sso import make_verified_domain, unique_domain

CREATE = """mutation($o: ID!) { createConnection(organizationId: $o, input: {provider: GENERIC_OIDC}) {
  ... on Connection { id serviceProvider { redirectUri } } } }"""
UPDATE = """mutation($id: ID!, $oidc: OidcIdpInput!) { updateConnection(connectionId: $id, input: {oidc: $oidc}) {
  __typename ... on Problem { code message } } }"""
ENABLE = (
    """mutation($id: ID!) { enableConnection(connectionId: $id) { __typename ... on Problem { code } } }"""
)
STATUS = """query($id: ID!) { connection(connectionId: $id) { status
  lastTest { succeeded reason details { name value } identity { subject email firstName } } } }"""


@dataclass
class World:
    org: str
    domain: str
    connection_id: str
    idp: OidcIdp
    admin: Person


@pytest.fixture
def world(browsers: Callable[[], Person], integrator: GraphQLCaller) -> Iterator[World]:
    org = make_organization("OIDC Co", ["sso"])
    domain = unique_domain("oidc")
    make_verified_domain(org, domain)
    made = integrator(CREATE, o=org)["data"]["createConnection"]
    with OidcIdp(client_id="tenantry-app", client_secret="idp-secret") as idp:
        oidc = {"issuer": idp.discovery_url, "clientId": idp.client_id, "clientSecret": idp.client_secret}
        updated = integrator(UPDATE, id=made["id"], oidc=oidc)["data"]["updateConnection"]
        assert updated["__typename"] == "Connection", updated
        admin_email = f"admin@{domain}"
        make_member(admin_email, org, "admin")
        admin = browsers()
        admin.sign_in(admin_email)
        yield World(org, domain, made["id"], idp, admin)


def round_trip(browser: Person, w: World, path: str, person: dict[str, Any]) -> httpx.Response:
    """Leave for the IdP, sign `person` in there, and bring its answer back to our callback."""
    left = browser.http.get(path)
    assert left.status_code in (302, 303), left.text
    assert left.headers["location"].startswith(w.idp.issuer)
    w.idp.person = person
    back = w.idp.sign_in(left.headers["location"])
    return browser.http.get(f"/sso/callback/oidc/{w.connection_id}?{urlencode(back)}")


def test_a_test_then_a_sign_in_through_an_oidc_idp(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person]
) -> None:
    tester = {
        "sub": "okta-1",
        "email": f"tester@{world.domain}",
        "given_name": "Tess",
        "email_verified": True,
    }
    page = round_trip(world.admin, world, f"/sso/test/{world.connection_id}", tester)
    assert page.status_code == 200 and 'data-testid="sso-test-succeeded"' in page.text, page.text
    status = integrator(STATUS, id=world.connection_id)["data"]["connection"]
    assert status["status"] == "TESTED"
    assert status["lastTest"]["identity"] == {
        "subject": "okta-1",
        "email": f"tester@{world.domain}",
        "firstName": "Tess",
    }
    assert (
        integrator(ENABLE, id=world.connection_id)["data"]["enableConnection"]["__typename"] == "Connection"
    )
    assert world.idp.token_requests[-1].auth_method == "client_secret_basic"

    newcomer = browsers()
    started = newcomer.start(f"new@{world.domain}")
    assert started.json()["sso"] is True
    landed = round_trip(
        newcomer, world, started.json()["location"], {"sub": "okta-2", "email": f"new@{world.domain}"}
    )
    assert landed.status_code == 303 and landed.headers["location"] in (
        "/ui/",
        "/a/auth/login?step=profile&return_to=%2Fui%2F",
    )
    viewer = GraphQLCaller.for_person(newcomer)("{ viewer { user { email } } }")
    assert viewer["data"]["viewer"]["user"]["email"] == f"new@{world.domain}"


@pytest.mark.parametrize(
    ("knob", "value", "reason"),
    [
        ("nonce", "not-ours", "NONCE_MISMATCH"),
        ("signed_with_other_key", True, "SIGNATURE_INVALID"),
        ("id_token_issuer", "https://evil.example.com", "ISSUER_MISMATCH"),
        ("iss_parameter", "https://evil.example.com", "ISSUER_MISMATCH"),
        ("authorize_error", "access_denied", "IDP_ERROR"),
        ("token_error", "invalid_grant", "TOKEN_EXCHANGE_FAILED"),
    ],
)
def test_a_bad_answer_fails_the_test_with_its_reason(
    world: World, integrator: GraphQLCaller, knob: str, value: object, reason: str
) -> None:
    setattr(world.idp.behaviour, knob, value)
    person = {"sub": "okta-9", "email": f"t@{world.domain}"}
    page = round_trip(world.admin, world, f"/sso/test/{world.connection_id}", person)
    assert page.status_code == 400 and reason in page.text, page.text
    status = integrator(STATUS, id=world.connection_id)["data"]["connection"]
    assert status["status"] == "DRAFT"
    assert (status["lastTest"]["succeeded"], status["lastTest"]["reason"]) == (False, reason)


def test_a_forged_state_is_refused_and_nothing_is_recorded(world: World, integrator: GraphQLCaller) -> None:
    answer = world.admin.http.get(f"/sso/callback/oidc/{world.connection_id}?code=x&state=ssa_forged")
    assert answer.status_code == 400 and "state_mismatch" in answer.text
    assert integrator(STATUS, id=world.connection_id)["data"]["connection"]["lastTest"] is None
