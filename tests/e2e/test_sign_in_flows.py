"""The whole sign-in journey in real Chromium: demo app → authorize → hosted pages → back with tokens."""

import json
import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import DemoApp, MagicLinkConfirmation, SignInPage
from tests.support.people import unique_email, unique_ip
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

ADMIN = "ada@acme-coffee.example.com"


def test_a_new_user_signs_up_from_the_demo_app_and_returns_with_claims(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    app = DemoApp(page, server.url)
    app.open()
    page.get_by_test_id("demo-sign-up").click()
    expect(page).to_have_url(re.compile(r"/a/auth/signup\?"))
    email = unique_email("grace")
    SignInPage(page, mail).sign_in(email, first_name="Grace", last_name="Hopper")
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Grace Hopper")
    claims = json.loads(app.claims())
    assert claims["email"] == email
    assert claims["email_verified"] is True
    assert claims["iss"] == server.url
    assert claims["sid"].startswith("ses_")


def test_a_member_signs_in_and_the_tokens_carry_the_organization(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    app = DemoApp(page, server.url)
    app.sign_in()
    expect(page).to_have_url(re.compile(r"/a/auth/login\?"))
    SignInPage(page, mail).sign_in(ADMIN)
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Acme Coffee")
    claims = json.loads(app.claims())
    assert claims["org_name"] == "Acme Coffee"
    assert claims["roles"] == ["admin"]
    assert "sk_org_users_delete" in claims["permissions"]


def test_prompt_none_reuses_the_session_and_prompt_login_asks_again(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    app = DemoApp(page, server.url)
    email = unique_email("linus")
    app.sign_in(prompt="create")
    SignInPage(page, mail).sign_in(email, first_name="Linus", last_name="Lee")
    expect(page.get_by_test_id("demo-welcome")).to_be_visible()
    first_sid = json.loads(app.claims())["sid"]

    app.sign_in(prompt="none")
    expect(page.get_by_test_id("demo-welcome")).to_be_visible()
    assert json.loads(app.claims())["sid"] == first_sid, "prompt=none must not create a new session"

    first_auth_time = json.loads(app.claims())["auth_time"]
    first_cookie = session_cookie(page)
    app.sign_in(prompt="login")
    expect(page).to_have_url(re.compile(r"/a/auth/login\?"))
    SignInPage(page, mail).sign_in(email)
    expect(page.get_by_test_id("demo-welcome")).to_be_visible()
    claims = json.loads(app.claims())
    # The same person proving themselves again re-authenticates the session (like Keycloak's SSO
    # session): `sid` stays, so apps keep their tokens, but the proof and the cookie are new.
    assert claims["sid"] == first_sid
    assert claims["auth_time"] >= first_auth_time
    assert session_cookie(page) != first_cookie, "the session token rotates at every sign-in"


def session_cookie(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "tenantry_session")


def test_logout_ends_the_session_and_prompt_none_then_reports_login_required(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    app = DemoApp(page, server.url)
    app.sign_in(prompt="create")
    SignInPage(page, mail).sign_in(unique_email("ada"), first_name="Ada", last_name="Lovelace")
    expect(page.get_by_test_id("demo-welcome")).to_be_visible()
    page.get_by_test_id("demo-sign-out").click()
    expect(page.get_by_test_id("demo-sign-in")).to_be_visible()
    app.sign_in(prompt="none")
    expect(page.get_by_test_id("demo-error")).to_contain_text("login_required")


def test_a_wrong_code_shows_an_error_and_the_right_one_still_works(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    app = DemoApp(page, server.url)
    app.sign_in()
    sign_in = SignInPage(page, mail)
    before = mail.count(ADMIN)
    sign_in.enter_email(ADMIN)
    code = mail.wait_for(ADMIN, after=before).code
    sign_in.enter_code("000000" if code != "000000" else "111111")
    message = sign_in.error()
    assert re.findall(r"\d+ attempts? left", message) == ["4 attempts left"], message  # said once
    sign_in.enter_code(code)
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Ada Admin")


def test_the_magic_link_signs_in_the_same_browser(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    app = DemoApp(page, server.url)
    app.sign_in()
    before = mail.count(ADMIN)
    SignInPage(page, mail).enter_email(ADMIN)
    link = mail.wait_for(ADMIN, after=before).magic_link
    page.goto(link)
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Ada Admin")


def test_a_user_in_two_organizations_chooses_one_and_the_token_says_which(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    from tests.support.factories import make_member, make_organization

    email = unique_email("two-orgs")
    first = make_organization("Roastery One")
    second = make_organization("Roastery Two")
    make_member(email, first, "member", "Tess", "Two")
    make_member(email, second, "admin", "Tess", "Two")
    app = DemoApp(page, server.url)
    app.sign_in()
    SignInPage(page, mail).sign_in(email)
    expect(page.get_by_role("heading", name="Choose an organization")).to_be_visible()
    page.get_by_test_id(f"org-option-{second}").click()
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Roastery Two")
    claims = json.loads(app.claims())
    assert claims["org_id"] == second
    assert claims["roles"] == ["admin"]


def test_a_new_user_at_an_allowed_domain_joins_the_organization_while_signing_up(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    import secrets

    from resolvers.organizations import update_organization_settings
    from resolvers.principal import SystemPrincipal
    from tests.support.factories import make_organization, run

    domain = f"beans-{secrets.token_hex(3)}.example.com"
    organization_id = make_organization("Bean Counters")
    run(
        update_organization_settings(SystemPrincipal("test"), organization_id, allowed_email_domains=[domain])
    )
    app = DemoApp(page, server.url)
    app.sign_in(prompt="create")
    SignInPage(page, mail).sign_in(f"newbie@{domain}", first_name="New", last_name="Bie")
    expect(page.get_by_role("heading", name="Organizations you can join")).to_be_visible()
    expect(page.get_by_test_id("org-skip")).to_be_visible()
    page.get_by_test_id(f"org-join-{organization_id}").click()
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Bean Counters")
    claims = json.loads(app.claims())
    assert claims["org_id"] == organization_id
    assert claims["roles"] == ["member"]


def test_a_magic_link_from_another_browser_asks_before_replacing_the_signed_in_person(
    page: Page, browser: Browser, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    """The attacker mails the victim the link of the attacker's own sign-in: the victim's browser
    names the address and keeps the victim signed in until they choose to continue."""
    app = DemoApp(page, server.url)
    app.sign_in()
    SignInPage(page, mail).sign_in(ADMIN)
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Ada Admin")

    attacker_email = unique_email("mallory")
    attacker = browser.new_context(extra_http_headers={"X-Forwarded-For": unique_ip()})
    try:
        attacker_page = attacker.new_page()
        attacker_page.goto(f"{server.url}/a/auth/signup")
        SignInPage(attacker_page, mail).enter_email(attacker_email, first_name="Mal", last_name="Lory")
        link = mail.wait_for(attacker_email).magic_link
    finally:
        attacker.close()

    page.goto(link)
    confirmation = MagicLinkConfirmation(page)
    expect(confirmation.heading()).to_have_text(f"Sign in as {attacker_email}?")
    expect(confirmation.replaces()).to_contain_text(f"You are signed in as {ADMIN}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "magic-link-confirmation.png"), full_page=True)
    app.sign_in(prompt="none")
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Ada Admin")
    assert json.loads(app.claims())["email"] == ADMIN

    page.goto(link)
    confirmation.confirm().focus()
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/a/auth/magic"))
    app.sign_in(prompt="none")
    expect(page.get_by_test_id("demo-welcome")).to_be_visible()
    assert json.loads(app.claims())["email"] == attacker_email
