"""The /ui/ portal in real Chromium: invite, accept, change role, remove; settings, profile, logout; axe."""

import re
import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import Portal, SignInPage, axe_violations
from tests.support.factories import make_member, make_organization, make_role
from tests.support.people import unique_email, unique_ip
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def new_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": unique_ip()}, bypass_csp=True)
    context.set_default_timeout(15_000)
    contexts.append(context)
    return context.new_page()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)


def sign_in_to_portal(page: Page, server: ServerProcess, mail: MailSink, email: str, **names: str) -> Portal:
    """No session: /ui/ → the app's sign-in → hosted login → back on /ui/."""
    portal = Portal(page, server.url)
    portal.open("/ui/")
    expect(page).to_have_url(re.compile(r"/a/auth/(login|signup)\?"))
    SignInPage(page, mail).sign_in(email, **names)
    expect(page).to_have_url(re.compile(r"/ui/"))
    expect(page.get_by_test_id("page-heading")).to_be_visible()
    return portal


def test_an_admin_invites_a_member_who_accepts_and_is_then_re_roled_and_removed(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"Portal Roasters {secrets.token_hex(2)}")
    viewer_role = f"viewer_{secrets.token_hex(3)}"
    make_role(viewer_role, ["sk_org_settings_read"])
    admin_email, invitee = unique_email("portal-admin"), unique_email("portal-invitee")
    make_member(admin_email, org, "admin", "Ada", "Admin")

    admin = sign_in_to_portal(new_page(browser, contexts), server, mail, admin_email)
    admin.go("members")
    expect(admin.member_row(admin_email)).to_be_visible()
    assert axe_violations(admin.page) == []
    admin.invite(invitee, "member")
    expect(admin.page.get_by_test_id(f"invitation-row-{invitee}")).to_be_visible()
    expect(admin.member_row(invitee)).to_have_count(0)  # an invitee is listed once, as an invitation
    shot(admin.page, "members-invited")

    link = re.search(r"(https?://\S+/a/auth/invitation\?token=\S+)", mail.wait_for(invitee).text)
    assert link
    member_page = new_page(browser, contexts)
    member_page.goto(link.group(1))
    expect(member_page).to_have_url(re.compile(r"/a/auth/signup\?"))
    SignInPage(member_page, mail).sign_in(invitee, first_name="Ivy", last_name="Invitee")
    expect(member_page).not_to_have_url(re.compile(r"/a/auth/"))  # let the sign-in navigation finish
    member = Portal(member_page, server.url)
    member.open("/ui/")
    expect(member.nav("members")).to_be_visible()
    expect(member.nav("organization")).to_be_visible()

    admin.page.reload()
    expect(admin.member_row(invitee)).to_contain_text("Ivy Invitee")
    admin.change_role(invitee, viewer_role)
    expect(admin.member_row(invitee)).to_contain_text(re.compile(viewer_role, re.I))
    member.page.reload()
    expect(member.nav("organization")).to_be_visible()
    expect(member.nav("members")).to_have_count(0)
    shot(member.page, "member-fewer-widgets")

    admin.remove(invitee)
    member.page.goto(f"{server.url}/ui/profile")
    expect(member.page).not_to_have_url(re.compile(r"/ui/profile$"))


def test_settings_and_profile_edits_are_saved(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization("Settings Co")
    email = unique_email("settings-admin")
    make_member(email, org, "admin", "Sam", "Settings")
    portal = sign_in_to_portal(new_page(browser, contexts), server, mail, email)
    page = portal.page

    portal.go("organization")
    page.get_by_test_id("org-name-input").fill("Settings Company")
    page.get_by_test_id("domain-input").fill("gmail.com")
    page.get_by_test_id("domain-add").click()
    expect(page.get_by_test_id("domain-unsaved-gmail.com")).to_have_text("Not saved yet")
    expect(page.get_by_test_id("org-unsaved")).to_contain_text("Unsaved changes")
    page.get_by_test_id("org-save").click()
    expect(page.get_by_role("alert")).to_contain_text("public email provider")
    page.get_by_test_id("domain-remove-gmail.com").click()
    page.get_by_test_id("domain-input").fill("settings.example.com")
    page.get_by_test_id("domain-add").click()
    page.get_by_test_id("org-save").click()
    expect(page.get_by_test_id("org-saved")).to_be_visible()
    expect(page.get_by_test_id("org-unsaved")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("org-name-input")).to_have_value("Settings Company")
    expect(page.get_by_test_id("domain-settings.example.com")).to_be_visible()
    expect(page.get_by_test_id("domain-unsaved-settings.example.com")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "organization-settings")

    portal.go("profile")
    page.get_by_test_id("profile-first-name").fill("Samantha")
    page.get_by_test_id("profile-save").click()
    expect(page.get_by_test_id("profile-saved")).to_be_visible()
    badge = page.get_by_test_id("profile-email-verified")
    expect(badge).to_have_text("Verified")
    address = page.get_by_test_id("profile-email").locator(".address").bounding_box()
    badge_box = badge.bounding_box()
    assert address and badge_box
    assert badge_box["x"] >= address["x"] + address["width"] + 4 or badge_box["y"] >= address["y"] + 4, (
        "the Verified badge touches the address"
    )
    assert axe_violations(page) == []
    shot(page, "profile")


def test_a_member_sees_members_read_only_and_the_page_works_at_360px(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization("Narrow Co")
    make_member(unique_email("narrow-admin"), org, "admin")
    email = unique_email("narrow-member")
    make_member(email, org, "member", "Nora", "Narrow")
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 360, "height": 740})
    portal = sign_in_to_portal(page, server, mail, email)
    portal.go("members")
    expect(portal.member_row(email)).to_be_visible()
    expect(page.get_by_test_id("invite-open")).to_have_count(0)
    expect(page.get_by_test_id(re.compile("^member-actions-"))).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"no page-level horizontal scroll at 360 px (scrollWidth {width})"
    assert axe_violations(page) == []
    shot(page, "members-360px")


