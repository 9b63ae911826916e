"""Widget tokens over HTTP: an integrator mints one for a member; the token opens its widgets'
fields for that person in that organization, within their role, and nothing else; /graphql answers
CORS for registered web applications' origins, without credentials."""

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from db.domains import Domain
from db.environment import Application
from db.events import AuditEvent
from db.orgs import Membership
from tests.support.factories import make_app, make_member, make_organization, run
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.sso import make_connection, make_verified_domain, unique_domain

MINT = """mutation($o: ID!, $u: ID!, $w: [Widget!]!, $life: Int! = 600) {
  createWidgetToken(organizationId: $o, userId: $u, widgets: $w, lifetimeSeconds: $life) {
    __typename ... on WidgetToken { token expiresAt widgets } ... on InvalidInput { field message } } }"""
MEMBERS = """query($o: ID!) { organization(organizationId: $o) { members(first: 50) { nodes { user { email } } } } }"""
POLICY = """query($o: ID!) { organization(organizationId: $o) { sessionPolicy { custom } } }"""
SETTINGS = """query($o: ID!) { organization(organizationId: $o) { name allowedEmailDomains } }"""
INVITE = """mutation($o: ID!) { inviteMembers(organizationId: $o, emails: ["w@example.com"], role: "member") {
  __typename } }"""
SWITCH = """mutation($o: ID!) { switchOrganization(organizationId: $o) { __typename } }"""


@pytest.fixture(scope="module")
def integrator(server: ServerProcess) -> Iterator[GraphQLCaller]:
    caller = GraphQLCaller.as_integrator(server.url)
    yield caller
    caller.http.close()


@pytest.fixture
def callers() -> Iterator[list[GraphQLCaller]]:
    opened: list[GraphQLCaller] = []
    yield opened
    for caller in opened:
        caller.http.close()


def mint(
    integrator: GraphQLCaller, organization_id: str, user_id: str, *widgets: str, life: int = 600
) -> str:
    body = integrator(MINT, o=organization_id, u=user_id, w=list(widgets), life=life)
    answer: dict[str, Any] = body["data"]["createWidgetToken"]
    assert answer["__typename"] == "WidgetToken", body
    assert answer["widgets"] == sorted(widgets)
    return str(answer["token"])


def widget(server: ServerProcess, token: str, callers: list[GraphQLCaller]) -> GraphQLCaller:
    caller = GraphQLCaller.with_token(server.url, token)
    callers.append(caller)
    return caller


