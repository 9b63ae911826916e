"""The Directory sync widget in real Chromium: an admin adds an Okta directory, sees its token once
(a reload does not show it again), follows the guide with the base URL, rotates and revokes the
token, maps a pushed group to a role and reads the provisioning log; a member without
sk_org_scim_read has no Directory sync entry and is told at /ui/scim that they lack access. axe at
every step; 1280 and 360 px screenshots under /tmp/shots-scim/."""

import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.pages import ScimPage, axe_violations
from tests.e2e.test_portal import new_page, sign_in_to_portal
from tests.e2e.test_sso import no_horizontal_scroll
from tests.support.factories import make_member, make_organization, run
from tests.support.people import unique_email
from tests.support.scim import push_group_row
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

SHOTS = Path(tempfile.gettempdir()) / "shots-scim"  # /tmp/shots-scim, to look at


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def shot_parts(page: Page, name: str) -> None:
    """Each panel of the directory page on its own, so a narrow layout can be read at full size."""
    for part in ("scim-directory-heading", "scim-guide-heading", "scim-settings-heading", "scim-log-heading"):
        page.locator(f"section[aria-labelledby='{part}']").screenshot(path=str(SHOTS / f"{name}-{part}.png"))


def the_directory(organization_id: str) -> dict[str, object]:
    """The organization's one directory row, as stored."""
    from db.directories import Directory

    row = run(
        Directory.select()
        .where(Directory.organization == organization_id)
        .output(load_json=True)
        .first()
        .run()
    )
    assert row is not None
    return row


def manage_role_by(organization_id: str, email: str, directory_id: str) -> None:
    """Mark the member's role as set by the directory, as its group mapping would."""
    from db.orgs import Membership
    from db.users import User

    user = run(User.select(User.id).where(User.email == email).first().run())
    assert user is not None
    run(
        Membership.update({Membership.role_managed_by: directory_id})
        .where((Membership.user == user["id"]) & (Membership.organization == organization_id))
        .run()
    )


def log_requests(directory_id: str) -> None:
    """Two requests of the identity provider: a person created, then one refused."""
    from resolvers.provisioning_log import RequestOutcome, record

    run(record(directory_id, RequestOutcome("POST", "create", "User", "dus_grace", "grace@example.com", 201)))
    run(
        record(
            directory_id,
            RequestOutcome(
                "POST",
                "create",
                "User",
                "",
                "mallory@elsewhere.example",
                400,
                scim_type="invalidValue",
                detail="The address is not at a verified domain of the organization.",
            ),
        )
    )


