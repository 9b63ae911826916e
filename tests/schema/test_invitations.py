"""Invite by email, accept by signing up or in with that address; resend and revoke."""

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from db.orgs import Invitation
from resolvers.clock import now
from tests.support.factories import make_member, make_organization, run
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


def test_inviting_an_existing_member_is_reported_not_duplicated(admin: tuple[GraphQLCaller, str]) -> None:
    caller, org = admin
    member = unique_email("already")
    make_member(member, org, "member")
    sent = caller(INVITE, org=org, emails=[member], role="member")["data"]["inviteMembers"]
    assert sent["invitations"] == []
    assert sent["problems"] == [{"email": member, "code": "ALREADY_MEMBER"}]


def test_a_member_with_invite_rights_cannot_invite_an_admin(server: ServerProcess, mail: MailSink) -> None:
    from tests.support.factories import make_role

    org = make_organization("Recruiting")
    make_role("recruiter", ["sk_org_settings_read", "sk_org_users_read", "sk_org_users_invite"])
    email = unique_email("recruiter")
    make_member(email, org, "recruiter")
    person = Person.at(server.url, mail)
    person.sign_in(email)
    result = GraphQLCaller.for_person(person)(INVITE, org=org, emails=[unique_email("boss")], role="admin")
    person.http.close()
    assert result["data"]["inviteMembers"]["code"] == "ROLE_NOT_GRANTABLE"


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


def test_invitations_can_be_read_by_status(admin: tuple[GraphQLCaller, str]) -> None:
    """The portal asks for what it can act on (pending, expired), not the organization's history."""
    caller, org = admin
    older, revoked, newer = unique_email("older"), unique_email("revoked"), unique_email("newer")
    sent = caller(INVITE, org=org, emails=[older, revoked, newer], role="member")["data"]["inviteMembers"]
    ids = {invitation["email"]: invitation["id"] for invitation in sent["invitations"]}
    caller(
        "mutation($id: ID!) { revokeInvitation(invitationId: $id) { ... on Invitation { status } } }",
        id=ids[revoked],
    )
    yesterday = now() - dt.timedelta(days=1)  # as if sent more than INVITATION_DAYS ago
    run(Invitation.update({Invitation.expires_at: yesterday}).where(Invitation.id == ids[older]).run())

    def read(statuses: list[str] | None) -> dict[str, str]:
        query = "query($org: ID!, $s: [InvitationStatus!]) { organization(organizationId: $org) { invitations(statuses: $s) { nodes { email status } } } }"
        rows = caller(query, org=org, s=statuses)["data"]["organization"]["invitations"]["nodes"]
        return {row["email"]: row["status"] for row in rows}

    assert read(None) == {older: "EXPIRED", revoked: "REVOKED", newer: "PENDING"}
    assert read(["PENDING", "EXPIRED"]) == {older: "EXPIRED", newer: "PENDING"}
    assert read(["PENDING"]) == {newer: "PENDING"}
    assert read(["REVOKED", "ACCEPTED"]) == {revoked: "REVOKED"}
