"""Invite by email, accept by signing up or in with that address; resend and revoke."""

import re
from collections.abc import Iterator

import pytest

from tests.support.factories import make_member, make_organization
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, query_of, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

INVITE = "mutation($org: ID!, $emails: [String!]!, $role: String!) { inviteMembers(organizationId: $org, emails: $emails, role: $role) { __typename ... on InvitationsSent { invitations { id email role status } problems { email code } } ... on Problem { code } } }"
MEMBERS = "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { role status user { email } } } } }"


@pytest.fixture
def admin(server: ServerProcess, mail: MailSink) -> Iterator[tuple[GraphQLCaller, str]]:
    org = make_organization("Inviting Co")
    email = unique_email("inviter")
    make_member(email, org, "admin")
    person = Person.at(server.url, mail)
    person.sign_in(email)
    yield GraphQLCaller.for_person(person), org
    person.http.close()


def invitation_link(mail: MailSink, email: str, after: int = 0) -> str:
    text = mail.wait_for(email, after=after).text
    found = re.search(r"(https?://\S+/a/auth/invitation\?token=\S+)", text)
    assert found, text
    return found.group(1)


def test_an_invitee_accepts_by_signing_up_with_the_invited_address(
    admin: tuple[GraphQLCaller, str], server: ServerProcess, mail: MailSink
) -> None:
    caller, org = admin
    invitee = unique_email("newbie")
    sent = caller(INVITE, org=org, emails=[invitee, "not-an-email", invitee], role="member")["data"][
        "inviteMembers"
    ]
    assert [i["email"] for i in sent["invitations"]] == [invitee]
    assert sent["problems"] == [{"email": "not-an-email", "code": "INVALID_EMAIL"}]
    statuses = {
        n["user"]["email"]: n["status"]
        for n in caller(MEMBERS, org=org)["data"]["organization"]["members"]["nodes"]
    }
    assert statuses[invitee] == "INVITED"

    person = Person.at(server.url, mail)
    landing = person.http.get(invitation_link(mail, invitee))
    assert landing.status_code in (302, 303)
    assert landing.headers["location"].startswith("/a/auth/signup?")
    assert query_of(landing.headers["location"])["login_hint"] == invitee
    person.sign_in(invitee, intent="signup", first_name="New", last_name="Bie")
    mine = GraphQLCaller.for_person(person)("{ viewer { organization { id } permissions } }")["data"][
        "viewer"
    ]
    person.http.close()
    assert mine["organization"]["id"] == org
    assert "sk_org_users_read" in mine["permissions"]
    statuses = {
        n["user"]["email"]: n["status"]
        for n in caller(MEMBERS, org=org)["data"]["organization"]["members"]["nodes"]
    }
    assert statuses[invitee] == "ACTIVE"


def test_resending_replaces_the_link_and_revoking_withdraws_the_offer(
    admin: tuple[GraphQLCaller, str], server: ServerProcess, mail: MailSink
) -> None:
    caller, org = admin
    invitee = unique_email("maybe")
    invitation = caller(INVITE, org=org, emails=[invitee], role="member")["data"]["inviteMembers"][
        "invitations"
    ][0]
    first_link = invitation_link(mail, invitee)
    caller(
        "mutation($id: ID!) { resendInvitation(invitationId: $id) { ... on Invitation { status } } }",
        id=invitation["id"],
    )
    second_link = invitation_link(mail, invitee, after=1)
    person = Person.at(server.url, mail)
    assert person.http.get(first_link).status_code == 400, "the old link stopped working"
    assert person.http.get(second_link).status_code in (302, 303)
    revoked = caller(
        "mutation($id: ID!) { revokeInvitation(invitationId: $id) { ... on Invitation { status } } }",
        id=invitation["id"],
    )
    assert revoked["data"]["revokeInvitation"]["status"] == "REVOKED"
    assert person.http.get(second_link).status_code == 400
    person.sign_in(invitee, intent="signup", first_name="May", last_name="Be")
    viewer = GraphQLCaller.for_person(person)("{ viewer { organization { id } } }")["data"]["viewer"]
    person.http.close()
    assert viewer["organization"] is None, "a revoked invitation grants nothing"


def test_removing_an_invited_member_withdraws_the_invitation(
    admin: tuple[GraphQLCaller, str], server: ServerProcess, mail: MailSink
) -> None:
    caller, org = admin
    invitee = unique_email("withdrawn")
    caller(INVITE, org=org, emails=[invitee], role="member")
    link = invitation_link(mail, invitee)
    nodes = caller(
        "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { id user { email } } } } }",
        org=org,
    )
    member_id = next(
        n["id"] for n in nodes["data"]["organization"]["members"]["nodes"] if n["user"]["email"] == invitee
    )
    assert (
        caller("mutation($id: ID!) { removeMember(memberId: $id) { __typename } }", id=member_id)["data"][
            "removeMember"
        ]["__typename"]
        == "MemberRemoved"
    )
    person = Person.at(server.url, mail)
    assert person.http.get(link).status_code == 400
    person.http.close()
