"""Check-then-write on memberships holds when requests race: real concurrent HTTP requests against
the server (PostgreSQL with `TENANTRY_TEST_BACKEND=postgres`), several rounds each."""

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.factories import make_invitation, make_member, make_organization, membership_id, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

ROUNDS = 4
CHANGE_ROLE = "mutation($id: ID!, $role: String!) { result: changeMemberRole(memberId: $id, role: $role) { __typename ... on Problem { code } } }"
REMOVE = "mutation($id: ID!) { result: removeMember(memberId: $id) { __typename ... on Problem { code } } }"
INVITE = 'mutation($org: ID!, $emails: [String!]!) { result: inviteMembers(organizationId: $org, emails: $emails, role: "member") { __typename ... on InvitationsSent { invitations { id } problems { code } } } }'
MEMBERS = "query($org: ID!) { organization(organizationId: $org) { members(first: 100) { nodes { id role status } } } }"


@pytest.fixture
def people(server: ServerProcess, mail: MailSink) -> Iterator[list[Person]]:
    signed_in: list[Person] = []
    yield signed_in
    for person in signed_in:
        person.http.close()


def signed_in_as(server: ServerProcess, mail: MailSink, people: list[Person], email: str) -> Person:
    person = Person.at(server.url, mail)
    person.sign_in(email)
    people.append(person)
    return person


def async_client(
    server: ServerProcess, *, person: Person | None = None, token: str | None = None
) -> httpx.AsyncClient:
    """The same caller as the synchronous one, able to send requests side by side."""
    if person is not None:
        headers = {**person.http.headers, "X-CSRF-Token": person.csrf()}
        return httpx.AsyncClient(
            base_url=server.url, headers=headers, cookies=person.http.cookies, timeout=60
        )
    return httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


async def send(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    result: dict[str, Any] = body["data"]["result"]
    return result


async def race(*requests: tuple[httpx.AsyncClient, str, dict[str, Any]]) -> list[dict[str, Any]]:
    return list(
        await asyncio.gather(*(send(client, query, **variables) for client, query, variables in requests))
    )


def active_admins(integrator: GraphQLCaller, org: str) -> list[str]:
    nodes = integrator(MEMBERS, org=org)["data"]["organization"]["members"]["nodes"]
    return [node["id"] for node in nodes if node["role"] == "admin" and node["status"] == "ACTIVE"]


def integrator_token(integrator: GraphQLCaller) -> str:
    return integrator.headers["Authorization"].removeprefix("Bearer ")


def test_many_concurrent_demotions_and_removals_leave_exactly_one_admin(
    server: ServerProcess, integrator: GraphQLCaller
) -> None:
    async def round_() -> None:
        org = make_organization("Stampede")
        admins = [membership_id(make_member(unique_email(f"admin{n}"), org, "admin"), org) for n in range(6)]
        async with async_client(server, token=integrator_token(integrator)) as client:
            results = await race(
                *((client, CHANGE_ROLE, {"id": admin, "role": "member"}) for admin in admins[:3]),
                *((client, REMOVE, {"id": admin}) for admin in admins[3:]),
            )
        winners = [r for r in results if r["__typename"] in ("Member", "MemberRemoved")]
        losers = [r for r in results if r not in winners]
        assert (len(winners), losers) == (5, [{"__typename": "LastAdmin", "code": "LAST_ADMIN"}]), results
        assert len(active_admins(integrator, org)) == 1

    for _ in range(ROUNDS):
        run(round_())


def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    server: ServerProcess, mail: MailSink, people: list[Person], integrator: GraphQLCaller
) -> None:
    async def round_() -> None:
        org = make_organization("Standoff")
        emails = [unique_email("duelist"), unique_email("duelist")]
        ids = [membership_id(make_member(email, org, "admin"), org) for email in emails]
        first, second = (signed_in_as(server, mail, people, email) for email in emails)
        async with async_client(server, person=first) as a, async_client(server, person=second) as b:
            results = await race(
                (a, CHANGE_ROLE, {"id": ids[1], "role": "member"}),
                (b, CHANGE_ROLE, {"id": ids[0], "role": "member"}),
            )
        assert sorted(r["__typename"] for r in results) == ["LastAdmin", "Member"], results
        assert len(active_admins(integrator, org)) == 1

    for _ in range(ROUNDS):
        run(round_())


