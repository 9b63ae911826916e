"""Passkeys over HTTP with a software authenticator: register, sign in, and every way to be refused."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from db.events import AuditEvent
from db.identity import Passkey, Session, WebAuthnChallenge
from tests.conftest import Clock
from tests.support.authenticator import SoftwareAuthenticator, b64url
from tests.support.factories import run
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

BEGIN = """mutation { beginPasskeyRegistration { __typename
  ... on PasskeyRegistrationOptions { flowId options }
  ... on ReauthenticationRequired { code maxAgeSeconds } } }"""
FINISH = """mutation($flow: ID!, $credential: JSON!, $name: String) {
  finishPasskeyRegistration(flowId: $flow, credential: $credential, name: $name) { __typename
    ... on Passkey { id name synced lastUsedAt createdAt }
    ... on Problem { code message } } }"""
PASSKEYS = "{ viewer { passkeys { nodes { id name synced lastUsedAt } } sessions { nodes { id current authenticationMethods } } } }"
RENAME = """mutation($id: ID!, $name: String!) { renamePasskey(passkeyId: $id, name: $name) { __typename
  ... on Passkey { name } ... on InvalidInput { code field message } } }"""
DELETE = """mutation($id: ID!) { deletePasskey(passkeyId: $id) { __typename
  ... on PasskeyDeleted { passkeyId } ... on ReauthenticationRequired { code } } }"""


class People:
    """Browsers for one test, closed at its end."""

    def __init__(self, server: ServerProcess, mail: MailSink) -> None:
        self.server, self.mail, self.opened = server, mail, list[Person]()

    def new(self) -> Person:
        self.opened.append(Person.at(self.server.url, self.mail))
        return self.opened[-1]

    def signed_up(self, label: str = "passkey") -> Person:
        person = self.new()
        person.sign_in(unique_email(label), intent="signup", first_name="Pat", last_name="Key")
        return person


@pytest.fixture
def people(server: ServerProcess, mail: MailSink) -> Iterator[People]:
    opened = People(server, mail)
    yield opened
    for person in opened.opened:
        person.http.close()


def register(
    person: Person, authenticator: SoftwareAuthenticator, name: str | None = "Laptop"
) -> dict[str, Any]:
    graphql = GraphQLCaller.for_person(person)
    begun = graphql(BEGIN)["data"]["beginPasskeyRegistration"]
    assert begun["__typename"] == "PasskeyRegistrationOptions", begun
    credential = authenticator.create(begun["options"])
    finished: dict[str, Any] = graphql(FINISH, flow=begun["flowId"], credential=credential, name=name)[
        "data"
    ]["finishPasskeyRegistration"]
    return finished


def options(person: Person) -> dict[str, Any]:
    response = person.post_api("/a/auth/api/passkey/options", {})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def verify(person: Person, flow: str, credential: dict[str, Any], **extra: Any) -> Any:
    return person.post_api("/a/auth/api/passkey/verify", {"flow": flow, "credential": credential, **extra})


def sign_in_with(person: Person, authenticator: SoftwareAuthenticator, **knobs: Any) -> Any:
    started = options(person)
    return verify(person, started["flow"], authenticator.get(started["options"], **knobs))


@pytest.fixture
def authenticator(server: ServerProcess) -> SoftwareAuthenticator:
    return SoftwareAuthenticator(rp_id="localhost", origin=server.url)


def test_register_then_sign_in_on_another_browser(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    owner = people.signed_up()
    authenticator.synced = True
    registered = register(owner, authenticator, "  My   phone ")
    assert registered["__typename"] == "Passkey", registered
    assert registered["name"] == "My phone"
    assert registered["synced"] is True
    assert registered["lastUsedAt"] is None

    stranger = people.new()
    started = options(stranger)
    assert started["options"]["rpId"] == "localhost"
    assert started["options"]["userVerification"] == "required"
    assert started["options"].get("allowCredentials", []) == [], "discoverable: the browser offers them all"
    answer = verify(stranger, started["flow"], authenticator.get(started["options"]))
    assert answer.status_code == 200, answer.text
    assert answer.json()["location"] == "/ui/"
    assert stranger.http.get("/ui/").status_code == 200

    viewer = GraphQLCaller.for_person(stranger)(PASSKEYS)["data"]["viewer"]
    assert viewer["passkeys"]["nodes"][0]["lastUsedAt"] is not None
    current = next(s for s in viewer["sessions"]["nodes"] if s["current"])
    assert current["authenticationMethods"] == ["pop", "mfa"]


def test_registration_options_ask_for_a_discoverable_verified_credential_and_exclude_known_ones(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    owner = people.signed_up()
    register(owner, authenticator)
    options_json = GraphQLCaller.for_person(owner)(BEGIN)["data"]["beginPasskeyRegistration"]["options"]
    assert options_json["rp"]["id"] == "localhost"
    assert options_json["authenticatorSelection"]["residentKey"] == "required"
    assert options_json["authenticatorSelection"]["userVerification"] == "required"
    assert [c["id"] for c in options_json["excludeCredentials"]] == [
        b64url(authenticator.passkeys[0].credential_id)
    ]


def test_a_replayed_assertion_is_refused(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    register(people.signed_up(), authenticator)
    attacker = people.new()
    started = options(attacker)
    assertion = authenticator.get(started["options"])
    assert verify(attacker, started["flow"], assertion).status_code == 200
    again = verify(people.new(), started["flow"], assertion)
    assert (again.status_code, again.json()["error"]) == (400, "expired_challenge")
    fresh = options(attacker)
    replayed = verify(attacker, fresh["flow"], assertion)
    assert (replayed.status_code, replayed.json()["error"]) == (400, "passkey_rejected")


@pytest.mark.parametrize(
    ("knobs", "reason"),
    [
        ({"origin": "https://evil.example"}, "origin"),
        ({"rp_id": "evil.example"}, "RP ID"),
        ({"verified": False}, "verif"),
    ],
)
def test_wrong_origin_rp_id_or_missing_user_verification_is_refused(
    server: ServerProcess,
    people: People,
    mail: MailSink,
    authenticator: SoftwareAuthenticator,
    knobs: dict[str, Any],
    reason: str,
) -> None:
    register(people.signed_up(), authenticator)
    visitor = people.new()
    answer = sign_in_with(visitor, authenticator, **knobs)
    assert answer.status_code == 400
    assert answer.json()["error"] == "passkey_rejected"
    assert reason.lower() in answer.json()["message"].lower()
    assert visitor.http.get("/ui/").status_code in (302, 303), "no session was started"


def test_registration_from_another_origin_is_refused(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    owner = people.signed_up()
    graphql = GraphQLCaller.for_person(owner)
    begun = graphql(BEGIN)["data"]["beginPasskeyRegistration"]
    credential = authenticator.create(begun["options"], origin="https://evil.example")
    result = graphql(FINISH, flow=begun["flowId"], credential=credential, name="Evil")["data"]
    assert result["finishPasskeyRegistration"]["code"] == "PASSKEY_REJECTED"
    assert graphql(PASSKEYS)["data"]["viewer"]["passkeys"]["nodes"] == []


def test_a_counter_that_goes_backwards_is_refused_and_audited(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    registered = register(people.signed_up(), authenticator)
    assert sign_in_with(people.new(), authenticator).status_code == 200
    assert sign_in_with(people.new(), authenticator).status_code == 200
    clone = authenticator.passkeys[-1]
    clone.counter = 0  # a copy of the key that never saw the last two signatures
    answer = sign_in_with(people.new(), authenticator)
    assert (answer.status_code, answer.json()["error"]) == (400, "passkey_rejected")
    assert "counter" in answer.json()["message"]
    audited = run(AuditEvent.select(AuditEvent.action).where(AuditEvent.target_id == registered["id"]).run())
    assert {"action": "passkey.clone_suspected"} in audited


def test_authenticators_without_a_counter_keep_working(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    authenticator.counts_signatures = False  # synced passkeys report 0 every time
    register(people.signed_up(), authenticator)
    for _ in range(2):
        assert sign_in_with(people.new(), authenticator).status_code == 200


def test_an_unknown_or_deleted_passkey_is_refused(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    owner = people.signed_up()
    registered = register(owner, authenticator)
    deleted = GraphQLCaller.for_person(owner)(DELETE, id=registered["id"])["data"]["deletePasskey"]
    assert deleted == {"__typename": "PasskeyDeleted", "passkeyId": registered["id"]}
    answer = sign_in_with(people.new(), authenticator)
    assert (answer.status_code, answer.json()["error"]) == (400, "passkey_rejected")
    assert run(Passkey.count().where(Passkey.id == registered["id"]).run()) == 0


def test_challenges_expire_after_five_minutes(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator, clock: Clock
) -> None:
    register(people.signed_up(), authenticator)
    visitor = people.new()
    started = options(visitor)
    clock.advance(301)
    answer = verify(visitor, started["flow"], authenticator.get(started["options"]))
    assert (answer.status_code, answer.json()["error"]) == (400, "expired_challenge")


def test_challenges_are_stored_single_use_and_not_as_the_response(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    register(people.signed_up(), authenticator)
    visitor = people.new()
    started = options(visitor)
    (row,) = run(WebAuthnChallenge.select().where(WebAuthnChallenge.id == started["flow"]).run())
    assert row["consumed_at"] is None
    assert row["challenge"] == started["options"]["challenge"]
    assert verify(visitor, started["flow"], authenticator.get(started["options"])).status_code == 200
    (row,) = run(WebAuthnChallenge.select().where(WebAuthnChallenge.id == started["flow"]).run())
    assert row["consumed_at"] is not None


def test_adding_or_deleting_a_passkey_needs_a_recent_sign_in(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator, clock: Clock
) -> None:
    owner = people.signed_up()
    registered = register(owner, authenticator)
    graphql = GraphQLCaller.for_person(owner)
    session_before = next(
        s["id"] for s in graphql(PASSKEYS)["data"]["viewer"]["sessions"]["nodes"] if s["current"]
    )
    clock.advance(6 * 60)
    assert graphql(BEGIN)["data"]["beginPasskeyRegistration"] == {
        "__typename": "ReauthenticationRequired",
        "code": "REAUTHENTICATION_REQUIRED",
        "maxAgeSeconds": 300,
    }
    assert graphql(DELETE, id=registered["id"])["data"]["deletePasskey"]["__typename"] == (
        "ReauthenticationRequired"
    )
    renamed = graphql(RENAME, id=registered["id"], name="Still renameable")["data"]["renamePasskey"]
    assert renamed == {"__typename": "Passkey", "name": "Still renameable"}

    started = options(owner)
    answer = verify(owner, started["flow"], authenticator.get(started["options"]), reauthenticate=True)
    assert answer.status_code == 200, answer.text
    graphql = GraphQLCaller.for_person(owner)
    sessions = graphql(PASSKEYS)["data"]["viewer"]["sessions"]["nodes"]
    assert [s["id"] for s in sessions if s["current"]] == [session_before], "same session, fresh proof"
    assert graphql(DELETE, id=registered["id"])["data"]["deletePasskey"]["__typename"] == "PasskeyDeleted"


def test_reauthenticating_with_someone_elses_passkey_is_refused(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    register(people.signed_up("first"), authenticator)
    second = people.signed_up("second")
    started = options(second)
    answer = verify(second, started["flow"], authenticator.get(started["options"]), reauthenticate=True)
    assert (answer.status_code, answer.json()["error"]) == (400, "wrong_account")
    email = GraphQLCaller.for_person(second)("{ viewer { user { email } } }")["data"]["viewer"]["user"][
        "email"
    ]
    assert email.startswith("second-"), "the session still belongs to the second person"


def test_signing_in_again_by_email_refreshes_the_same_session(
    server: ServerProcess, people: People, mail: MailSink, clock: Clock
) -> None:
    email = unique_email("again")
    person = people.new()
    person.sign_in(email, intent="signup", first_name="Al", last_name="Again")
    graphql = GraphQLCaller.for_person(person)
    (before,) = graphql(PASSKEYS)["data"]["viewer"]["sessions"]["nodes"]
    clock.advance(6 * 60)
    assert graphql(BEGIN)["data"]["beginPasskeyRegistration"]["__typename"] == "ReauthenticationRequired"
    person.sign_in(email)
    graphql = GraphQLCaller.for_person(person)
    (after,) = graphql(PASSKEYS)["data"]["viewer"]["sessions"]["nodes"]
    assert after["id"] == before["id"]
    assert graphql(BEGIN)["data"]["beginPasskeyRegistration"]["__typename"] == "PasskeyRegistrationOptions"
    (row,) = run(Session.select(Session.revoked_at).where(Session.id == before["id"]).run())
    assert row["revoked_at"] is None


def test_a_registration_flow_belongs_to_the_session_that_started_it(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    victim, attacker = people.signed_up("victim"), people.signed_up("attacker")
    begun = GraphQLCaller.for_person(victim)(BEGIN)["data"]["beginPasskeyRegistration"]
    credential = authenticator.create(begun["options"])
    result = GraphQLCaller.for_person(attacker)(FINISH, flow=begun["flowId"], credential=credential, name="x")
    assert result["data"]["finishPasskeyRegistration"]["code"] == "EXPIRED_CHALLENGE"


def test_an_app_holding_the_persons_token_cannot_touch_their_passkeys_or_sessions(
    server: ServerProcess, people: People, authenticator: SoftwareAuthenticator
) -> None:
    """Right after the person signed in to it (so the sign-in is "recent"), an app's token still
    cannot plant its own passkey on the account, nor read or end the person's sessions."""
    person = people.signed_up("app-user")
    register(person, authenticator)
    app = GraphQLCaller.as_app_for(person)
    begun = app(BEGIN)
    assert error_codes(begun) == ["FORBIDDEN"] and begun["data"] is None
    portal_flow = GraphQLCaller.for_person(person)(BEGIN)["data"]["beginPasskeyRegistration"]
    planted = app(
        FINISH,
        flow=portal_flow["flowId"],
        credential=SoftwareAuthenticator(origin=server.url).create(portal_flow["options"]),
        name="Planted",
    )
    assert error_codes(planted) == ["FORBIDDEN"]
    for document in (PASSKEYS, "mutation { revokeOtherSessions }"):
        assert error_codes(app(document)) == ["FORBIDDEN"], document
    kept = GraphQLCaller.for_person(person)(PASSKEYS)["data"]["viewer"]
    assert [passkey["name"] for passkey in kept["passkeys"]["nodes"]] == ["Laptop"]
    assert app("{ viewer { user { email } } }")["data"]["viewer"]["user"]["email"], "the rest still works"
    app.http.close()