def test_signing_out_of_the_portal_ends_the_session(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization("Bye Co")
    email = unique_email("bye")
    make_member(email, org, "member", "Bea", "Bye")
    portal = sign_in_to_portal(new_page(browser, contexts), server, mail, email)
    portal.sign_out()
    expect(portal.page).to_have_url(re.compile(r"/demo/"))
    portal.open("/ui/profile")
    expect(portal.page).to_have_url(re.compile(r"/a/auth/login\?"))


def test_signing_out_another_session_from_security_ends_it_there(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    email = unique_email("two-devices")
    make_member(email, make_organization("Two Devices"), "member", "Dee", "Vice")
    first = sign_in_to_portal(new_page(browser, contexts), server, mail, email)
    second = sign_in_to_portal(new_page(browser, contexts), server, mail, email)
    page = first.page

    page.get_by_test_id("nav-security").click()
    expect(page.get_by_test_id("page-heading")).to_have_text("Security")
    rows = page.get_by_test_id(re.compile(r"^session-row-"))
    expect(rows).to_have_count(2)
    other = rows.filter(has_not=page.get_by_test_id("session-current"))
    expect(other).to_have_count(1)
    expect(other).to_contain_text("Chrome on Linux")
    expect(other).to_contain_text("with an email code")
    expect(other.locator("time").first).to_have_attribute("title", re.compile(r"\d{4}"))
    session_id = (other.get_attribute("data-testid") or "").removeprefix("session-row-")
    revoke = page.get_by_test_id(f"session-revoke-{session_id}")
    expect(revoke).to_have_accessible_name(re.compile(r"^Sign out Chrome on Linux, signed in .+ from "))
    revoke.click()
    expect(page.get_by_test_id("sessions-status")).to_contain_text("Signed out")
    expect(rows).to_have_count(1)
    expect(page.get_by_test_id("session-current")).to_be_visible()

    second.page.reload()
    expect(second.page).not_to_have_url(re.compile(rf"^{re.escape(server.url)}/ui/"))
    expect(second.page).to_have_url(re.compile(r"/a/auth/login\?"))

    assert axe_violations(page) == []
    shot(page, "security")


def test_an_admin_sets_a_custom_session_policy_that_members_cannot_see(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization("Policy Co", ["session_policy"])
    admin_email, member_email = unique_email("policy-admin"), unique_email("policy-member")
    make_member(admin_email, org, "admin", "Pat", "Policy")
    make_member(member_email, org, "member", "Mo", "Member")
    portal = sign_in_to_portal(new_page(browser, contexts), server, mail, admin_email)
    page = portal.page

    page.get_by_test_id("nav-session-policy").click()
    expect(page.get_by_test_id("page-heading")).to_have_text("Session policy")
    expect(page.get_by_role("radiogroup", name="Session timeouts")).to_be_visible()
    expect(page.get_by_test_id("policy-app-default")).to_have_text(
        "Absolute timeout 7 days. No idle timeout."
    )
    page.get_by_test_id("policy-custom").check()
    amount = page.get_by_test_id("policy-absolute-value").bounding_box()
    assert amount and amount["width"] <= 120, "the amount field is sized to a number"
    page.get_by_test_id("policy-absolute-value").fill("8")
    page.get_by_test_id("policy-absolute-unit").select_option("hours")
    page.get_by_test_id("policy-idle-value").fill("5")
    page.get_by_test_id("policy-idle-unit").select_option("minutes")
    page.get_by_test_id("policy-save").click()
    expect(page.get_by_role("alert")).to_contain_text("access-token lifetime")

    page.get_by_test_id("policy-idle-value").fill("30")
    page.get_by_test_id("policy-save").click()
    expect(page.get_by_test_id("policy-saved")).to_contain_text("30 minutes")
    expect(page.get_by_test_id("policy-effective")).to_contain_text("8 hours")
    assert axe_violations(page) == []
    shot(page, "session-policy")

    member = sign_in_to_portal(new_page(browser, contexts), server, mail, member_email)
    expect(member.nav("members")).to_be_visible()
    expect(member.page.get_by_test_id("nav-session-policy")).to_have_count(0)


def test_a_role_with_only_session_policy_read_sees_the_session_policy_page(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization("Policy Readers", ["session_policy"])
    reader_role = f"policy_reader_{secrets.token_hex(3)}"
    make_role(reader_role, ["sk_org_session_policy_read"])
    reader_email = unique_email("policy-reader")
    make_member(reader_email, org, reader_role, "Rita", "Reader")

    portal = sign_in_to_portal(new_page(browser, contexts), server, mail, reader_email)
    expect(portal.nav("session-policy")).to_be_visible()
    expect(portal.nav("organization")).to_have_count(0)  # no sk_org_settings_read, no settings page
    portal.go("session-policy")
    expect(portal.page.get_by_test_id("page-heading")).to_have_text("Session policy")
    expect(portal.page.get_by_test_id("policy-effective")).to_be_visible()
    expect(portal.page.get_by_test_id("policy-read-only")).to_be_visible()
    expect(portal.page.get_by_test_id("policy-save")).to_have_count(0)
    shot(portal.page, "session-policy-reader")
