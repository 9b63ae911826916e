"""The portal's frame in real Chromium: a one-line header, the drawer on phones, the skip link, the
organization menu that only switches when asked, the account menu, and no layout shift on load."""

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.pages import Portal, SignInPage, axe_violations
from tests.e2e.test_portal import contexts, new_page, shot, sign_in_to_portal
from tests.support.factories import make_member, make_organization
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

__all__ = ["contexts"]  # the fixture, shared with test_portal

WIDTHS = (360, 768, 1280, 1440)

# What the browser counts as layout shift since the page started loading (input-caused excluded).
CUMULATIVE_LAYOUT_SHIFT = """
() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
  setTimeout(() => resolve(total), 500);
})
"""


def _person_in_two_organizations(prefix: str) -> str:
    email = unique_email(prefix)
    make_member(email, make_organization(f"{prefix.title()} Roasters"), "admin", "Ada", "Lovelace")
    make_member(email, make_organization(f"{prefix.title()} Tea House"), "admin", "Ada", "Lovelace")
    return email


def _sign_in_choosing(page: Page, server: ServerProcess, mail: MailSink, email: str) -> Portal:
    """Sign in as someone in two organizations: the hosted chooser asks which; take the first."""
    portal = Portal(page, server.url)
    portal.open("/ui/")
    SignInPage(page, mail).sign_in(email)
    page.get_by_role("list", name="Your organizations").get_by_role("button").first.click()
    expect(page).to_have_url(re.compile(r"/ui/"))
    expect(page.get_by_test_id("page-heading")).to_be_visible()
    return portal


def _settled(page: Page) -> None:
    """Wait for opening animations to end: axe measures contrast of what is on screen now.
    `document.getAnimations()` leaves out shadow roots, where Shoelace animates: walk them."""
    page.wait_for_function(
        """() => {
          const roots = [document];
          for (let i = 0; i < roots.length; i++) {
            for (const element of roots[i].querySelectorAll('*')) {
              if (element.shadowRoot) roots.push(element.shadowRoot);
            }
          }
          return roots.every((root) => root.getAnimations().every((a) => a.playState !== 'running'));
        }"""
    )


def _menus_closed(page: Page) -> None:
    """Wait until every menu has finished closing (Shoelace ends a hide after its animation)."""
    page.wait_for_function(
        """() => [...document.querySelector('tn-portal').shadowRoot.querySelectorAll('sl-dropdown')]
            .every((menu) => !menu.open && !menu.shadowRoot.querySelector('sl-popup').active)"""
    )


def _switch_requests(page: Page) -> list[str]:
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.url) if "switchOrganization" in (request.post_data or "") else None
        ),
    )
    return sent


def test_on_a_phone_the_header_is_one_line_and_the_navigation_is_a_drawer(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 360, "height": 740})
    portal = _sign_in_choosing(page, server, mail, _person_in_two_organizations("phone"))

    header = page.locator("tn-portal").locator("header.bar")
    box = header.bounding_box()
    assert box is not None and box["height"] <= 64, box
    heading = page.get_by_test_id("page-heading").bounding_box()
    assert heading is not None and heading["y"] < 140, f"the page starts right under the header: {heading}"
    expect(portal.nav("profile")).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"no page-level horizontal scroll at 360 px (scrollWidth {width})"
    shot(page, "shell-360px")

    menu = page.get_by_test_id("nav-menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(portal.nav("security")).to_be_visible()
    expect(page.get_by_test_id("org-switcher")).to_be_visible()
    _settled(page)
    assert axe_violations(page) == []
    shot(page, "shell-360px-drawer")

    portal.nav("security").click()
    expect(page).to_have_url(re.compile(r"/ui/security$"))
    expect(portal.nav("security")).to_be_hidden()
    expect(page.get_by_test_id("page-heading")).to_have_text("Security")
    expect(page.get_by_test_id("page-heading")).to_be_focused()

    menu.click()
    expect(portal.nav("profile")).to_be_visible()
    page.keyboard.press("Escape")
    expect(portal.nav("profile")).to_be_hidden()
    expect(menu).to_be_focused()


def test_arrow_keys_on_the_organization_menu_never_switch_only_a_choice_does(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 1280, "height": 800})
    portal = _sign_in_choosing(page, server, mail, _person_in_two_organizations("keys"))
    sent = _switch_requests(page)
    switcher = page.get_by_test_id("org-switcher")
    before = page.get_by_test_id("active-organization").inner_text()

    switcher.focus()
    for key in ("ArrowDown", "ArrowUp", "ArrowDown"):
        page.keyboard.press(key)  # opens the menu and moves within it: nothing is chosen
    page.keyboard.press("Escape")
    expect(switcher).to_be_focused()
    page.wait_for_timeout(300)
    assert sent == []
    expect(page.get_by_test_id("active-organization")).to_have_text(before)

    switcher.press("Enter")
    other = page.get_by_role("menuitemcheckbox", checked=False)
    expect(other).to_have_count(1)
    _settled(page)
    assert axe_violations(page) == []
    shot(page, "shell-1280px-organizations")
    other.click()
    expect(page.get_by_test_id("active-organization")).not_to_have_text(before)
    assert len(sent) == 1
    expect(page.get_by_test_id("portal-status")).to_contain_text("Switched to")
    portal.go("profile")
    expect(page.get_by_test_id("page-heading")).to_have_text("Profile")


def test_the_skip_link_comes_first_and_the_account_menu_signs_out(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = new_page(browser, contexts)
    email = unique_email("skip")
    make_member(email, make_organization("Skip Co"), "member", "Sam", "Skip")
    portal = sign_in_to_portal(page, server, mail, email)
    page.get_by_test_id("page-heading").evaluate("heading => heading.blur()")

    page.keyboard.press("Tab")
    skip = page.get_by_test_id("skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("page-heading")).to_be_focused()

    page.get_by_test_id("account-menu").click()
    expect(page.get_by_role("menu", name="Account")).to_contain_text(email)
    _settled(page)
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("account-menu")).to_be_focused()
    _menus_closed(page)
    portal.sign_out()
    expect(page).to_have_url(re.compile(r"/demo/"))


def test_the_portal_loads_without_layout_shift_at_every_width(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    page = new_page(browser, contexts)
    portal = _sign_in_choosing(page, server, mail, _person_in_two_organizations("steady"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        portal.open("/ui/profile")
        expect(page.get_by_test_id("page-heading")).to_have_text("Profile")
        shift = page.evaluate(CUMULATIVE_LAYOUT_SHIFT)
        assert shift < 0.01, f"cumulative layout shift {shift:.3f} at {width} px"
        shot(page, f"shell-{width}px")
