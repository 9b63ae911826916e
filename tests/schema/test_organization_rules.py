"""What /graphql adds around the organization rules: CSRF, the manage scope, the alias limit, and audit
rows that carry the caller's address (the rules themselves: tests/rules/test_organization_rules.py)."""

from collections.abc import Iterator

import httpx
import pytest

from tests.support.factories import make_member, make_organization
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

MEMBERS = "query($org: ID!, $search: String, $after: String, $first: Int!) { organization(organizationId: $org) { members(first: $first, search: $search, after: $after) { nodes { id role user { email } } pageInfo { endCursor hasNextPage } totalCount } } }"
CHANGE_ROLE = "mutation($id: ID!, $role: String!) { changeMemberRole(memberId: $id, role: $role) { __typename ... on Problem { code message } ... on Member { role } } }"
REMOVE = "mutation($id: ID!) { removeMember(memberId: $id) { __typename ... on Problem { code } } }"


@pytest.fixture
def signed_in(server: ServerProcess, mail: MailSink) -> Iterator[list[Person]]:
    people: list[Person] = []
    yield people
    for person in people:
        person.http.close()


def caller_for(server: ServerProcess, mail: MailSink, people: list[Person], email: str) -> GraphQLCaller:
    person = Person.at(server.url, mail)
    person.sign_in(email)
    people.append(person)
    return GraphQLCaller.for_person(person)


def live_sessions(user_id: str) -> int:
    from db.identity import Session
    from tests.support.factories import run

    count: int = run(Session.count().where((Session.user == user_id) & Session.revoked_at.is_null()).run())
    return count


def test_a_cookie_caller_without_the_csrf_header_is_refused(server: ServerProcess, mail: MailSink) -> None:
    org = make_organization("CSRF")
    email = unique_email("csrf")
    make_member(email, org, "admin")
    person = Person.at(server.url, mail)
    person.sign_in(email)
    response = person.http.post(
        "/graphql", json={"query": 'mutation { updateProfile(firstName: "X", lastName: "Y") { __typename } }'}
    )
    person.http.close()
    assert response.status_code == 403


def test_integrator_tokens_without_the_manage_scope_are_refused(server: ServerProcess) -> None:
    from tests.support.factories import make_app

    app = make_app(grant_types=["client_credentials"])
    token = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(app.client_id, app.client_secret or ""),
    ).json()["access_token"]
    response = httpx.post(
        f"{server.url}/graphql",
        json={"query": "{ roles { key } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403


def test_alias_flooding_is_refused(server: ServerProcess) -> None:
    flood = "{ " + " ".join(f"r{index}: roles {{ key }}" for index in range(20)) + " }"
    response = httpx.post(f"{server.url}/graphql", json={"query": flood})
    assert "20 aliases found. Allowed: 15" in response.text


def test_portal_mutations_leave_an_audit_trail(
    server: ServerProcess, mail: MailSink, signed_in: list[Person]
) -> None:
    from db.events import AuditEvent
    from tests.support.factories import run

    org = make_organization("Audit Trail")
    email = unique_email("audited")
    user_id = make_member(email, org, "admin")
    me = caller_for(server, mail, signed_in, email)
    me('mutation { updateProfile(firstName: "Audra", lastName: "Trail") { __typename } }')
    me('mutation { updateOrganization(input: {name: "Audit Trail Ltd"}) { __typename } }')
    me("mutation($o: ID!) { switchOrganization(organizationId: $o) { __typename } }", o=org)
    rows = run(AuditEvent.select().where(AuditEvent.actor_id == user_id).run())
    actions = {row["action"] for row in rows}
    assert {"user.profile_updated", "organization.updated", "session.organization_switched"} <= actions
    assert all(row["organization_id"] == org and row["ip"] for row in rows)
