"""Bad input at the hosted sign-in JSON API (/a/auth/api/*): codes, links, limits, sessions.

Each refusal answers with a stable error code and sends no email, creates no session and
reveals nothing about which addresses have accounts.
"""

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.conftest import Clock
from tests.host.oauth.conftest import verify_jwt
from tests.support.factories import make_app, make_member, make_organization, run
from tests.support.people import Person, authorize_url, pkce_pair, query_of, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

SESSION_COOKIE = "tenantry_session"


@pytest.fixture
def person(server: ServerProcess, mail: MailSink) -> Iterator[Person]:
    someone = Person.at(server.url, mail)
    yield someone
    someone.http.close()


@pytest.fixture
def people(server: ServerProcess, mail: MailSink) -> Iterator[list[Person]]:
    """Several browsers, each behind its own address."""
    crowd = [Person.at(server.url, mail) for _ in range(6)]
    yield crowd
    for someone in crowd:
        someone.http.close()


def sign_in_rows(**where: str) -> list[dict[str, Any]]:
    from db.identity import SignInCode

    query = SignInCode.select()
    for column, value in where.items():
        query = query.where(getattr(SignInCode, column) == value)
    return list(run(query.run()))


def started(person: Person, email: str, **body: str) -> str:
    """Request a code; returns the flow id."""
    response = person.start(email, **body)
    assert response.status_code == 200, response.text
    return str(response.json()["flow"])


def submit(person: Person, flow: str, code: str) -> httpx.Response:
    return person.post_api("/a/auth/api/code", {"flow": flow, "code": code})


def wrong(code: str, shift: int = 1) -> str:
    return f"{(int(code) + shift) % 1_000_000:06d}"


def session_cookies(response: httpx.Response) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")]


