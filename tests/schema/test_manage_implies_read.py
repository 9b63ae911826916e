"""The seed defines each `*_manage` permission as "view and modify": it allows what its `_read` does,
in the directives, the resolvers and the viewer's permissions; and the viewer sees the active
organization's features without any other permission (resolvers/permissions.py)."""

import secrets
from collections.abc import Iterator

import pytest

from tests.support.factories import make_member, make_organization, make_role
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

VIEWER = "{ viewer { permissions features organization { sessionPolicy { custom effective { absoluteMinutes } } } } }"
UPDATE = "mutation($org: ID!) { updateSessionPolicy(organizationId: $org, custom: true, absoluteMinutes: 600) { __typename ... on SessionPolicy { custom absoluteMinutes } } }"


@pytest.fixture
def people(server: ServerProcess, mail: MailSink) -> Iterator[list[Person]]:
    signed_in: list[Person] = []
    yield signed_in
    for person in signed_in:
        person.http.close()


def member_with_only(
    permission: str, server: ServerProcess, mail: MailSink, people: list[Person], features: list[str]
) -> tuple[GraphQLCaller, str]:
    org = make_organization("Single Permission", features)
    role = f"only_{secrets.token_hex(3)}"
    make_role(role, [permission])
    email = unique_email("single")
    make_member(email, org, role)
    person = Person.at(server.url, mail)
    person.sign_in(email)
    people.append(person)
    return GraphQLCaller.for_person(person), org


def test_a_role_with_only_session_policy_manage_reads_and_changes_the_policy(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    caller, org = member_with_only("sk_org_session_policy_manage", server, mail, people, ["session_policy"])
    updated = caller(UPDATE, org=org)["data"]["updateSessionPolicy"]
    assert updated == {"__typename": "SessionPolicy", "custom": True, "absoluteMinutes": 600}
    body = caller(VIEWER)
    assert error_codes(body) == [], body
    viewer = body["data"]["viewer"]
    assert viewer["permissions"] == ["sk_org_session_policy_manage", "sk_org_session_policy_read"]
    assert viewer["features"] == ["SESSION_POLICY"]
    assert viewer["organization"]["sessionPolicy"]["custom"] is True


def test_a_role_with_only_session_policy_read_sees_the_feature_and_the_policy_but_cannot_change_it(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    caller, org = member_with_only(
        "sk_org_session_policy_read", server, mail, people, ["session_policy", "sso"]
    )
    body = caller(VIEWER)
    assert error_codes(body) == [], body
    viewer = body["data"]["viewer"]
    assert (viewer["permissions"], viewer["features"]) == (
        ["sk_org_session_policy_read"],
        ["SSO", "SESSION_POLICY"],
    )
    assert viewer["organization"]["sessionPolicy"]["effective"]["absoluteMinutes"] > 0
    assert error_codes(caller(UPDATE, org=org)) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("permission", "document", "path"),
    [
        (
            "sk_org_settings_manage",
            '{ organization(organizationId: "%s") { name allowedEmailDomains } }',
            "name",
        ),
        (
            "sk_org_settings_manage",
            '{ organization(organizationId: "%s") { domains { nodes { id } } } }',
            "domains",
        ),
    ],
)
def test_settings_manage_reads_the_settings(
    server: ServerProcess, mail: MailSink, people: list[Person], permission: str, document: str, path: str
) -> None:
    caller, org = member_with_only(permission, server, mail, people, ["domain_verification"])
    body = caller(document % org)
    assert error_codes(body) == [], body
    assert body["data"]["organization"][path] is not None


def test_a_member_without_settings_read_still_sees_no_organization_settings(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    caller, org = member_with_only("sk_org_session_policy_manage", server, mail, people, ["session_policy"])
    assert error_codes(caller('{ organization(organizationId: "%s") { name } }' % org)) == ["FORBIDDEN"]  # noqa: UP031


def test_viewer_features_are_the_active_organizations_own_and_need_a_signed_in_person(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    entitled, other = make_organization("Entitled", ["sso", "scim"]), make_organization("Plain")
    email = unique_email("other-admin")
    make_member(email, other, "admin")
    person = Person.at(server.url, mail)
    person.sign_in(email)
    people.append(person)
    mine = GraphQLCaller.for_person(person)("{ viewer { organization { id } features } }")["data"]["viewer"]
    assert mine == {"organization": {"id": other}, "features": []}, f"nothing of {entitled} shows"
    anonymous = GraphQLCaller.with_token(server.url, None)
    body = anonymous("{ viewer { features } }")
    anonymous.http.close()
    assert (body["data"], error_codes(body)) == (None, ["UNAUTHENTICATED"])
