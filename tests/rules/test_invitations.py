"""Who may invite whom, and reading invitations by status (the emailed links: tests/schema/test_invitations.py)."""

import datetime as dt

import pytest

from db.orgs import Invitation
from resolvers.clock import now
from tests.support.factories import make_member, make_organization, run
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.people import unique_email

INVITE = "mutation($org: ID!, $emails: [String!]!, $role: String!) { inviteMembers(organizationId: $org, emails: $emails, role: $role) { __typename ... on InvitationsSent { invitations { id email role status } problems { email code } } ... on Problem { code } } }"
MEMBERS = "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { role status user { email } } } } }"


@pytest.fixture
def admin() -> tuple[InProcessCaller, str]:
    org = make_organization("Inviting Co")
    email = unique_email("inviter")
    make_member(email, org, "admin")
    return sign_in(email).portal(), org


def test_inviting_an_existing_member_is_reported_not_duplicated(admin: tuple[InProcessCaller, str]) -> None:
    caller, org = admin
    member = unique_email("already")
    make_member(member, org, "member")
    sent = caller(INVITE, org=org, emails=[member], role="member")["data"]["inviteMembers"]
    assert sent["invitations"] == []
    assert sent["problems"] == [{"email": member, "code": "ALREADY_MEMBER"}]


def test_a_member_with_invite_rights_cannot_invite_an_admin() -> None:
    from tests.support.factories import make_role

    org = make_organization("Recruiting")
    make_role("recruiter", ["sk_org_settings_read", "sk_org_users_read", "sk_org_users_invite"])
    email = unique_email("recruiter")
    make_member(email, org, "recruiter")
    result = sign_in(email).portal()(INVITE, org=org, emails=[unique_email("boss")], role="admin")
    assert result["data"]["inviteMembers"]["code"] == "ROLE_NOT_GRANTABLE"


def test_invitations_can_be_read_by_status(admin: tuple[InProcessCaller, str]) -> None:
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
