"""Invitations are bounded: open ones per organization, invitations per address a day, resends a day."""

import asyncio
import datetime as dt
import secrets

import httpx
import pytest

from db.ids import new_id
from db.orgs import Invitation, Membership, Role
from resolvers.clock import now
from resolvers.invitation_limits import (
    MAX_INVITATIONS_PER_ADDRESS_PER_DAY,
    MAX_PENDING_INVITATIONS,
    MAX_RESENDS_PER_DAY,
)
from tests.conftest import Clock
from tests.support.factories import make_invitation, make_organization, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

INVITE = """mutation($org: ID!, $emails: [String!]!) { inviteMembers(organizationId: $org, emails: $emails, role: "member") {
  __typename ... on InvitationsSent { invitations { id email } problems { email code message } } } }"""
RESEND = """mutation($id: ID!) { resendInvitation(invitationId: $id) {
  __typename ... on Problem { code message } ... on ResendLimitReached { limit } ... on Invitation { id } } }"""
REVOKE = "mutation($id: ID!) { revokeInvitation(invitationId: $id) { __typename } }"


def fill_with_open_invitations(organization_id: str, count: int) -> None:
    """`count` pending invitations written at once (sending each for real would take minutes)."""

    async def go() -> None:
        role = await Role.select(Role.id).where(Role.key == "member").first()
        assert role is not None
        moment = now()
        await Invitation.insert(
            *(
                Invitation(
                    id=new_id("inv"),
                    organization=organization_id,
                    email=f"filler-{n}-{secrets.token_hex(3)}@example.com",
                    role=role["id"],
                    token_hash=secrets.token_hex(32),
                    status="pending",
                    expires_at=moment + dt.timedelta(days=7),
                    created_at=moment,
                )
                for n in range(count)
            )
        )

    run(go())


def invitations_to(organization_id: str, email: str) -> int:
    count: int = run(
        Invitation.count()
        .where((Invitation.organization == organization_id) & (Invitation.email == email))
        .run()
    )
    return count


def test_an_organization_holds_at_most_1000_open_invitations(integrator: GraphQLCaller) -> None:
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
    integrator: GraphQLCaller, mail: MailSink, clock: Clock
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
