"""The portal's settings pages at four widths: screenshots for review, axe, and distinct button names."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import DomainsPage, axe_violations
from tests.e2e.test_portal import new_page, sign_in_to_portal
from tests.support.factories import make_member, make_organization
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

WIDTHS = (360, 768, 1280, 1440)
PAGES = ("organization", "domains", "session-policy", "profile", "security")


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def settle(page: Page, name: str) -> None:
    """Wait until the page's lists have loaded (no skeletons left)."""
    expect(page.get_by_test_id("page-heading")).to_be_visible()
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    if name == "security":
        expect(page.get_by_test_id(re.compile(r"^session-row-"))).to_have_count(2)
    if name == "domains":
        expect(page.get_by_test_id(re.compile(r"^domain-row-"))).to_have_count(1)


def stage(page: Page, name: str) -> None:
    """Put each page in the state worth reviewing: an unsaved domain, the custom timeouts."""
    if name == "organization":
        page.get_by_test_id("domain-input").fill("staged.example.com")
        page.get_by_test_id("domain-add").click()
        expect(page.get_by_test_id("org-unsaved")).to_be_visible()
    if name == "session-policy":
        page.get_by_test_id("policy-custom").check()
        expect(page.get_by_test_id("policy-absolute-value")).to_be_visible()


def accessible_button_names(page: Page) -> list[str]:
    """Every button's accessible name, from Chromium's own accessibility tree (shadow roots included)."""
    cdp = page.context.new_cdp_session(page)
    nodes: list[dict[str, Any]] = cdp.send("Accessibility.getFullAXTree")["nodes"]
    return [
        re.sub(r"\s+", " ", str(node.get("name", {}).get("value", ""))).strip()
        for node in nodes
        if node.get("role", {}).get("value") == "button" and not node.get("ignored")
    ]


def test_the_settings_pages_read_well_at_every_width_and_pass_axe(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization("Layout Co", ["domain_verification", "session_policy"])
    email = unique_email("layout-admin")
    make_member(email, org, "admin", "Lee", "Layout")
    sign_in_to_portal(new_page(browser, contexts), server, mail, email)  # a second session, same browser
    portal = sign_in_to_portal(new_page(browser, contexts), server, mail, email)
    page = portal.page

    portal.go("domains")
    DomainsPage(page).add("layout.example.com")

    ARTIFACTS.mkdir(exist_ok=True)
    for name in PAGES:
        portal.go(name)
        settle(page, name)
        stage(page, name)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"settings-{name}-{width}.png"), full_page=True)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        assert axe_violations(page) == [], name
        page.set_viewport_size({"width": 1280, "height": 900})
        page.emulate_media(color_scheme="dark")
        page.screenshot(path=str(ARTIFACTS / f"settings-{name}-1280-dark.png"), full_page=True)
        assert axe_violations(page) == [], f"{name} in the dark scheme"
        page.emulate_media(color_scheme="light")


def test_every_button_on_the_security_page_names_what_it_acts_on(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    email = unique_email("button-names")
    make_member(email, make_organization("Button Names"), "member", "Bo", "Buttons")
    for _ in range(2):
        sign_in_to_portal(new_page(browser, contexts), server, mail, email)
    portal = sign_in_to_portal(new_page(browser, contexts), server, mail, email)
    page = portal.page

    portal.go("security")
    settle_rows = page.get_by_test_id(re.compile(r"^session-row-"))
    expect(settle_rows).to_have_count(3)
    expect(page.get_by_test_id("session-current")).to_have_count(1)
    names = accessible_button_names(page)
    revokes = [name for name in names if name.startswith("Sign out ") and "all other" not in name]
    assert len(revokes) == 2, names
    assert len(set(names)) == len(names), names
