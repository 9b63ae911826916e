"""The Members page in real Chromium: a table that never breaks a word at 1280 and 1440 px, a
compact list at 360 px, the Invite, Change role and Remove dialogs (axe, keyboard, focus), and
Shoelace under the real CSP. Screenshots at 360, 768, 1280 and 1440 px go to test-artifacts/."""

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import Portal, SignInPage, axe_violations
from tests.support.factories import make_member, make_organization
from tests.support.people import unique_ip
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

LONG_PEOPLE = [
    ("Maximiliana", "Featherstonehaugh-Cholmondeley"),
    ("Bartholomew", "Oyelaran-Vasquez de la Fontaine"),
    ("Grace", "Hopper"),
    ("Ada", "Lovelace"),
    ("Wolfgang Amadeus", "Schwarzenberger-Hohenlohe"),
    ("Linus", "Pauling"),
    ("Chimamanda", "Adichie-Okonkwo"),
    ("Srinivasa", "Ramanujan Aiyangar"),
    ("Hedy", "Lamarr"),
    ("Katherine", "Johnson"),
    ("Xiuying", "Zhang"),
]

# In each text node of the table, each word's Range must lie on one line box: a word broken
# mid-word has two client rects on two different lines.
BROKEN_WORDS = """
() => {
  const table = document.querySelector('tn-portal').shadowRoot.querySelector('tn-members')
    .shadowRoot.querySelector('tn-member-table').shadowRoot.querySelector('table');
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  const broken = [];
  let checked = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.checkVisibility()) continue;
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      checked += 1;
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return { checked, broken };
}
"""


@dataclass
class Team:
    org: str
    admin_email: str
    emails: list[str]
    domain: str


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


@pytest.fixture
def team() -> Team:
    tag = secrets.token_hex(3)
    org = make_organization(f"Members Page {tag}")
    domain = f"very-long-subsidiary-name-{tag}.example.com"
    admin_email = f"administrator.of.everything.{tag}@{domain}"
    make_member(admin_email, org, "admin", "Augusta Ada", "King-Noel, Countess of Lovelace")
    emails = []
    for first, last in LONG_PEOPLE:
        email = f"{first}.{last}".lower().replace(" ", "-") + f".{tag}@{domain}"
        make_member(email, org, "member", first, last)
        emails.append(email)
    return Team(org, admin_email, emails, domain)


def new_page(browser: Browser, contexts: list[BrowserContext], *, bypass_csp: bool = True) -> Page:
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": unique_ip()}, bypass_csp=bypass_csp)
    context.set_default_timeout(15_000)
    contexts.append(context)
    return context.new_page()


def sign_in(page: Page, server: ServerProcess, mail: MailSink, email: str) -> Portal:
    portal = Portal(page, server.url)
    portal.open("/ui/members")
    expect(page).to_have_url(re.compile(r"/a/auth/(login|signup)\?"))
    SignInPage(page, mail).sign_in(email)
    expect(page).to_have_url(re.compile(r"/ui/"))
    portal.open("/ui/members")
    return portal


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"members-{name}.png"), full_page=True)


def focused_test_id(page: Page) -> str | None:
    """The data-testid of the focused element, looking through shadow roots."""
    found: str | None = page.evaluate(
        """() => {
          let active = document.activeElement;
          while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
          for (let node = active; node; node = node.parentElement ?? node.getRootNode().host) {
            if (node.dataset?.testid) return node.dataset.testid;
          }
          return null;
        }"""
    )
    return found


def wait_until_still(page: Page) -> None:
    """Wait for Shoelace's animations (a dialog fading in, a menu closing) to end: they run in
    shadow roots, which document.getAnimations() does not list, so each root is asked."""
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


def axe_when_still(page: Page) -> list[dict[str, Any]]:
    """axe once the page is still: a dialog fading in has no contrast yet."""
    wait_until_still(page)
    return axe_violations(page)


def focus_is_inside(page: Page, element_id: str) -> bool:
    """Whether the focused element lies inside the element with `element_id`, across shadow roots."""
    return bool(
        page.evaluate(
            """(wanted) => {
              let active = document.activeElement;
              while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
              for (let node = active; node; node = node.parentElement ?? node.getRootNode().host) {
                if (node.id === wanted) return true;
              }
              return false;
            }""",
            element_id,
        )
    )


