"""Integrators manage the environment through /graphql with a client_credentials token."""

import secrets

import httpx

from db.events import AuditEvent
from tests.host.oauth.conftest import exchange_code, verify_jwt
from tests.support.factories import make_app, make_member, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, authorize_url, pkce_pair, query_of
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


def test_an_app_defined_permission_in_a_custom_role_reaches_the_users_tokens(
    integrator: GraphQLCaller, server: ServerProcess, mail: MailSink
) -> None:
    suffix = secrets.token_hex(3)
    permission = f"coffee:brew_{suffix}"
    assert (
        integrator(
            'mutation($k: String!) { createPermission(key: $k, description: "Brew") { __typename } }',
            k=permission,
        )["data"]["createPermission"]["__typename"]
        == "PermissionCreated"
    )
    role = integrator(
        'mutation($k: String!, $p: [String!]!) { createRole(key: $k, name: "Barista", permissions: $p) { ... on Role { permissions } } }',
        k=f"barista_{suffix}",
        p=[permission, "sk_org_users_read"],
    )["data"]["createRole"]
    assert role["permissions"] == sorted([permission, "sk_org_users_read"])
    org = integrator(
        'mutation { createOrganization(name: "Bean Bar", features: [SSO]) { ... on Organization { id features } } }'
    )["data"]["createOrganization"]
    assert org["features"] == ["SSO"]

    email = f"brewer-{suffix}@example.com"
    make_member(email, org["id"], f"barista_{suffix}")
    app = make_app()
    person = Person.at(server.url, mail)
    verifier, challenge = pkce_pair()
    start = person.http.get(
        authorize_url(app.client_id, app.redirect_uri, code_challenge=challenge, code_challenge_method="S256")
    )
    location = person.sign_in(email, req=query_of(start.headers["location"])["req"])
    code = query_of(person.follow(location, stop_at=app.redirect_uri).headers["location"])["code"]
    person.http.close()
    claims = verify_jwt(server.url, exchange_code(server.url, app, code, verifier).json()["access_token"])
    assert claims["org_id"] == org["id"]
    assert claims["roles"] == [f"barista_{suffix}"]
    assert claims["permissions"] == sorted([permission, "sk_org_users_read"])


def test_branding_changes_theme_the_hosted_pages(integrator: GraphQLCaller, server: ServerProcess) -> None:
    changed = integrator(
        'mutation { updateBranding(input: {primaryColor: "#0F766E"}) { ... on Branding { primaryColor } } }'
    )
    assert changed["data"]["updateBranding"]["primaryColor"] == "#0f766e"
    try:
        css = httpx.get(f"{server.url}/a/branding.css").text
        assert "--tn-primary: #0f766e;" in css
        assert "--tn-on-primary: #ffffff;" in css
        invalid = integrator(
            'mutation { updateBranding(input: {primaryColor: "teal"}) { ... on Problem { code } } }'
        )
        assert invalid["data"]["updateBranding"]["code"] == "INVALID_INPUT"
    finally:
        integrator('mutation { updateBranding(input: {primaryColor: "#4f46e5"}) { __typename } }')


def test_every_change_is_audited_with_actor_and_client_ip(integrator: GraphQLCaller) -> None:
    org = integrator('mutation { createOrganization(name: "Audited") { ... on Organization { id } } }')[
        "data"
    ]["createOrganization"]["id"]
    rows = run(AuditEvent.select().where(AuditEvent.organization_id == org).run())
    assert [row["action"] for row in rows] == ["organization.created"]
    assert rows[0]["actor_type"] == "client"
    assert rows[0]["ip"] == integrator.http.headers["X-Forwarded-For"], (
        "the client's address, not the proxy's"
    )