def test_one_admin_sending_two_demotions_at_once_leaves_one_admin(
    server: ServerProcess, mail: MailSink, people: list[Person], integrator: GraphQLCaller
) -> None:
    async def round_() -> None:
        org = make_organization("Double Click")
        email, other = unique_email("hasty"), unique_email("colleague")
        ids = [membership_id(make_member(address, org, "admin"), org) for address in (email, other)]
        async with async_client(server, person=signed_in_as(server, mail, people, email)) as me:
            results = await race(
                (me, CHANGE_ROLE, {"id": ids[0], "role": "member"}),
                (me, REMOVE, {"id": ids[1]}),
            )
        codes = sorted(r.get("code", r["__typename"]) for r in results)
        assert codes in (["LAST_ADMIN", "Member"], ["LAST_ADMIN", "MemberRemoved"]), results
        assert len(active_admins(integrator, org)) == 1

    for _ in range(ROUNDS):
        run(round_())


def test_one_address_invited_several_times_at_once_becomes_one_membership(
    server: ServerProcess, integrator: GraphQLCaller
) -> None:
    async def round_() -> None:
        org = make_organization("Eager Inviters")
        invitee = unique_email("popular")
        async with async_client(server, token=integrator_token(integrator)) as client:
            results = await race(*((client, INVITE, {"org": org, "emails": [invitee]}) for _ in range(4)))
        sent = [r for r in results if r["invitations"]]
        assert len(sent) == 1, results
        assert [r["problems"] for r in results if r not in sent] == [[{"code": "ALREADY_MEMBER"}]] * 3
        nodes = integrator(MEMBERS, org=org)["data"]["organization"]["members"]["nodes"]
        assert [node["status"] for node in nodes] == ["INVITED"]

    for _ in range(ROUNDS):
        run(round_())


def test_an_admin_demoted_by_a_concurrent_request_cannot_still_remove_someone(
    server: ServerProcess, mail: MailSink, people: list[Person], integrator: GraphQLCaller
) -> None:
    """The actor's permissions are read again under the lock: the request that loaded them before
    the demotion committed acts with what they are after it."""
    from db.events import AuditEvent

    async def round_() -> None:
        org = make_organization("Coup")
        actor_email, demoter_email = unique_email("actor"), unique_email("demoter")
        actor_id = membership_id(make_member(actor_email, org, "admin"), org)
        make_member(demoter_email, org, "admin")
        bystander = membership_id(make_member(unique_email("bystander"), org, "member"), org)
        actor, demoter = (signed_in_as(server, mail, people, email) for email in (actor_email, demoter_email))
        async with async_client(server, person=actor) as a, async_client(server, person=demoter) as d:
            removal, demotion = await asyncio.gather(
                a.post("/graphql", json={"query": REMOVE, "variables": {"id": bystander}}),
                d.post(
                    "/graphql", json={"query": CHANGE_ROLE, "variables": {"id": actor_id, "role": "member"}}
                ),
            )
        assert demotion.json()["data"]["result"]["__typename"] == "Member", demotion.text
        removed = removal.json()
        if removed.get("data") and removed["data"]["result"]["__typename"] == "MemberRemoved":
            rows = await AuditEvent.select(AuditEvent.action, AuditEvent.created_at).where(
                AuditEvent.organization_id == org
            )
            at = {row["action"]: row["created_at"] for row in rows}
            assert at["membership.deleted"] < at["membership.role_changed"], "removed only while still admin"
        else:
            assert [error["extensions"]["code"] for error in removed["errors"]] == ["FORBIDDEN"], removed

    for _ in range(ROUNDS * 2):
        run(round_())


def test_a_resend_racing_a_revocation_never_brings_the_invitation_back(
    server: ServerProcess, integrator: GraphQLCaller
) -> None:
    resend = "mutation($id: ID!) { result: resendInvitation(invitationId: $id) { __typename } }"
    revoke = "mutation($id: ID!) { result: revokeInvitation(invitationId: $id) { __typename } }"
    statuses = "query($org: ID!) { organization(organizationId: $org) { invitations { nodes { id status } } members(status: INVITED) { nodes { id } } } }"

    async def round_() -> None:
        org = make_organization("Second Thoughts")
        invitation = make_invitation(org, unique_email("wavering"))
        async with async_client(server, token=integrator_token(integrator)) as client:
            answers = await asyncio.gather(
                *(
                    client.post("/graphql", json={"query": query, "variables": {"id": invitation}})
                    for query in (resend, revoke, resend)
                )
            )
        bodies = [answer.json() for answer in answers]
        assert bodies[1]["data"]["result"]["__typename"] == "Invitation", bodies
        for body in (bodies[0], bodies[2]):  # a resend after the revocation is refused as not pending
            assert body["data"]["result"]["__typename"] in ("Invitation", "InvitationNotPending"), body
        found = integrator(statuses, org=org)["data"]["organization"]
        assert found["invitations"]["nodes"] == [{"id": invitation, "status": "REVOKED"}]
        assert found["members"]["nodes"] == []

    for _ in range(ROUNDS * 2):
        run(round_())
