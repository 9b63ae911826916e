"""The organization step in real Chromium: a sign-in shows who invites the person; they decline one
invitation and accept the other with the keyboard, and the token names the accepted organization."""

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import DemoApp, OrganizationStep, SignInPage, axe_violations
from tests.support.factories import make_invitation, make_organization
from tests.support.people import unique_email, unique_ip
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture
def checked_page(browser: Browser) -> Iterator[Page]:
    """A page whose context lets axe-core run (bypass_csp)."""
    context: BrowserContext = browser.new_context(
        extra_http_headers={"X-Forwarded-For": unique_ip()}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_signed_in_person_declines_one_invitation_and_accepts_the_other_in_the_organization_step(
    checked_page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = checked_page
    email = unique_email("answering")
    bakery, mill = make_organization("Harbour Bakery"), make_organization("Mill Lane")
    to_bakery, to_mill = make_invitation(bakery, email), make_invitation(mill, email)
    mail.wait_for(email, after=1)  # both invitation emails are in, so the code is the third

    app = DemoApp(page, server.url)
    app.sign_in(prompt="create")
    SignInPage(page, mail).enter_email(email, first_name="Ann", last_name="Swer")
    SignInPage(page, mail).enter_code_from_mail(email, after=2)

    step = OrganizationStep(page)
    expect(page.get_by_role("heading", name="Invitations")).to_be_visible()
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(email)  # whose answer this is
    expect(page.get_by_test_id("use-another-account")).to_be_visible()
    expect(step.invitation(to_bakery)).to_contain_text("Harbour Bakery invites you to join as Member.")
    expect(step.invitation(to_mill)).to_contain_text("Mill Lane invites you to join as Member.")
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "organization-step-invitations.png"), full_page=True)

    step.decline(to_mill).click()
    expect(step.status()).to_have_text("You declined the invitation to Mill Lane.")
    expect(step.invitation(to_mill)).to_have_count(0)

    accept = page.get_by_role("button", name="Accept the invitation to Harbour Bakery")
    expect(accept).to_be_focused()  # focus lands on what is left to answer
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Harbour Bakery")
    claims = json.loads(app.claims())
    assert claims["org_id"] == bakery
    assert claims["roles"] == ["member"]
    assert re.search(r"/demo/", page.url)
