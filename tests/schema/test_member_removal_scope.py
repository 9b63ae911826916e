"""Removing a member ends what was granted in that organization and nothing the person holds elsewhere."""

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from db.events import Event, Job
from tests.host.oauth.conftest import verify_jwt
from tests.support.factories import App, make_app, make_member, make_organization, membership_id, run
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import Person, unique_email
from tests.support.receiver import Receiver
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

REMOVE = "mutation($id: ID!) { removeMember(memberId: $id) { __typename } }"
ME = "{ viewer { organization { id } organizations { nodes { id } } } }"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


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


def refresh(server: ServerProcess, app: App, token: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        auth=(app.client_id, app.client_secret or ""),
    )


def remove(admin: Person, user_id: str, organization_id: str) -> None:
    answer = GraphQLCaller.for_person(admin)(REMOVE, id=membership_id(user_id, organization_id))
    assert answer["data"]["removeMember"]["__typename"] == "MemberRemoved", answer


def events_for(session_id: str) -> list[str]:
    rows = run(Event.select(Event.type, Event.data).output(load_json=True).run())
    return sorted(row["type"] for row in rows if row["data"].get("session_id") == session_id)


def logout_jobs_settled(session_id: str, timeout: float = 30) -> None:
    """Every back-channel logout job queued for the session has run (so its request was received)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting: list[dict[str, Any]] = run(
            Job.select(Job.payload)
            .where((Job.kind == "backchannel_logout") & Job.status.is_in(["pending", "queued"]))
            .output(load_json=True)
            .run()
        )
        if not any(job["payload"].get("session_id") == session_id for job in waiting):
            return
        time.sleep(0.1)
    raise AssertionError("back-channel logout jobs did not settle")


def test_removal_from_one_organization_keeps_the_grants_and_session_of_the_other(
    server: ServerProcess, mail: MailSink, people: list[Person], receiver: Receiver
) -> None:
    stays, leaves = make_organization("Stays Co"), make_organization("Leaves Co")
    admin_email = unique_email("leaves-admin")
    make_member(admin_email, leaves, "admin")
    email = unique_email("in-two")
    user_id = make_member(email, stays, "member")
    make_member(email, leaves, "member")
    stays_app = make_app(backchannel_logout_uri=f"{receiver.url}/stays")
    leaves_app = make_app(backchannel_logout_uri=f"{receiver.url}/leaves")
    person = signed_in(server, mail, people, email)
    stays_tokens = person.tokens_for(stays_app, organization_id=stays)
    leaves_tokens = person.tokens_for(leaves_app, organization_id=leaves)  # the browser is now in Leaves Co
    sid = verify_jwt(server.url, leaves_tokens["id_token"])["sid"]

    remove(signed_in(server, mail, people, admin_email), user_id, leaves)

    kept = refresh(server, stays_app, stays_tokens["refresh_token"])
    assert kept.status_code == 200, "the grant made in the other organization keeps working"
    refused = refresh(server, leaves_app, leaves_tokens["refresh_token"])
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
    portal = GraphQLCaller.for_person(person)(ME)
    assert error_codes(portal) == [], "the session goes on in the person's other organization"
    assert portal["data"]["viewer"]["organization"] == {"id": stays}, "no longer in the one they left"
    assert [o["id"] for o in portal["data"]["viewer"]["organizations"]["nodes"]] == [stays]

    (told,) = receiver.wait_for(1, timeout=30)
    logout_jobs_settled(sid)
    assert [request.path for request in receiver.requests] == ["/leaves"], (
        "only the app whose grants were all in the organization hears a back-channel logout"
    )
    assert told.path == "/leaves"
    assert "user.logout" not in events_for(sid), "the session did not end"


def test_removal_from_a_persons_only_organization_ends_their_session(
    server: ServerProcess, mail: MailSink, people: list[Person], receiver: Receiver
) -> None:
    org = make_organization("Only Co")
    admin_email = unique_email("only-admin")
    make_member(admin_email, org, "admin")
    email = unique_email("only-one")
    user_id = make_member(email, org, "member")
    app = make_app(backchannel_logout_uri=f"{receiver.url}/only")
    person = signed_in(server, mail, people, email)
    tokens = person.tokens_for(app, organization_id=org)
    sid = verify_jwt(server.url, tokens["id_token"])["sid"]

    remove(signed_in(server, mail, people, admin_email), user_id, org)

    assert error_codes(GraphQLCaller.for_person(person)(ME)) == ["UNAUTHENTICATED"]
    assert refresh(server, app, tokens["refresh_token"]).status_code == 400
    assert [request.path for request in receiver.wait_for(1, timeout=30)] == ["/only"]
    assert events_for(sid) == ["session.revoked", "user.logout"]
