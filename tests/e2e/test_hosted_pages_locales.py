"""The hosted sign-in page in the language asked for: the application's ui_locales (through the real
/oauth/authorize), else the browser's, in real Chromium. Arabic lays the card out right to left.

Screenshots go to test-artifacts/ (hosted-login-<locale>-<width>.png); each is checked with axe."""

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import axe_violations
from tests.support.factories import App, make_app
from tests.support.people import authorize_url, unique_ip
from tests.support.server import ServerProcess

WIDTHS = {360: 740, 1280: 800}

OpenPage = Callable[[str], Page]


@pytest.fixture
def browser_in(browser: Browser) -> Iterator[OpenPage]:
    """Opens a page in a browser whose language (navigator.languages, Accept-Language) is `locale`;
    bypass_csp lets axe-core run."""
    contexts: list[BrowserContext] = []

    def open_page(locale: str) -> Page:
        context = browser.new_context(
            locale=locale, extra_http_headers={"X-Forwarded-For": unique_ip()}, bypass_csp=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def app(server: ServerProcess) -> App:
    return make_app()


def start_sign_in(page: Page, server: ServerProcess, app: App, **extra: str) -> None:
    """The application sends the browser to /oauth/authorize, which hands it to the hosted login."""
    page.goto(f"{server.url}{authorize_url(app.client_id, app.redirect_uri, **extra)}")
    expect(page).to_have_url(re.compile(r"/a/auth/login\?"))


def check_widths(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)  # let layout settle after the resize
        page.screenshot(path=str(ARTIFACTS / f"hosted-login-{name}-{width}.png"), full_page=True)
        assert axe_violations(page) == [], f"{name} at {width} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"


def text_box(element: Locator) -> dict[str, float]:
    """Where an element's words are drawn (a grid item's own box spans the whole row)."""
    box: dict[str, float] = element.evaluate(
        """element => {
          const range = document.createRange();
          range.selectNodeContents(element);
          const { x, width } = range.getBoundingClientRect();
          return { x, width };
        }"""
    )
    return box


def expect_german(page: Page) -> None:
    expect(page.get_by_test_id("page-heading")).to_have_text(re.compile(r"^\s*Bei \S.* anmelden\s*$"))
    expect(page.locator('label[for="email"]')).to_have_text("E-Mail-Adresse")
    expect(page.get_by_test_id("email-submit")).to_have_text("Weiter")
    expect(page.get_by_test_id("switch-to-signup")).to_have_text("Konto erstellen")
    expect(page).to_have_title(re.compile(r"^Anmelden · \S"))
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.evaluate("document.documentElement.dir") == "ltr"


def test_ui_locales_de_from_the_application_shows_the_login_page_in_german(
    browser_in: OpenPage, server: ServerProcess, app: App
) -> None:
    page = browser_in("en-US")
    start_sign_in(page, server, app, ui_locales="fr de")
    expect_german(page)
    page.get_by_test_id("email-submit").click()
    expect(page.get_by_test_id("email-error")).to_have_text("Geben Sie Ihre E-Mail-Adresse ein.")
    check_widths(page, "de")


def test_a_german_browser_without_ui_locales_gets_german(
    browser_in: OpenPage, server: ServerProcess, app: App
) -> None:
    page = browser_in("de-DE")
    start_sign_in(page, server, app)
    expect_german(page)


def test_the_application_s_ui_locales_wins_over_the_browser(
    browser_in: OpenPage, server: ServerProcess, app: App
) -> None:
    page = browser_in("de-DE")
    start_sign_in(page, server, app, ui_locales="en")
    expect(page.get_by_test_id("page-heading")).to_have_text(re.compile(r"^\s*Sign in to \S"))
    assert page.evaluate("document.documentElement.lang") == "en"


def test_ui_locales_ar_lays_the_card_out_right_to_left(
    browser_in: OpenPage, server: ServerProcess, app: App
) -> None:
    page = browser_in("en-US")
    start_sign_in(page, server, app, ui_locales="ar")
    expect(page.get_by_test_id("page-heading")).to_have_text(re.compile(r"^\s*تسجيل الدخول إلى \S"))
    expect(page.get_by_test_id("email-submit")).to_have_text("متابعة")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)
        label = text_box(page.locator('label[for="email"]'))
        field = page.get_by_test_id("email-input").bounding_box()
        assert field is not None
        # Mirrored: the label's words start at the field's right edge and end well before its left.
        assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) <= 2, f"at {width} px"
        assert label["x"] > field["x"] + 16, f"label not right-aligned at {width} px"
    check_widths(page, "ar")
