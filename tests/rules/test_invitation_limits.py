"""Invitations are bounded: open ones per organization, invitations per address a day (resends a day,
with their emails, and the race for the last seat: tests/schema/test_invitation_limits.py)."""

import datetime as dt

from db.orgs import Invitation, Membership
from resolvers.invitation_limits import (
    MAX_INVITATIONS_PER_ADDRESS_PER_DAY,
    MAX_PENDING_INVITATIONS,
)
from tests.conftest import Clock
from tests.support.factories import make_organization, run
from tests.support.in_process import InProcessCaller
from tests.support.open_invitations import fill_with_open_invitations
from tests.support.people import unique_email

INVITE = """mutation($org: ID!, $emails: [String!]!) { inviteMembers(organizationId: $org, emails: $emails, role: "member") {
  __typename ... on InvitationsSent { invitations { id email } problems { email code message } } } }"""
RESEND = """mutation($id: ID!) { resendInvitation(invitationId: $id) {
  __typename ... on Problem { code message } ... on ResendLimitReached { limit } ... on Invitation { id } } }"""
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename } }"


def invitations_to(organization_id: str, email: str) -> int:
    count: int = run(
        Invitation.count()
        .where((Invitation.organization == organization_id) & (Invitation.email == email))
        .run()
    )
    return count


def test_an_organization_holds_at_most_1000_open_invitations(integrator: InProcessCaller) -> None:
    org = make_organization("Crowded")
    fill_with_open_invitations(org, MAX_PENDING_INVITATIONS - 1)
    last, refused = unique_email("last-seat"), unique_email("no-seat")

    sent = integrator(INVITE, org=org, emails=[last, refused])["data"]["inviteMembers"]

    assert [invitation["email"] for invitation in sent["invitations"]] == [last]
    (problem,) = sent["problems"]
    assert (problem["email"], problem["code"]) == (refused, "INVITATION_LIMIT_REACHED")
    assert "revoke some" in problem["message"]
    assert invitations_to(org, refused) == 0, "nothing written for the refused address"
    assert run(Membership.count().where(Membership.organization == org).run()) == 1

    integrator(REVOKE, id=sent["invitations"][0]["id"])
    again = integrator(INVITE, org=org, emails=[refused])["data"]["inviteMembers"]
    assert [invitation["email"] for invitation in again["invitations"]] == [refused], "a revoke frees a seat"


def test_an_address_is_invited_by_one_organization_at_most_three_times_a_day(
    integrator: InProcessCaller, clock: Clock
) -> None:
    org, other_org = make_organization("Persistent"), make_organization("Elsewhere")
    target = unique_email("target")
    for _ in range(MAX_INVITATIONS_PER_ADDRESS_PER_DAY):
        sent = integrator(INVITE, org=org, emails=[target])["data"]["inviteMembers"]
        (invitation,) = sent["invitations"]
        integrator(REVOKE, id=invitation["id"])  # revoke and invite again: the mail-bomb pattern

    refused = integrator(INVITE, org=org, emails=[target])["data"]["inviteMembers"]

    assert refused["invitations"] == []
    assert [problem["code"] for problem in refused["problems"]] == ["ADDRESS_LIMIT_REACHED"]
    assert invitations_to(org, target) == MAX_INVITATIONS_PER_ADDRESS_PER_DAY
    elsewhere = integrator(INVITE, org=other_org, emails=[target])["data"]["inviteMembers"]
    assert len(elsewhere["invitations"]) == 1, "another organization's invitation is its own"
    clock.advance(dt.timedelta(days=1, minutes=1).total_seconds())
    tomorrow = integrator(INVITE, org=org, emails=[target])["data"]["inviteMembers"]
    assert len(tomorrow["invitations"]) == 1, "the limit is per day"
