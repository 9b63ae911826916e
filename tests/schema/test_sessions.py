"""A person sees their sessions (device, IP, how they signed in, which is this one) and ends them."""

from tests.support.factories import make_member, make_organization
from tests.support.graphql import GraphQLCaller, error_codes
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

SESSIONS = "{ viewer { sessions { nodes { id device ip current authenticationMethods } } } }"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"


def test_revoking_the_other_session_signs_it_out_at_its_next_request(
    server: ServerProcess, mail: MailSink
) -> None:
    email = unique_email("two-browsers")
    make_member(email, make_organization("Two Browsers"), "member")
    laptop, phone = Person.at(server.url, mail), Person.at(server.url, mail)
    laptop.http.headers["User-Agent"] = FIREFOX
    phone.http.headers["User-Agent"] = SAFARI
    laptop.sign_in(email)
    phone.sign_in(email)
    on_laptop, on_phone = GraphQLCaller.for_person(laptop), GraphQLCaller.for_person(phone)
    sessions = on_laptop(SESSIONS)["data"]["viewer"]["sessions"]["nodes"]
    assert {(s["device"], s["current"]) for s in sessions} == {
        ("Firefox on Linux", True),
        ("Safari on iOS", False),
    }
    assert all(s["ip"] and s["authenticationMethods"] == ["otp", "email"] for s in sessions)
    phone_session = next(s["id"] for s in sessions if not s["current"])

    assert (
        on_laptop("mutation($id: ID!) { revokeSession(sessionId: $id) }", id=phone_session)["data"][
            "revokeSession"
        ]
        is True
    )
    assert error_codes(on_phone(SESSIONS)) == ["UNAUTHENTICATED"], (
        "the phone is signed out at its very next request"
    )
    assert phone.http.get("/ui/").status_code in (302, 303)
    assert [s["current"] for s in on_laptop(SESSIONS)["data"]["viewer"]["sessions"]["nodes"]] == [True]
    laptop.http.close()
    phone.http.close()


def test_sign_out_everywhere_else_keeps_only_this_session(server: ServerProcess, mail: MailSink) -> None:
    email = unique_email("many-browsers")
    people = [Person.at(server.url, mail) for _ in range(3)]
    for person in people:
        person.sign_in(email, intent="signup", first_name="Many", last_name="Browsers")
    keeper = GraphQLCaller.for_person(people[0])
    assert keeper("mutation { revokeOtherSessions }")["data"]["revokeOtherSessions"] == 2
    assert len(keeper(SESSIONS)["data"]["viewer"]["sessions"]["nodes"]) == 1
    for person in people[1:]:
        assert person.http.get("/ui/").status_code in (302, 303)
    for person in people:
        person.http.close()


def test_nobody_can_end_another_persons_session(server: ServerProcess, mail: MailSink) -> None:
    victim, attacker = Person.at(server.url, mail), Person.at(server.url, mail)
    victim.sign_in(unique_email("victim"), intent="signup", first_name="Vic", last_name="Tim")
    attacker.sign_in(unique_email("attacker"), intent="signup", first_name="At", last_name="Tacker")
    victim_session = GraphQLCaller.for_person(victim)(SESSIONS)["data"]["viewer"]["sessions"]["nodes"][0][
        "id"
    ]
    result = GraphQLCaller.for_person(attacker)(
        "mutation($id: ID!) { revokeSession(sessionId: $id) }", id=victim_session
    )
    assert result["data"]["revokeSession"] is False
    assert victim.http.get("/ui/").status_code == 200
    victim.http.close()
    attacker.http.close()
