"""Resends a day, counted in the emails that go out, and two invitations racing for the last open seat
(the other invitation bounds: tests/rules/test_invitation_limits.py)."""

import asyncio
import datetime as dt

import httpx
import pytest

from db.orgs import Invitation
from resolvers.invitation_limits import (
    MAX_PENDING_INVITATIONS,
    MAX_RESENDS_PER_DAY,
)
from tests.conftest import Clock
from tests.support.factories import make_invitation, make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.open_invitations import fill_with_open_invitations
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

INVITE = """mutation($org: ID!, $emails: [String!]!) { inviteMembers(organizationId: $org, emails: $emails, role: "member") {
  __typename ... on InvitationsSent { invitations { id email } problems { email code message } } } }"""
RESEND = """mutation($id: ID!) { resendInvitation(invitationId: $id) {
  __typename ... on Problem { code message } ... on ResendLimitReached { limit } ... on Invitation { id } } }"""
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename } }"


def test_an_invitation_is_resent_at_most_five_times_a_day(
    integrator: GraphQLCaller, mail: MailSink, clock: Clock
) -> None:
    org = make_organization("Insistent")
    invitee = unique_email("resent")
    invitation = make_invitation(org, invitee)
    mail.wait_for(invitee)
    for number in range(MAX_RESENDS_PER_DAY):
        assert integrator(RESEND, id=invitation)["data"]["resendInvitation"]["__typename"] == "Invitation"
        mail.wait_for(invitee, after=1 + number)
    token_before = run(
        Invitation.select(Invitation.token_hash).where(Invitation.id == invitation).first().run()
    )

    refused = integrator(RESEND, id=invitation)["data"]["resendInvitation"]

    assert refused["__typename"] == "ResendLimitReached"
    assert (refused["code"], refused["limit"]) == ("RESEND_LIMIT_REACHED", MAX_RESENDS_PER_DAY)
    assert "the last link still works" in refused["message"]
    token_after = run(
        Invitation.select(Invitation.token_hash).where(Invitation.id == invitation).first().run()
    )
    assert token_after == token_before, "the refused resend changed nothing"
    with pytest.raises(AssertionError):
        mail.wait_for(invitee, after=1 + MAX_RESENDS_PER_DAY, timeout=2)
    clock.advance(dt.timedelta(days=1, minutes=1).total_seconds())
    assert integrator(RESEND, id=invitation)["data"]["resendInvitation"]["__typename"] == "Invitation"


def test_two_invitations_racing_for_the_last_open_seat_get_one(
    server: ServerProcess, integrator: GraphQLCaller
) -> None:
    token = integrator.headers["Authorization"].removeprefix("Bearer ")

    async def round_() -> None:
        org = make_organization("Last Seat")
        fill_with_open_invitations(org, MAX_PENDING_INVITATIONS - 1)
        emails = [unique_email("racer-a"), unique_email("racer-b")]
        async with httpx.AsyncClient(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client:
            answers = await asyncio.gather(
                *(
                    client.post(
                        "/graphql", json={"query": INVITE, "variables": {"org": org, "emails": [email]}}
                    )
                    for email in emails
                )
            )
        sent = [answer.json()["data"]["inviteMembers"] for answer in answers]
        assert sorted(len(result["invitations"]) for result in sent) == [0, 1], sent
        assert sorted(p["code"] for result in sent for p in result["problems"]) == [
            "INVITATION_LIMIT_REACHED"
        ]
        pending = run(
            Invitation.count()
            .where((Invitation.organization == org) & (Invitation.status == "pending"))
            .run()
        )
        assert pending == MAX_PENDING_INVITATIONS

    for _ in range(3):
        run(round_())