def assert_api_error(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["error"] == error, body
    assert response.headers["cache-control"] == "no-store"
    assert not session_cookies(response), "a refused request started a session"
    return body


def test_the_answer_is_the_same_for_an_existing_and_an_unknown_email(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    """No account enumeration: same status, same fields, same types, same expiry, mail to both."""
    existing = unique_email("existing")
    make_member(existing, make_organization("Known Co"))
    unknown = unique_email("unknown")
    answers = {email: person.start(email) for email in (existing, unknown)}
    shapes = set()
    for email, response in answers.items():
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["email"] == email
        assert body["flow"].startswith("sic_")
        shapes.add(
            (
                tuple(sorted(body)),
                tuple(type(v).__name__ for _, v in sorted(body.items())),
                body["expires_in"],
                response.headers["cache-control"],
                response.headers["content-type"],
            )
        )
        assert mail.wait_for(email).code
    assert len(shapes) == 1, shapes
    assert len(answers[existing].json()["flow"]) == len(answers[unknown].json()["flow"])
    as_signup = person.start(existing, intent="signup", first_name="A", last_name="B")
    assert as_signup.status_code == 200
    assert tuple(sorted(as_signup.json())) == next(iter(shapes))[0]


@pytest.mark.parametrize(
    "email",
    [
        "plainaddress",
        "missing-domain@",
        "@example.com",
        "two@@example.com",
        "a b@example.com",
        "user@example..com",
        '"quoted"@example.com',
        "user@[127.0.0.1]",
        "user@localhost",
        "x" * 310 + "@example.com",
        "   ",
    ],
)
def test_a_malformed_email_is_invalid_email_and_sends_nothing(
    server: ServerProcess, person: Person, mail: MailSink, email: str
) -> None:
    response = person.start(email)
    assert_api_error(response, 400, "invalid_email")
    assert sign_in_rows(ip=person.ip) == []
    assert mail.count(email.strip()) == 0


def test_signup_without_both_names_is_refused_and_sends_nothing(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    email = unique_email("nameless")
    for names in (
        {},
        {"first_name": "Ada"},
        {"last_name": "Lovelace"},
        {"first_name": " ", "last_name": "\t"},
    ):
        response = person.start(email, intent="signup", **names)
        assert_api_error(response, 400, "invalid_request")
    assert sign_in_rows(email=email) == []
    assert mail.count(email) == 0


def test_a_missing_or_wrong_csrf_header_is_403_and_sends_nothing(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    email = unique_email("csrf")
    person.csrf()  # the browser has its CSRF cookie; the forged requests do not echo it
    body = {"email": email, "intent": "login"}
    no_header = person.http.post("/a/auth/api/email", json=body)
    assert_api_error(no_header, 403, "csrf_failed")
    wrong_header = person.http.post("/a/auth/api/email", json=body, headers={"X-CSRF-Token": "x" * 43})
    assert_api_error(wrong_header, 403, "csrf_failed")
    with httpx.Client(base_url=person.http.base_url, headers={"X-Forwarded-For": person.ip}) as bare:
        no_cookie = bare.post("/a/auth/api/email", json=body, headers={"X-CSRF-Token": "x" * 43})
    assert_api_error(no_cookie, 403, "csrf_failed")
    assert sign_in_rows(email=email) == []
    assert mail.count(email) == 0


def test_a_wrong_code_counts_down_and_the_sixth_attempt_is_refused_even_with_the_right_code(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    email = unique_email("guess")
    flow = started(person, email)
    code = mail.wait_for(email).code
    for shift, left in zip(range(1, 5), (4, 3, 2, 1), strict=True):
        body = assert_api_error(submit(person, flow, wrong(code, shift)), 400, "invalid_code")
        assert body["attempts_left"] == left
    assert_api_error(submit(person, flow, wrong(code, 5)), 429, "too_many_attempts")
    assert_api_error(submit(person, flow, code), 429, "too_many_attempts")
    assert SESSION_COOKIE not in person.http.cookies


def test_an_expired_code_is_expired_code(
    server: ServerProcess, person: Person, mail: MailSink, clock: Clock
) -> None:
    email = unique_email("late")
    flow = started(person, email)
    code = mail.wait_for(email).code
    clock.advance(601)
    assert_api_error(submit(person, flow, code), 400, "expired_code")
    assert SESSION_COOKIE not in person.http.cookies


def test_a_used_code_cannot_be_used_twice(server: ServerProcess, person: Person, mail: MailSink) -> None:
    email = unique_email("twice")
    flow = started(person, email)
    code = mail.wait_for(email).code
    first = submit(person, flow, code)
    assert first.status_code == 200, first.text
    assert len(session_cookies(first)) == 1
    with httpx.Client(base_url=person.http.base_url, headers={"X-Forwarded-For": person.ip}) as thief:
        thief.get("/a/auth/login")
        stolen = thief.post(
            "/a/auth/api/code",
            json={"flow": flow, "code": code},
            headers={"X-CSRF-Token": thief.cookies["tenantry_csrf"]},
        )
    assert_api_error(stolen, 400, "expired_code")
    assert_api_error(submit(person, flow, code), 400, "expired_code")


def test_a_resend_keeps_the_code_already_sent_working_and_a_sign_in_ends_them_all(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    """The first email may arrive after the second: its code still works in the page, which now
    holds the new attempt; once the person is in, every code of the browser's attempts ends."""
    email = unique_email("resend")
    old_flow = started(person, email)
    old_code = mail.wait_for(email).code
    resent = person.post_api("/a/auth/api/resend", {"flow": old_flow})
    assert resent.status_code == 200, resent.text
    new_flow = resent.json()["flow"]
    assert new_flow != old_flow
    new_code = mail.wait_for(email, after=1).code
    accepted = submit(person, new_flow, old_code)
    assert accepted.status_code == 200, accepted.text
    assert len(session_cookies(accepted)) == 1
    assert_api_error(submit(person, new_flow, new_code), 400, "expired_code")
    assert_api_error(submit(person, old_flow, old_code), 400, "expired_code")
    assert_api_error(person.post_api("/a/auth/api/resend", {"flow": old_flow}), 400, "expired_code")


def test_codes_of_another_browsers_attempts_do_not_work_in_this_one(
    server: ServerProcess, people: list[Person], mail: MailSink
) -> None:
    """Only the same browser's attempts stand in for one another."""
    email = unique_email("other-browser")
    mine = started(people[0], email)
    mail.wait_for(email)
    started(people[1], email)
    theirs = mail.wait_for(email, after=1).code
    mine_code = mail.wait_for(email).code
    if theirs != mine_code:
        assert_api_error(submit(people[0], mine, theirs), 400, "invalid_code")


def test_each_guess_spends_an_attempt_of_every_code_it_is_compared_with(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    """A resend gives a guesser no more comparisons: five wrong guesses end both codes."""
    email = unique_email("resend-guess")
    old_flow = started(person, email)
    old_code = mail.wait_for(email).code
    new_flow = person.post_api("/a/auth/api/resend", {"flow": old_flow}).json()["flow"]
    new_code = mail.wait_for(email, after=1).code
    guesses = [g for g in (f"{n:06d}" for n in range(1000, 1100)) if g not in {old_code, new_code}][:5]
    for guess in guesses[:4]:
        assert_api_error(submit(person, new_flow, guess), 400, "invalid_code")
    assert_api_error(submit(person, new_flow, guesses[4]), 429, "too_many_attempts")
    assert_api_error(submit(person, new_flow, old_code), 429, "too_many_attempts")
    assert_api_error(submit(person, old_flow, old_code), 429, "too_many_attempts")
    assert [row["attempts"] for row in sorted(sign_in_rows(email=email), key=lambda r: r["id"])] == [6, 6]


def test_wrong_guesses_from_another_browser_do_not_lock_out_the_person_holding_the_right_code(
    server: ServerProcess, people: list[Person], mail: MailSink
) -> None:
    """Attempts are counted per emailed code, and a code is entered only with its attempt's id,
    which only the browser that asked for it holds: a guesser exhausts nobody's code but theirs."""
    email = unique_email("guessed")
    owner, guesser = people[0], people[1]
    flow = started(owner, email)
    code = mail.wait_for(email).code
    guessing_flow = started(guesser, email)
    for shift in range(1, 7):
        submit(guesser, guessing_flow, wrong(code, shift))
    assert_api_error(submit(guesser, guessing_flow, code), 429, "too_many_attempts")
    accepted = submit(owner, flow, code)
    assert accepted.status_code == 200, accepted.text


def test_the_magic_link_signs_in_once_and_a_second_use_shows_an_error_page(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    email = unique_email("magic")
    started(person, email)
    link = mail.wait_for(email).magic_link
    first = person.http.get(link)
    assert first.status_code == 302, first.text
    assert len(session_cookies(first)) == 1
    assert first.headers["location"].startswith("/a/auth/")
    with httpx.Client(base_url=person.http.base_url) as elsewhere:
        second = elsewhere.get(link)
    assert second.status_code == 400, second.text
    assert 'data-testid="magic-link-error"' in second.text
    assert not session_cookies(second)
    tampered = person.http.get(re.sub(r"token=[^&]+", "token=" + "A" * 43, link))
    assert tampered.status_code == 400
    assert not session_cookies(tampered)


def assert_says_when_to_try_again(response: httpx.Response) -> None:
    """The message names the wait in words a person reads, matching Retry-After."""
    wait = int(response.headers["retry-after"])
    assert 0 < wait <= 600
    assert response.json()["retry_after"] == wait
    minutes = -(-wait // 60)
    expected = (
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        if wait >= 60
        else f"Try again in {wait} second{'s' if wait != 1 else ''}."
    )
    assert expected in response.json()["message"], response.json()["message"]


def test_the_per_email_rate_limit_is_429_with_retry_after_after_five_requests(
    server: ServerProcess, people: list[Person]
) -> None:
    """Five sign-in emails per address per window, whichever addresses the requests come from."""
    email = unique_email("limited")
    for someone in people[:5]:
        assert someone.start(email).status_code == 200
    refused = people[5].start(email)
    assert_api_error(refused, 429, "rate_limited")
    assert_says_when_to_try_again(refused)
    assert "A code or link we already sent still works" in refused.json()["message"]
    assert len(sign_in_rows(email=email)) == 5
    resend = people[5].post_api("/a/auth/api/resend", {"flow": sign_in_rows(email=email)[0]["id"]})
    assert_api_error(resend, 429, "rate_limited")
    assert_says_when_to_try_again(resend)
    assert len(sign_in_rows(email=email)) == 5


def test_spent_sign_in_emails_do_not_stop_the_person_holding_a_code_from_using_it(
    server: ServerProcess, people: list[Person], mail: MailSink
) -> None:
    """Someone else spends the address's five emails: the person's resend is refused with when
    to try again, and the code they already hold still signs them in."""
    email = unique_email("spent")
    owner = people[0]
    flow = started(owner, email)
    code = mail.wait_for(email).code
    for someone in people[1:5]:
        assert someone.start(email).status_code == 200
    refused = owner.post_api("/a/auth/api/resend", {"flow": flow})
    assert_api_error(refused, 429, "rate_limited")
    assert_says_when_to_try_again(refused)
    assert "The code you already have still works" in refused.json()["message"]
    accepted = submit(owner, flow, code)
    assert accepted.status_code == 200, accepted.text


def test_a_refused_request_from_the_browser_holding_a_code_goes_on_with_that_code(
    server: ServerProcess, people: list[Person], mail: MailSink
) -> None:
    """Back on the email step after the address's emails were spent, the browser that asked
    before is sent no new email but continues with its open attempt, told when to ask again."""
    email = unique_email("held")
    owner = people[0]
    flow = started(owner, email)
    code = mail.wait_for(email).code
    for someone in people[1:5]:
        assert someone.start(email).status_code == 200
    mail.wait_for(email, after=4)

    again = owner.start(email)

    assert again.status_code == 200, again.text
    body = again.json()
    assert body["flow"] == flow
    assert 0 < body["expires_in"] <= 600
    assert re.search(r"ask for a new one in \d+ (minute|second)s?\.", body["notice"]), body["notice"]
    assert len(sign_in_rows(email=email)) == 5
    assert mail.count(email) == 5, "no sixth email"
    accepted = submit(owner, flow, code)
    assert accepted.status_code == 200, accepted.text


def test_spent_sign_in_emails_leave_the_links_already_sent_working_for_the_inbox_owner(
    server: ServerProcess, people: list[Person], mail: MailSink
) -> None:
    """An attacker spends the address's five emails from their own browsers: the owner's request
    is refused, but the newest email in their inbox signs them in (after confirming the address,
    since another browser asked for it)."""
    email = unique_email("spammed")
    owner = people[5]
    for someone in people[:5]:
        assert someone.start(email).status_code == 200
    refused = owner.start(email)
    assert_api_error(refused, 429, "rate_limited")
    assert_says_when_to_try_again(refused)
    newest = mail.wait_for(email, after=4).magic_link
    page = owner.http.get(newest)
    assert page.status_code == 200 and f"Sign in as {email}?" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    confirmed = owner.http.post("/a/auth/magic", data={**query_of(newest), "csrf_token": csrf.group(1)})
    assert confirmed.status_code == 302, confirmed.text
    assert len(session_cookies(confirmed)) == 1


def test_the_per_email_rate_limit_counts_the_address_not_its_spelling(
    server: ServerProcess, people: list[Person], mail: MailSink
) -> None:
    """The limit protects an inbox: spellings that normalize to one address share one budget
    (here U+FF45 FULLWIDTH LATIN SMALL LETTER E, which IDNA maps to "e")."""
    local = unique_email("spelled").split("@")[0]
    email = f"{local}@example.com"
    for someone in people[:5]:
        assert someone.start(email).status_code == 200
    respelled = people[5].start(f"{local}@\uff45xample.com")
    assert_api_error(respelled, 429, "rate_limited")
    assert len(sign_in_rows(email=email)) == 5


def test_the_per_ip_rate_limit_is_429(server: ServerProcess, person: Person) -> None:
    emails = [unique_email(f"ip{i}") for i in range(31)]
    for email in emails[:30]:
        response = person.start(email)
        assert response.status_code == 200, response.text
    refused = person.start(emails[30])
    assert_api_error(refused, 429, "rate_limited")
    assert_says_when_to_try_again(refused)
    assert sign_in_rows(email=emails[30]) == []


def test_every_sign_in_gets_a_new_session_cookie_with_safe_flags(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    email = unique_email("fixation")
    cookies = []
    for attempt in range(2):
        flow = started(person, email)
        response = submit(person, flow, mail.wait_for(email, after=attempt).code)
        assert response.status_code == 200, response.text
        (cookie,) = session_cookies(response)
        cookies.append(cookie)
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert "httponly" in attributes
        assert "samesite=lax" in attributes
        assert "path=/" in attributes
        assert "secure" not in attributes  # http://localhost: a Secure cookie would never come back
    tokens = [cookie.split(";")[0].split("=", 1)[1] for cookie in cookies]
    assert tokens[0] != tokens[1]
    assert person.http.cookies[SESSION_COOKIE] == tokens[1]
    with httpx.Client(base_url=person.http.base_url, cookies={SESSION_COOKIE: tokens[0]}) as old:
        assert old.get("/a/auth/api/organizations").status_code == 401, "the replaced session lives on"
    assert person.http.get("/a/auth/api/organizations").status_code == 200


def test_the_code_and_link_token_are_stored_hashed(
    server: ServerProcess, person: Person, mail: MailSink
) -> None:
    email = unique_email("hashed")
    flow = started(person, email)
    message = mail.wait_for(email)
    link_token = query_of(message.magic_link)["token"]
    (row,) = sign_in_rows(id=flow)
    assert re.fullmatch(r"[0-9a-f]{64}", row["code_hash"])
    for column, value in row.items():
        if isinstance(value, str):
            assert message.code not in value, column
            assert link_token not in value, column
    assert message.code != row["code_hash"]


def test_a_user_in_several_organizations_chooses_one_and_it_reaches_the_id_token(
    server: ServerProcess, person: Person
) -> None:
    email = unique_email("multi")
    first_org, second_org = make_organization("First Co"), make_organization("Second Co")
    make_member(email, first_org)
    make_member(email, second_org)
    not_mine = make_organization("Someone Else Co")
    app = make_app()
    verifier, challenge = pkce_pair()
    start = person.http.get(
        authorize_url(
            app.client_id,
            app.redirect_uri,
            state="orgs",
            code_challenge=challenge,
            code_challenge_method="S256",
        )
    )
    req = query_of(start.headers["location"])["req"]
    location = person.sign_in(email, req=req)
    resumed = person.http.get(location)
    assert resumed.status_code == 302, resumed.text
    step = resumed.headers["location"]
    assert step.startswith("/a/auth/login?"), step
    assert query_of(step)["step"] == "organization"

    listed = person.http.get("/a/auth/api/organizations")
    assert listed.status_code == 200, listed.text
    assert {o["id"]: o["name"] for o in listed.json()["organizations"]} == {
        first_org: "First Co",
        second_org: "Second Co",
    }

    refused = person.post_api(
        "/a/auth/api/organization", {"organization_id": not_mine, "req": query_of(step)["req"]}
    )
    assert_api_error(refused, 400, "invalid_request")
    for bogus in ("", "org_DOESNOTEXIST"):
        assert_api_error(
            person.post_api("/a/auth/api/organization", {"organization_id": bogus, "req": req}),
            400,
            "invalid_request",
        )

    chosen = person.post_api(
        "/a/auth/api/organization", {"organization_id": second_org, "req": query_of(step)["req"]}
    )
    assert chosen.status_code == 200, chosen.text
    final = person.follow(chosen.json()["location"], stop_at=app.redirect_uri)
    params = query_of(final.headers["location"])
    assert params["state"] == "orgs"
    tokens = httpx.post(
        f"{server.url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": params["code"],
            "redirect_uri": app.redirect_uri,
            "code_verifier": verifier,
        },
        auth=(app.client_id, app.client_secret or ""),
    ).json()
    claims = verify_jwt(server.url, tokens["id_token"])
    assert claims["org_id"] == second_org
    assert claims["org_name"] == "Second Co"


@pytest.mark.parametrize(
    "return_to",
    [
        "https://evil.example.net/x",
        "//evil.example.net/x",
        "/\\evil.example.net/x",
        "/\t/evil.example.net/x",
        "/\n/evil.example.net/x",
    ],
)
def test_return_to_never_leads_off_this_origin(
    server: ServerProcess, person: Person, mail: MailSink, return_to: str
) -> None:
    """The location after sign-in is followed by the page's script (`new URL(location, base)`),
    and the WHATWG URL parser drops tabs and newlines: "/<TAB>/evil" becomes "//evil", another
    host. Python's urljoin strips them the same way, so it stands in for the browser here."""
    email = unique_email("return")
    make_member(email, make_organization("Return Co"))
    flow = started(person, email, return_to=return_to)
    response = submit(person, flow, mail.wait_for(email).code)
    assert response.status_code == 200, response.text
    location = response.json()["location"]
    followed = urlsplit(urljoin(f"{server.url}/a/auth/login", location))
    assert followed.netloc == urlsplit(server.url).netloc, f"sent to {followed.geturl()!r}"
    page = person.http.get("/a/auth/login", params={"return_to": return_to})
    embedded = re.search(r'id="tn-config">(.*?)</script>', page.text, re.S)
    assert embedded is not None
    config = json.loads(embedded.group(1))
    if config["returnTo"] is not None:
        shown = urlsplit(urljoin(f"{server.url}/a/auth/login", config["returnTo"]))
        assert shown.netloc == urlsplit(server.url).netloc, f"page would send to {shown.geturl()!r}"