def test_a_members_widget_token_reads_and_invites_as_the_admin_and_nothing_beyond_its_widgets(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    org = make_organization("Widget Co", ["session_policy"])
    admin = make_member(unique_email("widget-admin"), org, "admin")
    colleague = unique_email("widget-colleague")
    make_member(colleague, org, "member")
    caller = widget(server, mint(integrator, org, admin, "MEMBERS"), callers)

    emails = [
        node["user"]["email"] for node in caller(MEMBERS, o=org)["data"]["organization"]["members"]["nodes"]
    ]
    assert colleague in emails
    assert caller(INVITE, o=org)["data"]["inviteMembers"]["__typename"] != "Forbidden"
    # the admin may read the session policy, but this token opens the Members widget only
    assert error_codes(caller(POLICY, o=org)) == ["FORBIDDEN"]
    # never the person's own credentials or organization choice
    assert error_codes(caller(SWITCH, o=org)) != []


def test_a_member_gets_their_role_not_the_widget_s_whole_allowance(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    org = make_organization("Widget Member Co")
    make_member(unique_email("widget-owner"), org, "admin")
    member = make_member(unique_email("widget-member"), org, "member")
    caller = widget(server, mint(integrator, org, member, "MEMBERS", "ORGANIZATION_SETTINGS"), callers)

    assert caller(MEMBERS, o=org)["data"]["organization"]["members"]["nodes"]
    assert caller(SETTINGS, o=org)["data"]["organization"]["name"] == "Widget Member Co"
    invited = caller(INVITE, o=org)
    assert (
        error_codes(invited) == ["FORBIDDEN"] or invited["data"]["inviteMembers"]["__typename"] == "Forbidden"
    )


def test_a_token_opens_its_own_organization_only(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    ours = make_organization("Widget Ours")
    theirs = make_organization("Widget Theirs")
    admin = make_member(unique_email("widget-ours"), ours, "admin")
    make_member(unique_email("widget-theirs"), theirs, "admin")
    caller = widget(server, mint(integrator, ours, admin, "MEMBERS"), callers)

    assert error_codes(caller(MEMBERS, o=theirs)) == ["FORBIDDEN"]


def test_a_removed_member_s_token_stops_working_at_once(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    org = make_organization("Widget Gone Co")
    make_member(unique_email("widget-stays"), org, "admin")
    leaver = make_member(unique_email("widget-leaves"), org, "admin")
    caller = widget(server, mint(integrator, org, leaver, "MEMBERS"), callers)
    assert caller(MEMBERS, o=org)["data"]["organization"]

    async def suspend() -> None:
        await Membership.update({Membership.status: "suspended"}).where(Membership.user == leaver)

    run(suspend())
    response = caller.http.post(
        "/graphql", json={"query": MEMBERS, "variables": {"o": org}}, headers=caller.headers
    )
    assert response.status_code == 401
    assert "no longer a member" in response.text


def test_minting_refuses_what_it_cannot_honour(server: ServerProcess, integrator: GraphQLCaller) -> None:
    org = make_organization("Widget Refusals")
    admin = make_member(unique_email("widget-refusals"), org, "admin")
    stranger = make_member(unique_email("widget-stranger"), make_organization("Elsewhere"), "admin")

    def refusal(**variables: Any) -> str:
        answer = integrator(MINT, **{"o": org, "u": admin, "w": ["MEMBERS"], **variables})["data"][
            "createWidgetToken"
        ]
        assert answer["__typename"] == "InvalidInput", answer
        return str(answer["field"])

    assert refusal(u=stranger) == "userId"
    assert refusal(w=[]) == "widgets"
    assert refusal(life=59) == "lifetimeSeconds"
    assert refusal(life=3601) == "lifetimeSeconds"


def test_a_widget_token_is_not_an_access_token_and_cannot_be_altered(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    org = make_organization("Widget Forgery")
    admin = make_member(unique_email("widget-forgery"), org, "admin")
    token = mint(integrator, org, admin, "MEMBERS", life=60)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 60
    assert jwt.get_unverified_header(token)["typ"] == "tenantry-widget+jwt"

    head, _, rest = token.partition(".")
    body, _, signature = rest.partition(".")
    widened = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(body).replace(b'"members"', b'"session_policy"')
    ).decode()
    for forged in (f"{head}.{widened}.{signature}", token[:-4] + "AAAA"):
        answer = httpx.post(
            f"{server.url}/graphql",
            json={"query": POLICY, "variables": {"o": org}},
            headers={"Authorization": f"Bearer {forged}"},
        )
        assert answer.status_code == 401, answer.text
    # the UserInfo endpoint takes access tokens only
    assert (
        httpx.get(f"{server.url}/oauth/userinfo", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_graphql_answers_cors_for_registered_web_apps_without_credentials(server: ServerProcess) -> None:
    origin = f"https://widgets-{time.time_ns()}.example.com"
    make_app(redirect_uris=[f"{origin}/callback"])
    preflight = httpx.options(
        f"{server.url}/graphql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers

    answer = httpx.post(f"{server.url}/graphql", json={"query": "{ __typename }"}, headers={"Origin": origin})
    assert answer.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-credentials" not in answer.headers

    unknown = httpx.options(
        f"{server.url}/graphql",
        headers={"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in unknown.headers


UPDATE_ORG = """mutation($o: ID!) { updateOrganization(input: {organizationId: $o, name: "Renamed"}) { __typename } }"""
REMOVE_DOMAIN = "mutation($id: ID!) { removeDomain(domainId: $id) { __typename } }"
ORGANIZATIONS = """{ viewer { organizations(first: 10) { nodes { id } } } }"""
PROFILE = """mutation { updateProfile(firstName: "Hi", lastName: "Jack") { __typename } }"""


def _refused(body: dict[str, Any], typename: str) -> bool:
    """Refused as a GraphQL error, or as the Forbidden member of the result union."""
    return error_codes(body) == ["FORBIDDEN"] or (body.get("data") or {}).get(typename, {}).get(
        "__typename"
    ) in {"Forbidden", "InvalidInput"}


def test_a_widget_acts_through_its_own_widgets_only_even_with_a_shared_permission(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    """DOMAINS and ORGANIZATION_SETTINGS both need sk_org_settings_manage; each opens its own."""
    org = make_organization("Widget Scope Co", ["domain_verification"])
    admin = make_member(unique_email("widget-scope"), org, "admin")
    domains = widget(server, mint(integrator, org, admin, "DOMAINS"), callers)
    settings = widget(server, mint(integrator, org, admin, "ORGANIZATION_SETTINGS"), callers)
    pending = make_verified_domain(org, unique_domain("scope"), status="pending")

    assert _refused(domains(UPDATE_ORG, o=org), "updateOrganization")
    assert _refused(settings(REMOVE_DOMAIN, id=pending), "removeDomain")
    assert domains(REMOVE_DOMAIN, id=pending)["data"]["removeDomain"]["__typename"] != "Forbidden"
    assert settings(UPDATE_ORG, o=org)["data"]["updateOrganization"]["__typename"] == "Organization"


def test_a_domain_sso_depends_on_is_removed_only_in_the_portal_by_someone_who_manages_sso(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    org = make_organization("Widget SSO Co", ["domain_verification", "sso"])
    admin = make_member(unique_email("widget-sso"), org, "admin")
    make_connection(org)
    verified = make_verified_domain(org, unique_domain("sso-dep"))
    caller = widget(server, mint(integrator, org, admin, "DOMAINS"), callers)

    answer = caller(REMOVE_DOMAIN, id=verified)
    assert _refused(answer, "removeDomain"), answer

    async def still_there() -> bool:
        return bool(await Domain.exists().where(Domain.id == verified))

    assert run(still_there())


def test_a_widget_token_shows_its_own_organization_and_never_changes_the_profile(
    server: ServerProcess, integrator: GraphQLCaller, callers: list[GraphQLCaller]
) -> None:
    ours = make_organization("Widget Only Ours")
    email = unique_email("widget-two-orgs")
    admin = make_member(email, ours, "admin")
    make_member(email, make_organization("Widget Other Org"), "admin")
    caller = widget(server, mint(integrator, ours, admin, "MEMBERS"), callers)

    nodes = caller(ORGANIZATIONS)["data"]["viewer"]["organizations"]["nodes"]
    assert [node["id"] for node in nodes] == [ours]
    assert error_codes(caller(PROFILE)) == ["FORBIDDEN"]


def test_what_a_widget_does_is_audited_with_its_application_and_ends_with_the_application(
    server: ServerProcess, callers: list[GraphQLCaller]
) -> None:
    org = make_organization("Widget Audit Co")
    admin = make_member(unique_email("widget-audit"), org, "admin")
    app = make_app(grant_types=["client_credentials"])
    token = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": "tenantry:manage"},
        auth=(app.client_id, app.client_secret or ""),
    ).json()["access_token"]
    integrator = GraphQLCaller.with_token(server.url, token)
    callers.append(integrator)
    caller = widget(server, mint(integrator, org, admin, "ORGANIZATION_SETTINGS"), callers)
    assert caller(UPDATE_ORG, o=org)["data"]["updateOrganization"]["__typename"] == "Organization"

    async def audited() -> list[dict[str, Any]]:
        return list(
            await AuditEvent.select(AuditEvent.actor_id, AuditEvent.data)
            .where((AuditEvent.organization_id == org) & (AuditEvent.action == "organization.updated"))
            .output(load_json=True)
        )

    [row] = run(audited())
    assert row["actor_id"] == admin
    assert row["data"]["via_widget_token_of"] == app.client_id

    async def delete_app() -> None:
        await Application.delete().where(Application.id == app.client_id)

    run(delete_app())
    answer = caller.http.post(
        "/graphql", json={"query": SETTINGS, "variables": {"o": org}}, headers=caller.headers
    )
    assert answer.status_code == 401


@pytest.mark.parametrize("hostile", ["org\x00x", "\ud800", "org\r\nX-Injected: 1", "o" * 10_000])
def test_minting_refuses_hostile_ids_cleanly(integrator: GraphQLCaller, hostile: str) -> None:
    """NUL, a lone surrogate, CR/LF or 10k characters in an id: a clear refusal, never a token."""
    body = integrator.http.post(
        "/graphql",
        content=json.dumps(
            {"query": MINT, "variables": {"o": hostile, "u": hostile, "w": ["MEMBERS"]}}, ensure_ascii=True
        ),
        headers={**integrator.headers, "Content-Type": "application/json"},
    )
    assert body.status_code in (200, 400), body.text
    answer = body.json()
    minted = ((answer.get("data") or {}).get("createWidgetToken") or {}).get("__typename")
    assert minted != "WidgetToken"
    assert answer.get("errors") or minted == "InvalidInput", answer
