"""The SSO widget in real Chromium: an admin picks Okta, follows its guide, pastes Okta's metadata;
tests a connection against a real signing IdP in a new tab, sees what arrived and enables it; a
member without sk_org_sso_read sees no SSO page; axe, 360 and 1280 px screenshots."""

import html
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.pages import SsoPage, axe_violations
from tests.e2e.test_portal import new_page, shot, sign_in_to_portal
from tests.support.factories import make_member, make_organization, run
from tests.support.people import unique_email
from tests.support.saml_idp import IdpKey, SamlIdp
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from tests.support.sso import make_verified_domain, unique_domain

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
    from resolvers.connection_rows import load_connection
    from resolvers.service_provider import service_provider
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


def group_roles(organization_id: str) -> tuple[tuple[str, str], ...]:
    """The organization's one connection's roles by IdP group, as stored."""
    from db.federation import SSOConnection
    from resolvers.connection_rows import load_connection

    found = run(
        SSOConnection.select(SSOConnection.id)
        .where(SSOConnection.organization == organization_id)
        .first()
        .run()
    )
    assert found is not None
    row = run(load_connection(found["id"]))
    assert row is not None
    return row.group_roles


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


def auto_post(action: str, fields: dict[str, str]) -> str:
    """The page an IdP answers with: a form that posts itself to our ACS, as HTTP-POST binding does."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    return (
        f'<!doctype html><form method="post" action="{html.escape(action)}">{inputs}</form>'
        "<script>document.forms[0].submit()</script>"
    )


def test_an_admin_sets_up_okta_with_the_test_idps_values_tests_it_in_a_new_tab_and_enables_it(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"SSO Testers {secrets.token_hex(2)}", ["sso"])
    domain = unique_domain("sso-e2e")
    make_verified_domain(org, domain)
    email = f"admin@{domain}"
    make_member(email, org, "admin", "Tess", "Ter")
    idp = SamlIdp()
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 1280, "height": 900})
    portal = sign_in_to_portal(page, server, mail, email)
    portal.go("sso")
    sso = SsoPage(page)
    sso.add("OKTA")  # the Okta guide, filled with the test IdP's values
    _, acs_url, entity_id = our_values(org)

    signing_keys = [IdpKey.generate(), idp.key]  # the first test is signed with a key we do not know

    def sign_in_at_the_idp(route: Route) -> None:
        seen = idp.read_authn_request(route.request.url)
        assert seen.acs_url == acs_url
        response = idp.response(
            key=signing_keys.pop(0),
            acs_url=acs_url,
            audience=entity_id,
            in_response_to=seen.request_id,
            name_id=f"tester@{domain}",
            attributes={
                "email": [f"tester@{domain}"],
                "firstName": ["Tess"],
                "lastName": ["Ter"],
                "groups": ["engineering", "admins"],
                "department": ["Roasting"],
            },
        )
        route.fulfill(
            content_type="text/html",
            body=auto_post(acs_url, {"SAMLResponse": response, "RelayState": seen.relay_state or ""}),
        )

    page.context.route(f"{idp.sso_url}**", sign_in_at_the_idp)
    sso.paste_metadata(idp.metadata_xml())
    expect(sso.status()).to_contain_text("settings were saved")
    expect(sso.enable()).to_be_disabled()

    def run_the_test(outcome: str) -> None:
        """Test connection in a new tab, through the IdP and back, then "Show the result"."""
        with page.context.expect_page() as opened:
            sso.test_link().click()
        test_tab = opened.value
        expect(test_tab.get_by_test_id(outcome)).to_be_visible()
        test_tab.close()
        # headless Chromium never hides or blurs a tab, so the focus/visibilitychange refetch
        # (unit-tested in tn-sso-test.test.ts) has nothing to react to here
        page.get_by_test_id("sso-test-refresh").click()

    run_the_test("sso-test-failed")
    expect(page.get_by_test_id("sso-test-announcement")).to_contain_text("The test failed.")
    expect(page.get_by_test_id("sso-test-outcome")).to_have_text("Failed")
    expect(page.get_by_test_id("sso-test-message")).to_contain_text("signature")
    expect(page.get_by_test_id("sso-test-advice")).to_contain_text("current metadata")
    expect(sso.enable()).to_be_disabled()
    assert axe_violations(page) == []
    shot(page, "sso-test-failed-1280")

    run_the_test("sso-test-succeeded")

    announcement = page.get_by_test_id("sso-test-announcement")
    expect(announcement).to_have_text(f"The test succeeded: the identity provider signed in tester@{domain}.")
    expect(page.get_by_test_id("sso-test-outcome")).to_have_text("Succeeded")
    expect(page.get_by_test_id("sso-test-groups")).to_have_text("engineering, admins")
    expect(page.get_by_test_id("sso-test-attributes")).to_contain_text("Roasting")
    expect(page.get_by_test_id("sso-setup-status")).to_have_text("Tested")
    expect(sso.enable()).to_be_enabled()
    assert axe_violations(page) == []
    shot(page, "sso-tested-1280")

    sso.enable().click()
    expect(sso.status()).to_contain_text("is enabled")
    expect(page.get_by_test_id("sso-setup-status")).to_have_text("Active")
    expect(page.get_by_test_id("sso-disable")).to_be_visible()

    page.get_by_test_id("sso-group-add").click()
    expect(page.get_by_label("Group 1", exact=True)).to_be_focused()
    page.get_by_label("Group 1", exact=True).fill("admins")
    page.get_by_label("Role for group 1").select_option("admin")
    page.get_by_test_id("sso-mapping-save").click()
    expect(sso.status()).to_have_text("The mapping and role were saved.")
    expect(page.get_by_test_id("sso-setup-status")).to_have_text("Active")
    assert group_roles(org) == (("admins", "admin"),)
    page.set_viewport_size({"width": 360, "height": 740})
    no_horizontal_scroll(page, 360)
    assert axe_violations(page) == []
    shot(page, "sso-active-360")
