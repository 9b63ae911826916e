"""Only a pending (or expired, unanswered) invitation can be resent or revoked; the rest is refused."""

import datetime as dt
import re

import pytest

from db.events import Event
from db.orgs import Invitation
from resolvers.clock import now
from tests.support.factories import make_member, make_organization, run
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email

INVITE = 'mutation($org: ID!, $emails: [String!]!) { inviteMembers(organizationId: $org, emails: $emails, role: "member") { ... on InvitationsSent { invitations { id } } } }'
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename ... on Invitation { status } ... on InvitationNotPending { code message status } } }"
RESEND = "mutation($id: ID!) { resendInvitation(invitationId: $id) { __typename ... on Invitation { status } ... on InvitationNotPending { code message status } } }"
MEMBERS = "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { status user { email } } } } }"


@pytest.fixture
def admin() -> tuple[InProcessCaller, str]:
    org = make_organization("Lifecycle Co")
    email = unique_email("lifecycle-admin")
    make_member(email, org, "admin")
    return sign_in(email).portal(), org


def invite(caller: InProcessCaller, org: str, email: str) -> str:
    return str(caller(INVITE, org=org, emails=[email])["data"]["inviteMembers"]["invitations"][0]["id"])


def revoked_events(invitation_id: str) -> int:
    rows = run(
        Event.select(Event.data).where(Event.type == "invitation.revoked").output(load_json=True).run()
    )
    return sum(1 for row in rows if row["data"]["invitation"]["id"] == invitation_id)


def test_a_revoked_invitation_cannot_be_revoked_or_resent_again(admin: tuple[InProcessCaller, str]) -> None:
    caller, org = admin
    invitation = invite(caller, org, unique_email("twice"))
    assert caller(REVOKE, id=invitation)["data"]["revokeInvitation"]["status"] == "REVOKED"
    for operation, field in ((REVOKE, "revokeInvitation"), (RESEND, "resendInvitation")):
        refused = caller(operation, id=invitation)["data"][field]
        assert (refused["code"], refused["status"]) == ("INVITATION_NOT_PENDING", "REVOKED")
    assert revoked_events(invitation) == 1


def test_an_expired_invitation_can_still_be_resent_or_revoked(admin: tuple[InProcessCaller, str]) -> None:
    """Resend is how an admin renews an offer nobody answered in time."""
    caller, org = admin
    renewed, withdrawn = invite(caller, org, unique_email("late")), invite(caller, org, unique_email("gone"))
    yesterday = now() - dt.timedelta(days=1)
    run(
        Invitation.update({Invitation.expires_at: yesterday})
        .where(Invitation.id.is_in([renewed, withdrawn]))
        .run()
    )
    assert caller(RESEND, id=renewed)["data"]["resendInvitation"]["status"] == "PENDING"
    assert caller(REVOKE, id=withdrawn)["data"]["revokeInvitation"]["status"] == "REVOKED"


def test_an_admin_of_another_organization_cannot_revoke_or_resend(
    admin: tuple[InProcessCaller, str],
) -> None:
    caller, org = admin
    invitation = invite(caller, org, unique_email("foreign"))
    other = make_organization("Other Co")
    outsider_email = unique_email("outsider")
    make_member(outsider_email, other, "admin")
    foreign = sign_in(outsider_email).portal()
    for operation in (REVOKE, RESEND):
        answer = foreign(operation, id=invitation)
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["NOT_FOUND"]
    assert re.fullmatch(r"inv_\w+", invitation)
    assert revoked_events(invitation) == 0
