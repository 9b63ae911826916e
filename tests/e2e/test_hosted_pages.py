"""The hosted pages as people see them, in real Chromium at 360, 768, 1280 and 1440 px: sign in, sign up,
the code step after a wrong code, the organization chooser, a failed magic link and the demo app.

Each width is screenshotted into test-artifacts/ (hosted-<page>-<width>.png) and checked with axe;
the card sits in the middle of a desktop screen and at the top of a phone's first screen."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import DemoApp, SignInPage, axe_violations
from tests.support.factories import make_member, make_organization
from tests.support.people import unique_email, unique_ip
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

SCREENS = {360: 740, 768: 1024, 1280: 800, 1440: 900}


@pytest.fixture
def checked_page(browser: Browser) -> Iterator[Page]:
    """A page whose context lets axe-core run (bypass_csp)."""
    context: BrowserContext = browser.new_context(
        extra_http_headers={"X-Forwarded-For": unique_ip()}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def card_of(page: Page) -> Locator:
    """The hosted card: <main> in tn-auth-page's shadow root, or the server-rendered .tn-card."""
    return page.locator("main").first


def check_every_width(page: Page, name: str, *, card: bool = True) -> None:
    """At each width: a screenshot, no axe violations, and the card (if any) where it belongs."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SCREENS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)  # let layout settle after the resize
        page.screenshot(path=str(ARTIFACTS / f"hosted-{name}-{width}.png"), full_page=True)
        assert axe_violations(page) == [], f"{name} at {width} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
        if not card:
            continue
        box = card_of(page).bounding_box()
        assert box is not None
        if width == 1280 and box["height"] < height - 64:
            below = height - (box["y"] + box["height"])
            assert abs(box["y"] - below) <= 4, f"{name}: card not centred ({box['y']} above, {below} below)"
        if width == 360:
            assert 0 <= box["y"] <= 24, f"{name}: card starts at {box['y']} px at 360"


def test_the_login_page_is_a_centred_card_with_the_email_field_focused(
    checked_page: Page, server: ServerProcess, demo: object
) -> None:
    page = checked_page
    page.goto(f"{server.url}/a/auth/login")
    expect(page.get_by_test_id("email-input")).to_be_focused()
    heading = page.get_by_test_id("page-heading")
    expect(heading).to_have_text(re.compile(r"^\s*Sign in to \S"))
    app_name = heading.inner_text().strip().removeprefix("Sign in to ")
    expect(page.get_by_test_id("passkey-sign-in")).to_be_visible()
    header = page.locator("header").first
    assert header.inner_text().count(app_name) == 1, "the app is named once"
    check_every_width(page, "login")

    page.emulate_media(color_scheme="dark")  # the branding's dark scheme, followed from the system
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "hosted-login-dark-1280.png"))
    assert axe_violations(page) == [], "dark scheme"


def test_the_signup_page_offers_no_passkey(checked_page: Page, server: ServerProcess, demo: object) -> None:
    page = checked_page
    page.goto(f"{server.url}/a/auth/signup")
    expect(page.get_by_test_id("first-name-input")).to_be_focused()
    expect(page.get_by_test_id("page-heading")).to_have_text(re.compile(r"^\s*Create your .+ account\s*$"))
    expect(page.get_by_test_id("email-input")).to_be_visible()
    expect(page.get_by_test_id("passkey-sign-in")).to_have_count(0)
    expect(page.get_by_text("passkey", exact=False)).to_have_count(0)
    check_every_width(page, "signup")


def test_a_wrong_code_says_the_attempts_left_once(
    checked_page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = checked_page
    email = unique_email("wrong-once")
    page.goto(f"{server.url}/a/auth/login")
    sign_in = SignInPage(page, mail)
    sign_in.enter_email(email)
    expect(page.get_by_test_id("code-input")).to_be_focused()
    code = mail.wait_for(email).code
    sign_in.enter_code(f"{(int(code) + 1) % 1_000_000:06d}")
    alert = page.get_by_test_id("error-message")
    expect(alert).to_be_focused()
    text = sign_in.error()
    assert text.strip() == "That code is not right. 4 attempts left."
    assert len(re.findall(r"attempts? left", text)) == 1
    expect(page.get_by_text(re.compile(r"attempts? left"))).to_have_count(1)  # nowhere else on the page
    check_every_width(page, "code-wrong")


def test_the_organization_chooser_shows_choices_the_account_and_a_way_back(
    checked_page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = checked_page
    email = unique_email("chooser")
    first, second = make_organization("Harbour Roasters"), make_organization("Mill Lane Coffee")
    make_member(email, first, "member", "Cho", "Oser")
    make_member(email, second, "admin", "Cho", "Oser")
    DemoApp(page, server.url).sign_in()
    SignInPage(page, mail).sign_in(email)

    expect(page.get_by_role("heading", name="Choose an organization")).to_be_visible()
    option = page.get_by_test_id(f"org-option-{first}")
    expect(option).to_be_focused()
    expect(page.get_by_role("button", name="Harbour Roasters", exact=True)).to_be_visible()
    expect(option.locator(".avatar")).to_have_text("H")
    expect(page.get_by_test_id("signed-in-as")).to_have_text(
        re.compile(rf"Signed in as\s+{re.escape(email)}")
    )
    check_every_width(page, "organization-chooser")

    page.set_viewport_size({"width": 1280, "height": 800})
    option.hover()
    page.screenshot(path=str(ARTIFACTS / "hosted-organization-chooser-hover-1280.png"))
    page.keyboard.press("Tab")
    expect(page.get_by_test_id(f"org-option-{second}")).to_be_focused()

    page.get_by_test_id("use-another-account").click()
    expect(page).to_have_url(re.compile(r"/a/auth/login\?req="))
    expect(page.get_by_test_id("email-input")).to_be_focused()
    assert not [c for c in page.context.cookies() if c["name"] == "tenantry_session" and c["value"]]
    other = unique_email("other-account")
    make_member(other, make_organization("Other Roasters"), "member", "Otto", "Other")
    SignInPage(page, mail).sign_in(other)
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Otto Other")


def test_a_failed_magic_link_explains_in_the_card_and_leads_back_to_sign_in(
    checked_page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = checked_page
    email = unique_email("used-link")
    page.goto(f"{server.url}/a/auth/login")
    SignInPage(page, mail).enter_email(email)
    link = mail.wait_for(email).magic_link
    page.goto(link)
    expect(page).not_to_have_url(re.compile(r"/a/auth/magic"))
    page.goto(link)

    expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in link was already used")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_test_id("page-message")).to_contain_text("Each link signs you in once")
    check_every_width(page, "magic-link-error")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(ARTIFACTS / "hosted-magic-link-error-dark-1280.png"))
    assert axe_violations(page) == [], "dark scheme"
    page.emulate_media(color_scheme="light")

    page.keyboard.press("Tab")
    back = page.get_by_test_id("magic-link-sign-in")
    expect(back).to_be_focused()
    outline = back.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid", "the focus ring shows"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/a/auth/login$"))
    expect(page.get_by_test_id("email-input")).to_be_visible()


def test_the_demo_app_has_a_main_landmark_and_a_token_block_a_keyboard_can_scroll(
    checked_page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = checked_page
    app = DemoApp(page, server.url)
    email = unique_email("demo-viewer")
    make_member(email, make_organization("Demo Viewers"), "admin", "Dee", "Viewer")
    app.sign_in()
    SignInPage(page, mail).sign_in(email)
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Dee Viewer")
    expect(page.get_by_role("main")).to_have_count(1)
    check_every_width(page, "demo", card=False)

    page.set_viewport_size({"width": 360, "height": 740})
    claims = page.get_by_role("region", name="ID token claims")
    expect(claims).to_have_attribute("tabindex", "0")
    for _ in range(10):
        if claims.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(claims).to_be_focused()
    assert claims.evaluate("element => element.scrollWidth > element.clientWidth"), "wide enough to scroll"
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    # the browser scrolls smoothly: wait for it to move rather than read it at once
    page.wait_for_function("element => element.scrollLeft > 0", arg=claims.element_handle(), timeout=5_000)
