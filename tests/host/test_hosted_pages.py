"""The hosted pages over HTTP: a failed magic link says why and leads back to sign in, in the same card
as every hosted page; the organization step names the account and can switch it; the demo app's
page has a main landmark and a token block a keyboard can scroll; a wrong code counts once."""

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Clock
from tests.support.factories import make_member, make_organization
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

SESSION_COOKIE = "tenantry_session"


@pytest.fixture
def person(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


def magic_link_for(person: Person, mail: MailSink, email: str) -> str:
    before = mail.count(email)
    started = person.start(email)
    assert started.status_code == 200, started.text
    return mail.wait_for(email, after=before).magic_link


def assert_failed_link_page(page: httpx.Response, title: str, says: str) -> None:
    assert page.status_code == 400, page.text
    assert 'data-testid="magic-link-error"' in page.text
    assert '<link rel="stylesheet" href="/a/page.css">' in page.text, "the hosted pages' card style"
    assert f'<h1 tabindex="-1" autofocus>{title}</h1>' in page.text, "the heading is read first"
    message = re.search(r'<p class="tn-lead" data-testid="page-message" role="alert">([^<]*)</p>', page.text)
    assert message, page.text
    assert says in message.group(1)
    assert (
        '<a class="tn-button" href="/a/auth/login" data-testid="magic-link-sign-in">Back to sign in</a>'
        in (page.text)
    )
    assert SESSION_COOKIE not in page.headers.get("set-cookie", "")


def test_a_used_magic_link_says_it_was_used_and_leads_back_to_sign_in(person: Person, mail: MailSink) -> None:
    link = magic_link_for(person, mail, unique_email("used-link"))
    assert person.http.get(link).status_code == 302
    with httpx.Client(base_url=person.http.base_url, headers={"X-Forwarded-For": person.ip}) as later:
        again = later.get(link)
    assert_failed_link_page(again, "This sign-in link was already used", "Each link signs you in once")


def test_an_expired_magic_link_says_it_expired(person: Person, mail: MailSink, clock: Clock) -> None:
    link = magic_link_for(person, mail, unique_email("late-link"))
    clock.advance(601)
    assert_failed_link_page(
        person.http.get(link), "This sign-in link has expired", "work only for a few minutes"
    )


def test_a_cut_or_forged_magic_link_says_it_is_not_valid(person: Person, mail: MailSink) -> None:
    link = magic_link_for(person, mail, unique_email("cut-link"))
    forged = person.http.get(re.sub(r"token=[^&]+", "token=" + "A" * 43, link))
    assert_failed_link_page(forged, "This sign-in link is not valid", "Copy the whole link")
    cut = person.http.get(link[:-10])
    assert_failed_link_page(cut, "This sign-in link is not valid", "Copy the whole link")


def test_message_pages_name_the_app_once_beside_its_initial(server: ServerProcess) -> None:
    page = httpx.get(f"{server.url}/a/auth/magic?flow=x&token=y")
    brand = re.search(r'<div class="tn-brand">(.*?)</div>', page.text, re.S)
    assert brand, page.text
    assert re.fullmatch(
        r'<span class="tn-mark" aria-hidden="true">\w</span><p class="tn-app">[^<]+</p>', brand[1]
    )


def test_the_page_stylesheet_centres_the_card_and_shows_the_focus_ring(server: ServerProcess) -> None:
    css = httpx.get(f"{server.url}/a/page.css").text
    assert "place-items: center" in css
    assert "place-items: start center" in css, "short and narrow screens start at the top"
    assert ":focus-visible" in css


def test_a_wrong_code_names_the_attempts_left_once_in_its_message(person: Person, mail: MailSink) -> None:
    email = unique_email("count-once")
    started = person.start(email)
    code = mail.wait_for(email).code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answer = person.post_api("/a/auth/api/code", {"flow": started.json()["flow"], "code": wrong})
    assert answer.status_code == 400
    body = answer.json()
    assert body["message"] == "That code is not right. 4 attempts left."
    assert body["attempts_left"] == 4, "the count stays in the body for clients that show it their way"


def test_the_organization_step_names_the_signed_in_account(person: Person) -> None:
    email = unique_email("named")
    make_member(email, make_organization("Named One"), "member", "Nia", "Named")
    person.sign_in(email)
    listed = person.http.get("/a/auth/api/organizations")
    assert listed.status_code == 200, listed.text
    assert listed.json()["email"] == email


def test_use_another_account_ends_the_session_and_returns_to_the_email_step(person: Person) -> None:
    email = unique_email("switching")
    make_member(email, make_organization("Switch One"), "member", "Sol", "Switch")
    person.sign_in(email)
    assert person.http.get("/a/auth/api/organizations").status_code == 200

    switched = person.post_api("/a/auth/api/switch-account", {"return_to": "/ui/members"})

    assert switched.status_code == 200, switched.text
    assert switched.json() == {"location": "/a/auth/login?return_to=%2Fui%2Fmembers"}
    assert switched.headers["cache-control"] == "no-store"
    assert f"{SESSION_COOKIE}=" in switched.headers["set-cookie"]
    ended = person.http.get("/a/auth/api/organizations")
    assert ended.status_code == 401, "the session this sign-in started has ended"
    # the step's alert adds a "Sign in again" link: the sentence itself does not say it too
    assert ended.json()["message"] == "Your session has ended, so this sign-in cannot go on."


def test_use_another_account_drops_an_unsafe_return_address(person: Person) -> None:
    switched = person.post_api("/a/auth/api/switch-account", {"return_to": "//evil.example", "req": "forged"})
    assert switched.json() == {"location": "/a/auth/login"}


def test_use_another_account_needs_the_csrf_token(person: Person) -> None:
    email = unique_email("no-csrf")
    make_member(email, make_organization("Csrf One"), "member", "Cy", "Surf")
    person.sign_in(email)
    refused = person.http.post("/a/auth/api/switch-account", json={})
    assert refused.status_code == 403
    assert refused.json()["error"] == "csrf_failed"
    assert person.http.get("/a/auth/api/organizations").status_code == 200, "still signed in"


def test_the_demo_app_has_a_main_landmark(server: ServerProcess) -> None:
    page = httpx.get(f"{server.url}/demo/")
    assert page.status_code == 200
    assert re.search(r"<main>\s*<h1>Welcome to Coffee Desk</h1>", page.text)
    assert "</main></body>" in page.text