def test_an_admin_adds_a_directory_sees_the_token_once_rotates_revokes_maps_a_group_and_reads_the_log(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"SCIM Roasters {secrets.token_hex(2)}", ["scim"])
    email = unique_email("scim-admin")
    make_member(email, org, "admin", "Sam", "Scim")
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    portal = sign_in_to_portal(page, server, mail, email)
    portal.go("scim")
    expect(page.get_by_test_id("page-heading")).to_have_text("Directory sync")
    expect(page).to_have_url(re.compile(r"/ui/scim$"))
    scim = ScimPage(page)
    expect(page.get_by_test_id("scim-empty")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "empty-1280")

    page.get_by_test_id("scim-add").click()
    expect(page.get_by_role("heading", name="Which identity provider do you use?")).to_be_focused()
    assert axe_violations(page) == []
    shot(page, "picker-1280")
    page.get_by_test_id("scim-provider-OKTA").click()

    token = scim.token()
    assert len(token) >= 32
    expect(page.get_by_test_id("scim-token-once")).to_contain_text("Copy it now: it won't be shown again.")
    stored = the_directory(org)
    directory_id = str(stored["id"])
    assert token not in str(stored.values()), "only the token's hash is stored"
    base_url = scim.base_url()
    assert base_url.endswith(f"/scim/v2/{directory_id}")
    expect(page.get_by_test_id("scim-guide-value-baseUrl")).to_have_text(base_url)
    expect(page.get_by_test_id("scim-guide-steps")).to_contain_text('"SCIM connector base URL"')
    expect(page.get_by_test_id("scim-guide-steps")).to_contain_text(
        "Push New Users, Push Profile Updates and Push Groups"
    )
    page.get_by_test_id("scim-copy-token").click()
    expect(scim.status()).to_have_text("Copied the token.")
    assert page.evaluate("navigator.clipboard.readText()") == token
    assert axe_violations(page) == []
    shot(page, "created-token-once-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    no_horizontal_scroll(page, 360)
    assert axe_violations(page) == []
    shot(page, "created-token-once-360")
    shot_parts(page, "created-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.reload()
    expect(page.get_by_test_id(f"scim-directory-{directory_id}")).to_be_visible()
    scim.open(directory_id)
    expect(page.get_by_test_id("scim-token-state")).to_contain_text(f"ending in …{token[-4:]}")
    expect(page.get_by_test_id("scim-token-once")).to_have_count(0)
    assert token not in page.content()
    expect(page.get_by_test_id("scim-guide-token-hidden")).to_be_visible()

    # Rotate: the dialog asks for the overlap, focused on it; the old token works until then.
    page.get_by_test_id("scim-rotate").click()
    overlap = page.get_by_test_id("scim-overlap")
    expect(overlap).to_be_focused()
    assert axe_violations(page) == []
    shot(page, "rotate-dialog-1280")
    overlap.fill("30")
    page.get_by_test_id("scim-dialog-confirm").click()
    rotated = scim.token()
    assert rotated != token
    expect(page.get_by_test_id("scim-copy-token")).to_be_focused()
    expect(page.get_by_test_id("scim-token-state")).to_contain_text("The previous token keeps working until")
    expect(page.get_by_test_id("scim-token-badge")).to_have_text("Rotating")
    assert the_directory(org)["previous_token_expires_at"] is not None

    # Revoke: the dialog opens on Cancel; Escape leaves everything as it was.
    page.get_by_test_id("scim-revoke").click()
    expect(page.get_by_test_id("scim-dialog-cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("scim-revoke")).to_be_focused()
    page.get_by_test_id("scim-revoke").click()
    page.get_by_test_id("scim-dialog-confirm").click()
    expect(scim.status()).to_contain_text("The token was revoked")
    expect(page.get_by_test_id("scim-token-badge")).to_have_text("No token")
    expect(page.get_by_test_id("scim-revoke")).to_have_count(0)
    assert the_directory(org)["token_hash"] is None
    assert axe_violations(page) == []
    shot(page, "revoked-1280")

    # The identity provider pushed a group and made two requests (written as the SCIM service would).
    group_id = push_group_row(directory_id, "Engineering")
    log_requests(directory_id)
    page.reload()
    scim.open(directory_id)

    log = page.get_by_test_id("scim-log-row")
    expect(log).to_have_count(2)
    expect(log.nth(0)).to_contain_text("mallory@elsewhere.example")  # newest first
    expect(log.nth(0)).to_contain_text("invalidValue: The address is not at a verified domain")
    expect(log.nth(0).get_by_test_id("scim-log-status")).to_contain_text("400")
    expect(log.nth(1)).to_contain_text("grace@example.com")
    page.get_by_test_id("scim-log-outcome").select_option("failed")
    expect(log).to_have_count(1)
    page.get_by_test_id("scim-log-outcome").select_option("all")
    page.get_by_test_id("scim-log-search").fill("grace")
    expect(log).to_have_count(1)
    expect(log.nth(0)).to_contain_text("grace@example.com")
    expect(page.get_by_test_id("scim-group-row")).to_contain_text("Engineering")
    assert axe_violations(page) == []
    shot(page, "log-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    no_horizontal_scroll(page, 360)
    assert axe_violations(page) == []
    shot(page, "directory-360")
    shot_parts(page, "log-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    scim.map_group("Engineering", "admin")
    expect(scim.status()).to_have_text("The settings were saved.")
    stored_roles = the_directory(org)["group_roles"]
    assert stored_roles == [{"group_id": group_id, "role": "admin"}]
    shot(page, "mapping-saved-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    no_horizontal_scroll(page, 360)
    assert axe_violations(page) == []
    shot_parts(page, "mapping-360")

    # A member whose role the directory's mapping set: Members shows where it comes from, no picker.
    page.set_viewport_size({"width": 1280, "height": 900})
    managed = unique_email("scim-managed")
    make_member(managed, org, "member", "Grace", "Hopper")
    manage_role_by(org, managed, directory_id)
    portal.go("members")
    expect(page.get_by_test_id(f"member-role-managed-{managed}")).to_have_text("Role from Okta")
    expect(page.get_by_test_id(f"member-role-{managed}")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "members-role-from-directory-1280")


def test_a_member_without_scim_read_has_no_entry_and_is_told_they_lack_access(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"SCIM Members {secrets.token_hex(2)}", ["scim"])
    make_member(unique_email("scim-owner"), org, "admin")
    email = unique_email("scim-member")
    make_member(email, org, "member", "Mem", "Ber")
    page = new_page(browser, contexts)
    portal = sign_in_to_portal(page, server, mail, email)
    expect(portal.nav("scim")).to_have_count(0)
    portal.open("/ui/scim")
    expect(page.get_by_test_id("page-heading")).to_have_text("Directory sync")
    expect(page.get_by_test_id("page-denied")).to_have_text(
        "You don't have access to Directory sync in this organization. Ask one of its admins if you need it."
    )
    expect(page).to_have_url(re.compile(r"/ui/scim$"))
    expect(portal.nav("scim")).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, "member-denied-1280")
