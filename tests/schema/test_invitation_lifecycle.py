"""Only a pending (or expired, unanswered) invitation can be resent or revoked; the rest is refused."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from db.events import Event
from tests.support.factories import make_member, make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

INVITE = 'mutation($org: ID!, $emails: [String!]!) { inviteMembers(organizationId: $org, emails: $emails, role: "member") { ... on InvitationsSent { invitations { id } } } }'
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename ... on Invitation { status } ... on InvitationNotPending { code message status } } }"
RESEND = "mutation($id: ID!) { resendInvitation(invitationId: $id) { __typename ... on Invitation { status } ... on InvitationNotPending { code message status } } }"
MEMBERS = "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { status user { email } } } } }"


@pytest.fixture
def admin(server: ServerProcess, mail: MailSink) -> Iterator[tuple[GraphQLCaller, str]]:
    org = make_organization("Lifecycle Co")
    email = unique_email("lifecycle-admin")
    make_member(email, org, "admin")
    person = Person.at(server.url, mail)
    person.sign_in(email)
    yield GraphQLCaller.for_person(person), org
    person.http.close()


def invite(caller: GraphQLCaller, org: str, email: str) -> str:
    return str(caller(INVITE, org=org, emails=[email])["data"]["inviteMembers"]["invitations"][0]["id"])


def revoked_events(invitation_id: str) -> int:
    rows = run(
        Event.select(Event.data).where(Event.type == "invitation.revoked").output(load_json=True).run()
    )
    return sum(1 for row in rows if row["data"]["invitation"]["id"] == invitation_id)


def test_an_accepted_invitation_cannot_be_revoked_or_resent_and_the_member_stays(
    admin: tuple[GraphQLCaller, str], server: ServerProcess, mail: MailSink
) -> None:
    caller, org = admin
    invitee = unique_email("accepted")
    invitation = invite(caller, org, invitee)
    mail.wait_for(invitee)  # the invitation first, so the sign-in reads its own code
    joiner = Person.at(server.url, mail)
    joiner.sign_in(invitee, intent="signup", first_name="Ac", last_name="Cepted")
    joiner.accept_invitation(invitation)
    joiner.http.close()
    emails_before = mail.count(invitee)

    for operation, field in ((REVOKE, "revokeInvitation"), (RESEND, "resendInvitation")):
        refused = caller(operation, id=invitation)["data"][field]
        assert (refused["__typename"], refused["code"], refused["status"]) == (
            "InvitationNotPending",
            "INVITATION_NOT_PENDING",
            "ACCEPTED",
        )
        assert "remove the member" in refused["message"]
    nodes = caller(MEMBERS, org=org)["data"]["organization"]["members"]["nodes"]
    assert {n["user"]["email"]: n["status"] for n in nodes}[invitee] == "ACTIVE"
    assert revoked_events(invitation) == 0, "no invitation.revoked for a member who stays"
    assert mail.count(invitee) == emails_before, "no second invitation email to a member"


def test_two_racing_revokes_withdraw_the_invitation_once(admin: tuple[GraphQLCaller, str]) -> None:
    caller, org = admin
    invitation = invite(caller, org, unique_email("raced"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers: list[dict[str, Any]] = list(
            pool.map(lambda _: caller(REVOKE, id=invitation)["data"]["revokeInvitation"], range(4))
        )
    kinds = sorted(answer["__typename"] for answer in answers)
    assert kinds == ["Invitation", "InvitationNotPending", "InvitationNotPending", "InvitationNotPending"]
    assert revoked_events(invitation) == 1


def test_changing_an_invited_members_role_changes_what_the_invitation_offers(
    admin: tuple[GraphQLCaller, str], server: ServerProcess, mail: MailSink
) -> None:
    caller, org = admin
    invitee = unique_email("promoted")
    invitation = invite(caller, org, invitee)
    mail.wait_for(invitee)
    nodes = caller(
        "query($org: ID!) { organization(organizationId: $org) { members(first: 100, status: INVITED) { nodes { id user { email } } } } }",
        org=org,
    )["data"]["organization"]["members"]["nodes"]
    member_id = next(n["id"] for n in nodes if n["user"]["email"] == invitee)
    changed = caller(
        'mutation($id: ID!) { changeMemberRole(memberId: $id, role: "admin") { ... on Member { role } } }',
        id=member_id,
    )["data"]["changeMemberRole"]
    assert changed == {"role": "admin"}
    offered = caller(
        "query($org: ID!) { organization(organizationId: $org) { invitations(statuses: [PENDING]) { nodes { id role } } } }",
        org=org,
    )["data"]["organization"]["invitations"]["nodes"]
    assert {"id": invitation, "role": "admin"} in offered, "the invitation and the member list agree"

    joiner = Person.at(server.url, mail)
    joiner.sign_in(invitee, intent="signup", first_name="Pro", last_name="Moted")
    joiner.accept_invitation(invitation)
    viewer = GraphQLCaller.for_person(joiner)("{ viewer { organization { id } permissions } }")["data"][
        "viewer"
    ]
    joiner.http.close()
    assert viewer["organization"] == {"id": org}
    assert "sk_org_users_delete" in viewer["permissions"], "accepting gives the role as it is now"