def wait_for_focus(page: Page, test_id: str) -> None:
    """Wait until the focused element (or the shadow host around it) has `test_id`."""
    page.wait_for_function(
        """(wanted) => {
          let active = document.activeElement;
          while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
          for (let node = active; node; node = node.parentElement ?? node.getRootNode().host) {
            if (node.dataset?.testid) return node.dataset.testid === wanted;
          }
          return false;
        }""",
        arg=test_id,
        timeout=5_000,
    )


def test_the_members_table_never_breaks_a_word_and_fits_a_phone(
    browser: Browser,
    contexts: list[BrowserContext],
    server: ServerProcess,
    mail: MailSink,
    demo: object,
    team: Team,
) -> None:
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 1280, "height": 900})
    portal = sign_in(page, server, mail, team.admin_email)
    for email in team.emails:
        expect(portal.member_row(email)).to_be_visible()
    assert axe_violations(page) == []

    for width in (1024, 1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)
        result = page.evaluate(BROKEN_WORDS)
        assert result["checked"] > 50
        assert result["broken"] == [], f"words broken mid-word at {width} px: {result['broken']}"
        shot(page, f"{width}px")

    page.set_viewport_size({"width": 768, "height": 900})
    page.wait_for_timeout(200)
    shot(page, "768px")

    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(200)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2000, f"ten members at 360 px make a {height} px page"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"no page-level horizontal scroll at 360 px (scrollWidth {width})"
    invite = page.get_by_test_id("invite-open")
    box = invite.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 740, "the Invite button is in the first screen at 360 px"
    assert axe_violations(page) == []
    shot(page, "360px")


