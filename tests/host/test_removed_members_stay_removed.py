"""A member an admin removed is not offered to join again by email domain until invited again."""

import secrets
from collections.abc import Iterator

import pytest

from resolvers.organizations import update_organization_settings
from resolvers.principal import SystemPrincipal
from tests.support.factories import make_member, make_organization, membership_id, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

REMOVE = "mutation($id: ID!) { removeMember(memberId: $id) { __typename } }"
INVITE = 'mutation($org: ID!, $email: String!) { inviteMembers(organizationId: $org, emails: [$email], role: "member") { ... on InvitationsSent { invitations { id } } } }'
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename } }"


@pytest.fixture
def people(server: ServerProcess, mail: MailSink) -> Iterator[list[Person]]:
    started: list[Person] = []
    yield started
    for person in started:
        person.http.close()


def signed_in(server: ServerProcess, mail: MailSink, people: list[Person], email: str) -> Person:
    person = Person.at(server.url, mail)
    person.sign_in(email)
    people.append(person)
    return person


def joinable(person: Person) -> list[str]:
    answer = person.http.get("/a/auth/api/organizations")
    assert answer.status_code == 200, answer.text
    return [organization["id"] for organization in answer.json()["joinable"]]


def test_a_removed_member_is_not_offered_to_join_by_email_domain_until_invited_again(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    domain = f"stays-out-{secrets.token_hex(4)}.example.com"
    org = make_organization(f"Open to {domain}")
    run(update_organization_settings(SystemPrincipal("test"), org, allowed_email_domains=[domain]))
    admin_email = unique_email("door-admin")
    make_member(admin_email, org, "admin")
    admin = GraphQLCaller.for_person(signed_in(server, mail, people, admin_email))
    email = f"removed-{secrets.token_hex(3)}@{domain}"
    user_id = make_member(email, org, "member")  # joined earlier (by domain, or any other way)

    removed = admin(REMOVE, id=membership_id(user_id, org))
    assert removed["data"]["removeMember"]["__typename"] == "MemberRemoved"
    person = signed_in(server, mail, people, email)
    assert org not in joinable(person), "a removal sticks: the domain does not open the door again"
    forced = person.post_api("/a/auth/api/organization", {"organization_id": org, "join": True})
    assert (forced.status_code, forced.json()["error"]) == (403, "not_allowed")

    invitation = admin(INVITE, org=org, email=email)["data"]["inviteMembers"]["invitations"][0]["id"]
    assert admin(REVOKE, id=invitation)["data"]["revokeInvitation"]["__typename"] == "Invitation"
    assert org in joinable(person), "inviting them again cleared the removal"


def test_a_person_never_removed_is_still_offered_to_join(
    server: ServerProcess, mail: MailSink, people: list[Person]
) -> None:
    domain = f"open-{secrets.token_hex(4)}.example.com"
    org, other = make_organization(f"Open {domain}"), make_organization("Removes elsewhere")
    run(update_organization_settings(SystemPrincipal("test"), org, allowed_email_domains=[domain]))
    admin_email = unique_email("other-admin")
    make_member(admin_email, other, "admin")
    email = f"welcome-{secrets.token_hex(3)}@{domain}"
    user_id = make_member(email, other, "member")
    admin = GraphQLCaller.for_person(signed_in(server, mail, people, admin_email))
    assert (
        admin(REMOVE, id=membership_id(user_id, other))["data"]["removeMember"]["__typename"]
        == "MemberRemoved"
    )
    assert joinable(signed_in(server, mail, people, email)) == [org], (
        "a removal elsewhere closes no door here"
    )