def test_rename_validates_and_nobody_touches_another_persons_passkey(
    server: ServerProcess, people: People, mail: MailSink, authenticator: SoftwareAuthenticator
) -> None:
    owner, other = people.signed_up("owner"), people.signed_up("other")
    registered = register(owner, authenticator)
    blank = GraphQLCaller.for_person(owner)(RENAME, id=registered["id"], name="   ")["data"]["renamePasskey"]
    assert blank["__typename"] == "InvalidInput" and blank["field"] == "name"
    too_long = GraphQLCaller.for_person(owner)(RENAME, id=registered["id"], name="x" * 101)["data"]
    assert too_long["renamePasskey"]["__typename"] == "InvalidInput"
    intruder = GraphQLCaller.for_person(other)
    assert error_codes(intruder(RENAME, id=registered["id"], name="Mine now")) == ["NOT_FOUND"]
    assert error_codes(intruder(DELETE, id=registered["id"])) == ["NOT_FOUND"]
    assert intruder(PASSKEYS)["data"]["viewer"]["passkeys"]["nodes"] == []
    names = [
        p["name"] for p in GraphQLCaller.for_person(owner)(PASSKEYS)["data"]["viewer"]["passkeys"]["nodes"]
    ]
    assert names == ["Laptop"]


def test_garbage_credentials_get_a_clear_refusal(
    server: ServerProcess, people: People, mail: MailSink
) -> None:
    visitor = people.new()
    for credential in [None, "text", {"id": 5}, {"id": "abc", "response": {}}]:
        started = options(visitor)
        answer = verify(visitor, started["flow"], credential)  # type: ignore[arg-type]
        assert answer.status_code == 400, credential
        assert answer.json()["error"] == "passkey_rejected"
    missing_csrf = visitor.http.post("/a/auth/api/passkey/options", json={})
    assert missing_csrf.status_code == 403