def test_the_dialogs_are_keyboard_operable_accessible_and_a_role_change_needs_the_confirm(
    browser: Browser,
    contexts: list[BrowserContext],
    server: ServerProcess,
    mail: MailSink,
    demo: object,
    team: Team,
) -> None:
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 1280, "height": 900})
    portal = sign_in(page, server, mail, team.admin_email)
    grace = next(email for email in team.emails if email.startswith("grace"))
    expect(portal.member_row(grace)).to_contain_text("Member")

    # The ⋯ menu opens with Enter and with ArrowDown, and names the person.
    actions = portal.member_actions(grace)
    expect(actions).to_have_attribute("label", "Actions for Grace Hopper")
    actions.evaluate("(button) => button.focus()")  # the host's focus() reaches its inner button
    page.keyboard.press("Enter")
    expect(page.get_by_test_id(f"member-change-role-{grace}")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id(f"member-change-role-{grace}")).to_be_hidden()
    wait_for_focus(page, f"member-actions-{grace}")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id(f"member-change-role-{grace}")).to_be_visible()
    wait_for_focus(page, f"member-change-role-{grace}")

    # Change role by keyboard: choosing with the arrows changes nothing until the confirm.
    page.keyboard.press("Enter")
    confirm = page.get_by_test_id("member-role-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_be_disabled()
    expect(page.get_by_test_id("member-role-option-member")).to_be_focused()
    sent: list[str] = []
    page.on(
        "request", lambda request: sent.append(request.post_data or "") if "graphql" in request.url else None
    )
    page.keyboard.press("ArrowUp")  # Admin comes first
    expect(page.get_by_test_id("member-role-option-admin")).to_be_checked()
    page.wait_for_timeout(300)
    assert not [body for body in sent if "changeMemberRole" in body], "an arrow key changed the role"
    expect(confirm).to_have_text(re.compile(r"Make Grace Hopper Admin"))
    assert axe_when_still(page) == []
    shot(page, "change-role-dialog")

    # The dialog keeps focus inside: Tab from the last button comes back into the dialog.
    for _ in range(6):
        page.keyboard.press("Tab")
        assert focus_is_inside(page, "role-dialog"), f"Tab left the dialog for {focused_test_id(page)}"
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    wait_for_focus(page, f"member-actions-{grace}")
    expect(portal.member_row(grace)).to_contain_text("Member")
    assert not [body for body in sent if "changeMemberRole" in body]

    # Now for real, confirmed.
    portal.change_role(grace, "admin")
    expect(portal.member_row(grace)).to_contain_text("Admin")
    expect(page.get_by_test_id("toast").last).to_contain_text("Grace Hopper is now Admin")

    # Remove: the dialog names the person and says what happens; Cancel is focused first.
    portal.choose_member_action(grace, "remove")
    question = page.get_by_test_id("member-remove-question")
    expect(question).to_contain_text("Grace Hopper")
    expect(question).to_contain_text("lose access to this organization")
    expect(question).to_contain_text("sessions here end")
    expect(page.get_by_test_id("member-remove-cancel")).to_be_focused()
    assert axe_when_still(page) == []
    shot(page, "remove-dialog")
    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "remove-dialog-360px")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_test_id("member-remove-cancel").click()
    wait_for_focus(page, f"member-actions-{grace}")

    # Invite: several addresses, per-address results in plain words.
    page.get_by_test_id("invite-open").click()
    expect(page.get_by_test_id("invite-emails")).to_be_focused()
    new_person = f"new-person-{secrets.token_hex(3)}@{team.domain}"
    page.get_by_test_id("invite-emails").fill(f"{new_person}, {grace}\nnot-an-address")
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_test_id("invite-emails-error")).to_contain_text(
        "not-an-address is not an email address"
    )
    page.get_by_test_id("invite-emails").fill(f"{new_person}, {grace}")
    assert axe_when_still(page) == []
    shot(page, "invite-dialog")
    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "invite-dialog-360px")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_test_id(f"invite-sent-{new_person}")).to_have_text(
        re.compile(rf"Invited {re.escape(new_person)}")
    )
    expect(page.get_by_test_id(f"invite-problem-{grace}")).to_have_text(
        re.compile(rf"{re.escape(grace)} is already a member")
    )
    shot(page, "invite-results")
    page.get_by_test_id("invite-cancel").click()
    expect(page.get_by_test_id(f"invitation-row-{new_person}")).to_be_visible()
    expect(portal.member_row(new_person)).to_have_count(0)

    # The invitation's own ⋯ menu: Resend at once, Revoke confirmed.
    page.get_by_test_id(f"invitation-actions-{new_person}").click()
    page.get_by_test_id(f"invitation-resend-{new_person}").click()
    expect(page.get_by_test_id("toast").last).to_contain_text(f"Sent a new invitation to {new_person}")
    # The menu has closed (its animation ended) before it opens again.
    expect(page.get_by_test_id(f"invitation-resend-{new_person}")).to_be_hidden()
    wait_until_still(page)
    page.get_by_test_id(f"invitation-actions-{new_person}").click()
    page.get_by_test_id(f"invitation-revoke-{new_person}").click()
    expect(page.get_by_test_id("invitation-revoke-cancel")).to_be_focused()
    assert axe_when_still(page) == []
    page.get_by_test_id("invitation-revoke-confirm").click()
    expect(page.get_by_test_id(f"invitation-row-{new_person}")).to_have_count(0)

    portal.remove(grace)
    expect(page.get_by_test_id("toast").last).to_contain_text("Removed Grace Hopper")


def test_shoelace_renders_under_the_real_csp(
    browser: Browser,
    contexts: list[BrowserContext],
    server: ServerProcess,
    mail: MailSink,
    demo: object,
    team: Team,
) -> None:
    page = new_page(browser, contexts, bypass_csp=False)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    portal = sign_in(page, server, mail, team.admin_email)
    grace = next(email for email in team.emails if email.startswith("grace"))
    expect(portal.member_row(grace)).to_be_visible()
    # sl-icon fetches its data: URL and draws the SVG inside its shadow root.
    drawn = portal.member_actions(grace).evaluate(
        """async (button) => {
          const icon = button.shadowRoot.querySelector('sl-icon');
          for (let i = 0; i < 50 && !icon.shadowRoot.querySelector('svg'); i++) await new Promise((r) => setTimeout(r, 50));
          const svg = icon.shadowRoot.querySelector('svg');
          return svg ? svg.getBoundingClientRect().width : 0;
        }"""
    )
    assert drawn > 0, "the ⋯ icon is drawn"
    portal.choose_member_action(grace, "remove")
    expect(page.get_by_test_id("member-remove-confirm")).to_be_visible()
    assert violations == []
