"""The SSO widget in real Chromium: an admin picks Okta, follows its guide, pastes Okta's metadata;
a member without sk_org_sso_read sees no SSO page; axe, 360 and 1280 px screenshots."""

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.pages import SsoPage, axe_violations
from tests.e2e.test_portal import new_page, shot, sign_in_to_portal
from tests.support.factories import make_member, make_organization, run
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

OKTA_METADATA = Path(__file__).resolve().parents[1] / "fixtures" / "saml" / "okta.xml"


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def okta_metadata() -> str:
    """Okta-shaped IdP metadata carrying a certificate made now."""
    from resolvers.sp_certificates import certificate_body, new_sp_certificate

    certificate = new_sp_certificate("Okta test IdP").certificate_pem
    return OKTA_METADATA.read_text().replace("{{CERT_1}}", certificate_body(certificate))


def our_values(organization_id: str) -> tuple[str, str, str]:
    """The organization's one connection: its id, ACS URL and entity ID as the server makes them."""
    from db.federation import SSOConnection
    from resolvers.service_provider import service_provider
    from resolvers.sso_connections import load_connection
    from tests.support.deployment import server_deployment

    found = run(
        SSOConnection.select(SSOConnection.id)
        .where(SSOConnection.organization == organization_id)
        .first()
        .run()
    )
    assert found is not None
    row = run(load_connection(found["id"]))
    assert row is not None
    sp = service_provider(server_deployment(), row)
    return row.id, sp.acs_url, sp.entity_id


def no_horizontal_scroll(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"no page-level horizontal scroll at {width} px (scrollWidth {scroll})"


def test_an_admin_picks_okta_follows_its_guide_and_saves_its_metadata(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"SSO Roasters {secrets.token_hex(2)}", ["sso"])
    email = unique_email("sso-admin")
    make_member(email, org, "admin", "Sam", "Sso")
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    portal = sign_in_to_portal(page, server, mail, email)
    portal.go("sso")
    expect(page.get_by_test_id("page-heading")).to_have_text("Single sign-on")
    expect(page).to_have_url(re.compile(r"/ui/sso$"))
    sso = SsoPage(page)
    expect(page.get_by_test_id("sso-empty")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "sso-empty")

    page.get_by_test_id("sso-add").click()
    expect(page.get_by_role("heading", name="Which identity provider do you use?")).to_be_focused()
    for label in (
        "Okta",
        "Microsoft Entra ID",
        "Google Workspace",
        "OneLogin",
        "JumpCloud",
        "Ping Identity",
        "AD FS",
    ):
        expect(page.get_by_role("button", name=re.compile(f"^{label}"))).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "sso-picker")
    page.get_by_test_id("sso-provider-OKTA").click()
    expect(page.get_by_test_id("sso-guide-steps")).to_be_visible()
    expect(page.get_by_test_id("sso-setup-status")).to_have_text("Draft")
    expect(page.get_by_test_id("sso-guide-steps")).to_contain_text("Audience URI (SP Entity ID)")

    connection_id, acs_url, entity_id = our_values(org)
    assert sso.value("acsUrl") == acs_url
    assert sso.value("entityId") == entity_id
    assert sso.value("attr-email") == "email"
    sso.copy("acsUrl").click()
    expect(sso.status()).to_contain_text("Copied the ACS URL")
    assert page.evaluate("navigator.clipboard.readText()") == sso.value("acsUrl")
    download = page.get_by_test_id("sso-metadata-download")
    expect(download).to_have_count(0)  # Okta's guide reads our values, not our file
    expect(page.get_by_test_id("sso-test-not-ready")).to_be_visible()
    expect(sso.enable()).to_be_disabled()

    page.get_by_test_id("sso-metadata-xml").fill("<html>not metadata</html>")
    page.get_by_test_id("sso-idp-save").click()
    refusal = page.get_by_test_id("sso-idp-error")
    expect(refusal).to_be_visible()
    expect(page.get_by_test_id("sso-metadata-xml")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("sso-metadata-xml")).to_be_focused()

    sso.paste_metadata(okta_metadata())
    expect(sso.status()).to_contain_text("settings were saved")
    expect(page.get_by_test_id("sso-idp-current")).to_contain_text("example.okta.com")
    link = sso.test_link()
    expect(link).to_have_attribute("href", re.compile(rf"/sso/test/{connection_id}$"))
    expect(link).to_have_attribute("target", "_blank")
    expect(sso.enable()).to_be_disabled()
    expect(page.get_by_test_id("sso-enable-hint")).to_contain_text("after a successful test")
    expect(page.get_by_test_id("sso-test-none")).to_have_text("Not tested yet.")
    assert axe_violations(page) == []
    shot(page, "sso-okta-guide-1280")

    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "sso-okta-guide-360")
    no_horizontal_scroll(page, 360)
    assert axe_violations(page) == []

    page.get_by_test_id("sso-back").click()
    row = page.get_by_test_id(f"sso-connection-{connection_id}")
    expect(row).to_contain_text("Okta")
    expect(row.get_by_test_id("sso-connection-status")).to_have_text("Draft")
    expect(row).to_contain_text("certificate expires on")
    no_horizontal_scroll(page, 360)
    shot(page, "sso-list-360")


def test_a_member_without_sso_read_sees_no_sso_page(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"SSO Members {secrets.token_hex(2)}", ["sso"])
    make_member(unique_email("sso-owner"), org, "admin")
    email = unique_email("sso-member")
    make_member(email, org, "member", "Mem", "Ber")
    page = new_page(browser, contexts)
    portal = sign_in_to_portal(page, server, mail, email)
    expect(portal.nav("sso")).to_have_count(0)
    portal.open("/ui/sso")
    expect(page.get_by_test_id("nav-profile")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/ui/sso$"))
    expect(page.get_by_test_id("page-heading")).not_to_have_text("Single sign-on")
