"""Signing in through a SAML connection, over HTTP against the real server, with a real signing IdP
(tests/support/saml_idp.py): the admin's test, home-realm discovery, /oauth/authorize with
connection_id, just-in-time provisioning, and what must be refused at the ACS."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
import pytest

from db.identity import Session
from tests.support.backchannel import events_of, logout_claims
from tests.support.factories import App, make_app, make_member, make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, authorize_url, pkce_pair, query_of
from tests.support.receiver import Receiver
from tests.support.saml_idp import IdpKey, SamlIdp
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from tests.support.sso import make_verified_domain, unique_domain

CREATE = """mutation($o: ID!) { createConnection(organizationId: $o, input: {provider: OKTA}) {
  ... on Connection { id serviceProvider { entityId acsUrl } testUrl } } }"""
UPDATE = """mutation($id: ID!, $xml: String!) { updateConnection(connectionId: $id, input: {saml: {metadataXml: $xml}}) {
  __typename ... on Problem { code message } } }"""
ENABLE = (
    """mutation($id: ID!) { enableConnection(connectionId: $id) { __typename ... on Problem { code } } }"""
)
STATUS = """query($id: ID!) { connection(connectionId: $id) { status testedWithCurrentSettings
  lastTest { succeeded reason message details { name value }
    identity { subject email firstName lastName groups attributes { name values } } } } }"""


@dataclass
class World:
    org: str
    domain: str
    connection_id: str
    entity_id: str
    acs_path: str
    idp: SamlIdp
    admin: Person


@pytest.fixture
def world(browsers: Callable[[], Person], integrator: GraphQLCaller) -> World:
    """An organization with SSO, a verified domain, a SAML connection to a fresh IdP, an admin."""
    org = make_organization("SAML Co", ["sso"])
    domain = unique_domain("saml")
    make_verified_domain(org, domain)
    made = integrator(CREATE, o=org)["data"]["createConnection"]
    idp = SamlIdp()
    updated = integrator(UPDATE, id=made["id"], xml=idp.metadata_xml())["data"]["updateConnection"]
    assert updated["__typename"] == "Connection", updated
    admin_email = f"admin@{domain}"
    make_member(admin_email, org, "admin")
    admin = browsers()
    admin.sign_in(admin_email)
    acs = urlsplit(made["serviceProvider"]["acsUrl"]).path
    return World(org, domain, made["id"], made["serviceProvider"]["entityId"], acs, idp, admin)


def to_idp(browser: Person, w: "World", path: str) -> tuple[str, str]:
    """Follow our redirect to the IdP; the request ID and RelayState it carried."""
    sent = browser.http.get(path)
    assert sent.status_code in (302, 303), sent.text
    assert sent.headers["location"].startswith(w.idp.sso_url)
    seen = w.idp.read_authn_request(sent.headers["location"])
    assert seen.relay_state is not None
    return seen.request_id, seen.relay_state


def answer(browser: Person, w: World, relay_state: str, saml_response: str) -> httpx.Response:
    return browser.http.post(w.acs_path, data={"SAMLResponse": saml_response, "RelayState": relay_state})


def signed(w: World, request_id: str, email: str, **knobs: Any) -> str:
    attributes = {"email": [email], "firstName": ["Ada"], "lastName": ["Lovelace"], "groups": ["eng"]}
    return w.idp.response(
        acs_url=f"{w.entity_id.replace('/sso/saml/', '/sso/callback/saml/')}",
        audience=w.entity_id,
        in_response_to=request_id,
        name_id=knobs.pop("name_id", email),
        attributes=knobs.pop("attributes", attributes),
        **knobs,
    )


def run_test(w: World, integrator: GraphQLCaller, **knobs: Any) -> tuple[httpx.Response, dict[str, Any]]:
    request_id, relay = to_idp(w.admin, w, f"/sso/test/{w.connection_id}")
    page = answer(w.admin, w, relay, signed(w, request_id, f"tester@{w.domain}", **knobs))
    return page, integrator(STATUS, id=w.connection_id)["data"]["connection"]


def test_an_admins_test_shows_what_arrived_and_then_the_connection_can_be_enabled(
    world: World, integrator: GraphQLCaller
) -> None:
    assert integrator(ENABLE, id=world.connection_id)["data"]["enableConnection"]["code"] == "NOT_TESTED"
    page, status = run_test(world, integrator)
    assert page.status_code == 200, page.text
    assert 'data-testid="sso-test-succeeded"' in page.text and f"tester@{world.domain}" in page.text
    assert status["status"] == "TESTED" and status["testedWithCurrentSettings"] is True
    last = status["lastTest"]
    assert last["succeeded"] is True and last["reason"] is None
    assert last["identity"]["email"] == f"tester@{world.domain}"
    assert last["identity"]["groups"] == ["eng"]
    assert {"name": "firstName", "values": ["Ada"]} in last["identity"]["attributes"]
    assert (
        integrator(ENABLE, id=world.connection_id)["data"]["enableConnection"]["__typename"] == "Connection"
    )


def test_a_failed_test_names_the_reason_and_enables_nothing(world: World, integrator: GraphQLCaller) -> None:
    page, status = run_test(world, integrator, key=IdpKey.generate())
    assert page.status_code == 400 and "SIGNATURE_INVALID" in page.text
    assert status["status"] == "DRAFT"
    assert (status["lastTest"]["succeeded"], status["lastTest"]["reason"]) == (False, "SIGNATURE_INVALID")
    page, status = run_test(world, integrator, not_before=600)
    assert status["lastTest"]["reason"] == "CLOCK_SKEW"
    assert {detail["name"] for detail in status["lastTest"]["details"]} >= {"now"}
    page, status = run_test(world, integrator, attributes={"firstName": ["No"]}, name_id="opaque-123")
    assert status["lastTest"]["reason"] == "MISSING_EMAIL"
    assert integrator(ENABLE, id=world.connection_id)["data"]["enableConnection"]["code"] == "NOT_TESTED"


def test_only_an_sso_admin_of_the_organization_may_run_a_test(
    world: World, browsers: Callable[[], Person]
) -> None:
    member = browsers()
    make_member(f"member@{world.domain}", world.org, "member")
    member.sign_in(f"member@{world.domain}")
    refused = member.http.get(f"/sso/test/{world.connection_id}")
    assert refused.status_code == 404 and 'data-testid="sso-error"' in refused.text
    outsider = browsers()  # an SSO admin, of another organization
    boss = f"boss@{unique_domain()}"
    make_member(boss, make_organization("Other Co", ["sso"]), "admin")
    outsider.sign_in(boss)
    assert outsider.http.get(f"/sso/test/{world.connection_id}").status_code == 404
    anonymous = browsers().http.get(f"/sso/test/{world.connection_id}")
    assert anonymous.status_code in (302, 303) and anonymous.headers["location"].startswith("/a/auth/login")


def enabled(world: World, integrator: GraphQLCaller) -> None:
    run_test(world, integrator)
    assert (
        integrator(ENABLE, id=world.connection_id)["data"]["enableConnection"]["__typename"] == "Connection"
    )


def test_home_realm_discovery_signs_a_new_person_in_through_the_idp(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person], mail: MailSink
) -> None:
    enabled(world, integrator)
    newcomer = browsers()
    email = f"newcomer@{world.domain}"
    started = newcomer.start(email)
    assert started.status_code == 200 and started.json()["sso"] is True
    request_id, relay = to_idp(newcomer, world, started.json()["location"])
    landed = answer(newcomer, world, relay, signed(world, request_id, email))
    assert landed.status_code == 303, landed.text
    assert landed.headers["location"] == "/ui/"
    assert mail.count(email) == 0  # no code was sent: the IdP vouched for the address
    members = integrator(
        "query($o: ID!) { organization(organizationId: $o) { members(first: 100) { nodes { role user { email } } } } }",
        o=world.org,
    )["data"]["organization"]["members"]["nodes"]
    assert {"role": "member", "user": {"email": email}} in members
    sessions = run(
        Session.select(Session.amr, Session.sso_connection_id)
        .where(Session.user.email == email)
        .output(load_json=True)
        .run()
    )
    assert sessions == [{"amr": ["fed"], "sso_connection_id": world.connection_id}]


def test_an_app_sends_people_straight_to_the_idp_and_gets_fed_in_amr(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person]
) -> None:
    enabled(world, integrator)
    app: App = make_app()
    browser = browsers()
    email = f"app-user@{world.domain}"
    verifier, challenge = pkce_pair()
    start = browser.http.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            code_challenge=challenge,
            code_challenge_method="S256",
            connection_id=world.connection_id,
            nonce="n-1",
        )
    )
    assert start.headers["location"].startswith(f"/sso/start/{world.connection_id}?")
    request_id, relay = to_idp(browser, world, start.headers["location"])
    landed = answer(browser, world, relay, signed(world, request_id, email))
    assert landed.headers["location"].startswith("/oauth/authorize/resume?")
    callback = browser.follow(landed.headers["location"], stop_at=app.redirect_uri).headers["location"]
    tokens = browser.http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": query_of(callback)["code"],
            "redirect_uri": app.redirect_uri,
            "code_verifier": verifier,
        },
        auth=(app.client_id, app.client_secret or ""),
    ).json()
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["amr"] == ["fed"] and claims["email"] == email and claims["org_id"] == world.org


def test_an_unknown_or_inactive_connection_id_is_an_error_for_the_app(
    world: World, browsers: Callable[[], Person]
) -> None:
    app: App = make_app()
    browser = browsers()
    _, challenge = pkce_pair()
    for connection_id in (world.connection_id, "con_nope"):  # a draft, and nothing
        sent = browser.http.get(
            authorize_url(
                app.client_id,
                app.redirect_uri,
                code_challenge=challenge,
                code_challenge_method="S256",
                connection_id=connection_id,
                state="s1",
            )
        )
        back = query_of(sent.headers["location"])
        assert (back["error"], back["state"]) == ("invalid_request", "s1")
        assert "connection_id" in back["error_description"]


def test_an_answer_is_accepted_once_and_only_in_the_browser_that_asked(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person]
) -> None:
    enabled(world, integrator)
    browser = browsers()
    email = f"once@{world.domain}"
    request_id, relay = to_idp(browser, world, f"/sso/start/{world.connection_id}")
    saml_response = signed(world, request_id, email)
    elsewhere = browsers().http  # another browser, without the attempt's cookie
    bounced = elsewhere.post(world.acs_path, data={"SAMLResponse": saml_response, "RelayState": relay})
    assert bounced.status_code == 200 and 'action="' + world.acs_path in bounced.text  # re-posted from us
    planted = elsewhere.post(
        world.acs_path, data={"SAMLResponse": saml_response, "RelayState": relay, "again": "1"}
    )
    assert planted.status_code == 400 and "state_mismatch" in planted.text
    assert answer(browser, world, relay, saml_response).status_code == 303
    again = {"SAMLResponse": saml_response, "RelayState": relay, "again": "1"}
    replayed = browser.http.post(world.acs_path, data=again)  # its cookie went with the first use
    assert replayed.status_code == 400 and "replayed" in replayed.text
    # an old answer for a fresh attempt: it answers another request
    request_id, relay = to_idp(browser, world, f"/sso/start/{world.connection_id}")
    assert "in_response_to_mismatch" in answer(browser, world, relay, saml_response).text


def test_unsolicited_answers_and_unverified_addresses_are_refused(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person]
) -> None:
    enabled(world, integrator)
    browser = browsers()
    unsolicited = world.idp.response(
        acs_url=world.entity_id.replace("/sso/saml/", "/sso/callback/saml/"),
        audience=world.entity_id,
        name_id=f"x@{world.domain}",
    )
    page = browser.http.post(world.acs_path, data={"SAMLResponse": unsolicited})
    assert page.status_code == 400 and "unsolicited" in page.text
    request_id, relay = to_idp(browser, world, f"/sso/start/{world.connection_id}")
    takeover = answer(browser, world, relay, signed(world, request_id, "ceo@example.com"))
    assert takeover.status_code == 400 and "email_domain_not_verified" in takeover.text
    assert "tenantry_session" not in str(takeover.headers.get("set-cookie", ""))


def test_required_sso_closes_the_code_door_but_for_break_glass_admins(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person], mail: MailSink
) -> None:
    member_email = f"member@{world.domain}"
    make_member(member_email, world.org, "member")
    member = browsers()
    early = member.start(member_email)  # a code flow begun before the connection was enabled
    code = mail.wait_for(member_email).code
    enabled(world, integrator)
    admin_id = GraphQLCaller.for_person(world.admin)("{ viewer { user { id } } }")["data"]["viewer"]["user"][
        "id"
    ]
    required = GraphQLCaller.for_person(world.admin)(
        """mutation($o: ID!, $glass: [ID!]) { updateSsoRequirement(organizationId: $o, required: true,
        breakGlassUserIds: $glass) { __typename } }""",
        o=world.org,
        glass=[admin_id],
    )
    assert required["data"]["updateSsoRequirement"]["__typename"] == "SsoRequirement", required
    refused = member.post_api("/a/auth/api/code", {"flow": early.json()["flow"], "code": code})
    assert (refused.status_code, refused.json()["error"]) == (403, "sso_required")
    assert member.start(member_email).json()["sso"] is True
    break_glass = browsers()  # signs in with an emailed code, not at the IdP
    assert break_glass.sign_in(f"admin@{world.domain}") == "/ui/"


IDP_INITIATED = """mutation($id: ID!, $app: String) {
  updateConnection(connectionId: $id, input: {idpInitiatedApplicationId: $app}) {
    __typename ... on Connection { idpInitiatedApplicationId } ... on InvalidInput { field } } }"""


def test_idp_initiated_sign_in_is_off_until_a_connection_names_an_application(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person]
) -> None:
    enabled(world, integrator)
    acs_url = world.entity_id.replace("/sso/saml/", "/sso/callback/saml/")
    email = f"tile-clicker@{world.domain}"

    def unsolicited(**knobs: Any) -> str:
        names = {"firstName": ["Tile"], "lastName": ["Clicker"]}
        return world.idp.response(
            acs_url=acs_url, audience=world.entity_id, name_id=email, attributes=names, **knobs
        )

    browser = browsers()
    off = browser.http.post(world.acs_path, data={"SAMLResponse": unsolicited(), "RelayState": "dashboard"})
    assert off.status_code == 400 and "unsolicited" in off.text
    no_uri = make_app()
    refused = integrator(IDP_INITIATED, id=world.connection_id, app=no_uri.client_id)
    assert refused["data"]["updateConnection"] == {
        "__typename": "InvalidInput",
        "field": "idpInitiatedApplicationId",
    }
    app = make_app(initiate_login_uri="https://app.example.com/start-login")
    allowed = integrator(IDP_INITIATED, id=world.connection_id, app=app.client_id)["data"]["updateConnection"]
    assert allowed["idpInitiatedApplicationId"] == app.client_id

    answer_ = unsolicited()
    landed = browser.http.post(world.acs_path, data={"SAMLResponse": answer_})
    assert landed.status_code == 303, landed.text
    target = landed.headers["location"]
    assert target.startswith("https://app.example.com/start-login?")
    assert query_of(target)["login_hint"] == email and query_of(target)["iss"]
    # the application starts a fresh authorization of its own, which finds the new session
    tokens = browser.tokens_for(app)
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["amr"] == ["fed"] and claims["email"] == email
    again = browsers().http.post(world.acs_path, data={"SAMLResponse": answer_})
    assert again.status_code == 400 and "replayed" in again.text
    claims_a_request = unsolicited(in_response_to="_not-ours")
    mismatch = browsers().http.post(world.acs_path, data={"SAMLResponse": claims_a_request})
    assert "in_response_to_mismatch" in mismatch.text
    # posted into a browser where someone else is signed in (login CSRF): refused, session kept
    planted = world.admin.http.post(world.acs_path, data={"SAMLResponse": unsolicited()})
    assert planted.status_code == 400 and "Someone else is signed in" in planted.text
    viewer = GraphQLCaller.for_person(world.admin)("{ viewer { user { email } } }")
    assert viewer["data"]["viewer"]["user"]["email"] == f"admin@{world.domain}"
    off_again = integrator(IDP_INITIATED, id=world.connection_id, app="")["data"]["updateConnection"]
    assert off_again["idpInitiatedApplicationId"] is None


def test_a_federated_session_ends_like_any_other_back_channel_logout_and_user_logout(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person], server: ServerProcess
) -> None:
    enabled(world, integrator)
    receiver = Receiver().start()
    try:
        app = make_app(backchannel_logout_uri=f"{receiver.url}/bcl")
        browser = browsers()
        email = f"leaver@{world.domain}"
        request_id, relay = to_idp(browser, world, f"/sso/start/{world.connection_id}")
        assert answer(browser, world, relay, signed(world, request_id, email)).status_code == 303
        tokens = browser.tokens_for(app)
        claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
        assert claims["amr"] == ["fed"]
        assert (
            browser.http.get("/oauth/logout", params={"id_token_hint": tokens["id_token"]}).status_code == 200
        )
        logout = logout_claims(server, receiver, app)
        assert (logout["sid"], logout["sub"]) == (claims["sid"], claims["sub"])
        assert events_of(claims["sid"]) == [("user.logout", "logout")]
    finally:
        receiver.stop()


def test_trips_to_the_idp_are_limited_per_address(world: World, browsers: Callable[[], Person]) -> None:
    browser = browsers()
    answers = [browser.http.get(f"/sso/start/{world.connection_id}").status_code for _ in range(30)]
    assert set(answers) == {400}  # a draft: refused, but each trip counts
    last = browser.http.get(f"/sso/start/{world.connection_id}")
    assert last.status_code == 429 and int(last.headers["Retry-After"]) > 0
    assert "Too many sign-in attempts" in last.text


def test_an_organization_id_or_a_domain_hint_leads_to_the_idp_and_anything_else_to_the_login_page(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person]
) -> None:
    app = make_app()
    browser = browsers()

    def first_stop(**extra: str) -> str:
        sent = browser.http.get(
            authorize_url(
                app.client_id,
                app.redirect_uri,
                code_challenge=pkce_pair()[1],
                code_challenge_method="S256",
                **extra,
            )
        )
        return str(sent.headers["location"])

    assert first_stop(organization_id=world.org).startswith("/a/auth/login?")  # a draft: no IdP yet
    enabled(world, integrator)
    to_the_idp = f"/sso/start/{world.connection_id}?"
    assert first_stop(organization_id=world.org).startswith(to_the_idp)
    assert first_stop(domain_hint=world.domain).startswith(to_the_idp)
    assert first_stop(domain_hint=f"eng.{world.domain}", login_hint=f"x@eng.{world.domain}").startswith(
        to_the_idp
    )
    assert first_stop(domain_hint="example.org").startswith("/a/auth/login?")
    assert first_stop(organization_id=make_organization("No SSO Co")).startswith("/a/auth/login?")


def test_oversized_hints_and_return_paths_are_dropped_not_stored(
    world: World, integrator: GraphQLCaller, browsers: Callable[[], Person]
) -> None:
    enabled(world, integrator)
    browser = browsers()
    long_path = "/ui/" + "x" * 3000
    left = browser.http.get(
        f"/sso/start/{world.connection_id}", params={"return_to": long_path, "login_hint": "h" * 400}
    )
    assert left.status_code in (302, 303), left.text
    seen = world.idp.read_authn_request(left.headers["location"])
    assert seen.relay_state is not None
    landed = answer(browser, world, seen.relay_state, signed(world, seen.request_id, f"long@{world.domain}"))
    assert landed.status_code == 303 and landed.headers["location"] == "/ui/"