def test_a_bad_name_is_refused_before_the_browser_makes_a_passkey(people: People) -> None:
    graphql = GraphQLCaller.for_person(people.signed_up())
    begun = graphql(
        'mutation { beginPasskeyRegistration(name: "   ") { __typename ... on InvalidInput { field } } }'
    )["data"]["beginPasskeyRegistration"]
    assert begun == {"__typename": "InvalidInput", "field": "name"}


def test_too_many_passkey_attempts_say_in_words_when_to_try_again(people: People) -> None:
    """The same wording as every sign-in refusal: "Try again in 7 minutes.", with Retry-After."""
    browser = people.new()
    for _ in range(150):
        assert browser.post_api("/a/auth/api/passkey/options", {}).status_code == 200
    refused = browser.post_api("/a/auth/api/passkey/options", {})
    assert refused.status_code == 429
    wait = int(refused.headers["retry-after"])
    minutes = -(-wait // 60)
    in_words = f"{minutes} minute{'s' if minutes != 1 else ''}" if wait >= 60 else f"{wait} second"
    assert f"Try again in {in_words}" in refused.json()["message"], refused.json()["message"]


def test_a_passkey_without_a_name_is_named_after_its_authenticator_and_numbered_when_taken(
    people: People, authenticator: SoftwareAuthenticator
) -> None:
    person = people.signed_up("passkey-aaguid")
    authenticator.aaguid = uuid.UUID("fbfc3007-154e-4ecc-8c0b-6e020557d7bd").bytes  # iCloud Keychain

    assert register(person, authenticator, name=None)["name"] == "iCloud Keychain"
    assert register(person, authenticator, name=None)["name"] == "iCloud Keychain (2)"
    assert register(person, authenticator, name="  ")["name"] == "iCloud Keychain (3)"


def test_a_passkey_from_an_unknown_authenticator_is_named_after_the_browser(
    people: People, authenticator: SoftwareAuthenticator
) -> None:
    person = people.new()
    person.http.headers["User-Agent"] = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
    )
    person.sign_in(unique_email("passkey-browser"), intent="signup", first_name="Pat", last_name="Key")

    assert register(person, authenticator, name=None)["name"] == "Chrome on Windows"
    assert register(person, authenticator, name="Work laptop")["name"] == "Work laptop"
