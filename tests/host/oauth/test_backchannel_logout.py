"""OpenID Connect Back-Channel Logout 1.0: every app that got tokens for a session hears of its end.

Logout tokens are checked claim by claim (§2.4, §2.6) with joserfc against the published JWKS.
"""

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from db.events import Job
from tests.conftest import Clock
from tests.host.oauth.conftest import exchange_code, signed_up_code, verify_jwt
from tests.support.backchannel import events_of, logout_claims
from tests.support.factories import App, make_app, run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person
from tests.support.receiver import Receiver
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    started = [Receiver().start() for _ in range(2)]
    yield started
    for receiver in started:
        receiver.stop()


def sign_in_to(person: Person, app: App) -> dict[str, Any]:
    """An app's code flow in a browser that already has a session: its ID token's claims."""
    return verify_jwt(str(person.http.base_url).rstrip("/"), person.tokens_for(app)["id_token"])


def logout_jobs() -> dict[str, str]:
    """Every back-channel logout job: id -> status (a done job keeps no payload)."""
    rows = run(Job.select(Job.id, Job.status).where(Job.kind == "backchannel_logout").run())
    return {row["id"]: row["status"] for row in rows}


def settled_since(before: dict[str, str], timeout: float = 30) -> dict[str, str]:
    """The logout jobs created after `before` was taken, once none of them waits or runs."""
    deadline = time.monotonic() + timeout
    while True:
        new = {job_id: status for job_id, status in logout_jobs().items() if job_id not in before}
        if all(status in {"done", "dead"} for status in new.values()) or time.monotonic() > deadline:
            return new
        time.sleep(0.2)


def test_logout_notifies_each_app_that_received_tokens_for_the_session(
    server: ServerProcess, mail: MailSink, receivers: list[Receiver]
) -> None:
    first = make_app(backchannel_logout_uri=f"{receivers[0].url}/bcl")
    second = make_app(backchannel_logout_uri=f"{receivers[1].url}/bcl")
    bystander_receiver = Receiver().start()
    make_app(backchannel_logout_uri=f"{bystander_receiver.url}/bcl")  # registered, never signed in to
    person = Person.at(server.url, mail)
    try:
        code, verifier, _ = signed_up_code(person, first)
        id_token = exchange_code(server.url, first, code, verifier).json()["id_token"]
        first_claims = verify_jwt(server.url, id_token)
        second_claims = sign_in_to(person, second)
        assert second_claims["sid"] == first_claims["sid"]

        jobs_before = logout_jobs()
        ended = person.http.get("/oauth/logout", params={"id_token_hint": id_token})
        assert ended.status_code == 200

        for receiver, app in zip(receivers, (first, second), strict=True):
            claims = logout_claims(server, receiver, app)
            assert claims["sid"] == first_claims["sid"]
            assert claims["sub"] == first_claims["sub"]
        # Positive signal before asserting absence: every logout job written since has run.
        ran = settled_since(jobs_before)
        assert len(ran) >= 2 and set(ran.values()) == {"done"}, ran
        assert bystander_receiver.requests == [], "an app without tokens for the session is not told"
        assert events_of(first_claims["sid"]) == [("user.logout", "logout")]
    finally:
        person.http.close()
        bystander_receiver.stop()


def test_revoking_a_session_elsewhere_notifies_its_apps(
    server: ServerProcess, mail: MailSink, receivers: list[Receiver]
) -> None:
    app = make_app(backchannel_logout_uri=f"{receivers[0].url}/bcl")
    phone, laptop = Person.at(server.url, mail), Person.at(server.url, mail)
    try:
        code, verifier, email = signed_up_code(phone, app)
        sid = verify_jwt(server.url, exchange_code(server.url, app, code, verifier).json()["id_token"])["sid"]
        laptop.sign_in(email)
        revoked = GraphQLCaller.for_person(laptop)(
            "mutation($id: ID!) { revokeSession(sessionId: $id) }", id=sid
        )
        assert revoked["data"]["revokeSession"] is True
        assert logout_claims(server, receivers[0], app)["sid"] == sid
        assert sorted(events_of(sid)) == [("session.revoked", "revoked"), ("user.logout", "revoked")]
    finally:
        phone.http.close()
        laptop.http.close()


def test_a_session_nobody_touches_is_ended_at_expiry_and_its_apps_told(
    server: ServerProcess, mail: MailSink, receivers: list[Receiver], clock: Clock
) -> None:
    app = make_app(backchannel_logout_uri=f"{receivers[0].url}/bcl")
    person = Person.at(server.url, mail)
    try:
        code, verifier, _ = signed_up_code(person, app)
        sid = verify_jwt(server.url, exchange_code(server.url, app, code, verifier).json()["id_token"])["sid"]
        clock.advance(8 * 86_400)  # past the default seven-day absolute timeout
        claims = logout_claims(server, receivers[0], app)  # the clean-up cron runs every 15 s
        assert claims["sid"] == sid
        assert events_of(sid) == [("user.logout", "expired")]
    finally:
        person.http.close()


def test_an_app_that_fails_is_retried_until_it_accepts(server: ServerProcess, mail: MailSink) -> None:
    flaky = Receiver(fail=lambda n, headers: n == 1).start()
    app = make_app(backchannel_logout_uri=f"{flaky.url}/bcl")
    person = Person.at(server.url, mail)
    try:
        code, verifier, _ = signed_up_code(person, app)
        id_token = exchange_code(server.url, app, code, verifier).json()["id_token"]
        person.http.get("/oauth/logout", params={"id_token_hint": id_token})
        first, second = flaky.wait_for(2, timeout=40)
        assert (first.answered, second.answered) == (500, 200)
        tokens = [parse_qs(r.body.decode())["logout_token"][0] for r in (first, second)]
        jtis = {verify_jwt(server.url, token)["jti"] for token in tokens}
        assert len(jtis) == 2, "each attempt carries a fresh logout token"
    finally:
        person.http.close()
        flaky.stop()


def test_discovery_advertises_back_channel_logout(server: ServerProcess) -> None:
    metadata = httpx.get(f"{server.url}/.well-known/openid-configuration").json()
    assert metadata["backchannel_logout_supported"] is True
    assert metadata["backchannel_logout_session_supported"] is True
