"""A magic link is bound to the browser that asked for it: elsewhere it asks first, naming the address.

Otherwise an attacker could mail a victim the link of the attacker's own sign-in, and the
victim's browser, on opening it, would end the victim's session and sign in as the attacker.
"""

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest

from tests.support.factories import run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

SESSION_COOKIE = "tenantry_session"
VIEWER = "{ viewer { user { email } } }"


@pytest.fixture
def attacker(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


@pytest.fixture
def victim(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


def signed_in_as(person: Person) -> str:
    body = GraphQLCaller.for_person(person)(VIEWER)
    return str(body["data"]["viewer"]["user"]["email"]) if body.get("data") else ""


def link_for_own_sign_in(person: Person, mail: MailSink, email: str) -> tuple[str, str]:
    """The person asks for a sign-in email in their browser; returns the flow id and the link."""
    started = person.start(email)
    assert started.status_code == 200, started.text
    return str(started.json()["flow"]), mail.wait_for(email).magic_link


def consumed(flow: str) -> bool:
    from db.identity import SignInCode

    row = run(SignInCode.select(SignInCode.consumed_at).where(SignInCode.id == flow).first().run())
    assert row is not None
    return row["consumed_at"] is not None


def hidden_fields(page: str) -> dict[str, str]:
    return {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    }


def test_an_attackers_link_opened_in_the_victims_browser_asks_first_and_keeps_the_victim_signed_in(
    attacker: Person, victim: Person, mail: MailSink
) -> None:
    attacker_email, victim_email = unique_email("attacker"), unique_email("victim")
    victim.sign_in(victim_email)
    victim_session = victim.http.cookies[SESSION_COOKIE]
    flow, link = link_for_own_sign_in(attacker, mail, attacker_email)

    opened = victim.http.get(link)

    assert opened.status_code == 200, opened.text
    assert 'data-testid="magic-link-confirmation"' in opened.text
    assert f"Sign in as {attacker_email}?" in opened.text, "the page names the address it signs in as"
    assert re.search(
        rf"You are signed in as <strong>{re.escape(victim_email)}</strong>\. "
        r"Continuing signs you out of that account\.",
        opened.text,
    )
    assert not [c for c in opened.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")]
    assert victim.http.cookies[SESSION_COOKIE] == victim_session
    assert signed_in_as(victim) == victim_email, "opening the link alone changed nothing"
    assert not consumed(flow), "opening the link did not spend it"


def test_confirming_another_browsers_link_needs_the_pages_csrf_token(
    attacker: Person, victim: Person, mail: MailSink
) -> None:
    victim_email = unique_email("victim")
    victim.sign_in(victim_email)
    flow, link = link_for_own_sign_in(attacker, mail, unique_email("attacker"))
    fields = hidden_fields(victim.http.get(link).text)

    forged = victim.http.post("/a/auth/magic", data={**fields, "csrf_token": "x" * 43})

    assert forged.status_code == 403
    assert not [c for c in forged.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")]
    assert signed_in_as(victim) == victim_email
    assert not consumed(flow)


def test_after_an_explicit_confirmation_another_browser_is_signed_in_as_the_named_address(
    attacker: Person, victim: Person, mail: MailSink
) -> None:
    """A person who asked on their laptop and opens the link on their phone can still go on."""
    owner_email = unique_email("two-devices")
    victim.sign_in(unique_email("someone-else"))
    flow, link = link_for_own_sign_in(attacker, mail, owner_email)
    fields = hidden_fields(victim.http.get(link).text)
    assert set(fields) == {"csrf_token", "flow", "token"}

    confirmed = victim.http.post("/a/auth/magic", data=fields)

    assert confirmed.status_code == 302, confirmed.text
    assert signed_in_as(victim) == owner_email
    assert consumed(flow)
    assert victim.http.post("/a/auth/magic", data=fields).status_code == 400, "a link works once"


def test_the_browser_that_asked_for_the_link_is_signed_in_with_one_click(
    attacker: Person, mail: MailSink
) -> None:
    email = unique_email("one-click")
    attacker.sign_in(unique_email("earlier-person"))  # even over another person's session here
    _, link = link_for_own_sign_in(attacker, mail, email)

    opened = attacker.http.get(link)

    assert opened.status_code == 302, opened.text
    assert signed_in_as(attacker) == email


def test_a_browser_without_a_session_still_sees_the_confirmation_for_a_foreign_link(
    server: ServerProcess, attacker: Person, mail: MailSink
) -> None:
    email = unique_email("foreign")
    flow, link = link_for_own_sign_in(attacker, mail, email)
    with httpx.Client(base_url=server.url) as fresh:
        opened = fresh.get(link)
    assert opened.status_code == 200
    assert f"Sign in as {email}?" in opened.text
    assert "magic-link-replaces" not in opened.text
    assert SESSION_COOKIE not in fresh.cookies
    assert not consumed(flow)


@pytest.mark.parametrize(
    ("bad", "page", "api_error"),
    [  # text no database stores is refused at the edge; the rest by the magic-link rules
        ("\x00", "bad-input", "invalid_request"),
        ("sic_\x00", "bad-input", "invalid_request"),
        ("é" * 3, "magic-link-error", "expired_code"),
        ("x" * 5000, "magic-link-error", "expired_code"),
    ],
)
def test_a_malformed_link_or_code_attempt_is_a_clear_refusal_never_a_server_error(
    attacker: Person, bad: str, page: str, api_error: str
) -> None:
    opened = attacker.http.get("/a/auth/magic", params={"flow": bad, "token": bad})
    assert opened.status_code == 400, opened.text
    assert f'data-testid="{page}"' in opened.text
    csrf = attacker.csrf()
    posted = attacker.http.post("/a/auth/magic", data={"flow": bad, "token": bad, "csrf_token": csrf})
    assert posted.status_code == 400, posted.text
    code = attacker.post_api("/a/auth/api/code", {"flow": bad, "code": "123456"})
    assert code.status_code == 400, code.text
    assert code.json()["error"] == api_error
