"""Passkeys in real Chromium with its virtual authenticator (DevTools WebAuthn domain): register
from the Security page, sign out, sign in with the passkey through the browser's autofill
(conditional UI); a replayed assertion is refused. Wrong origins and RP IDs are refused in
tests/host/test_passkeys.py, where a software authenticator can forge them."""

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import Portal, SignInPage, axe_violations
from tests.support.factories import make_member, make_organization
from tests.support.people import unique_email, unique_ip
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink


@pytest.fixture
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": unique_ip()}, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def virtual_authenticator(context: BrowserContext, page: Page) -> tuple[CDPSession, str]:
    """A platform authenticator with resident keys and user verification that always succeeds."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, str(added["authenticatorId"])


def test_register_a_passkey_sign_out_and_sign_in_with_it(
    browser_context: BrowserContext, server: ServerProcess, mail: MailSink
) -> None:
    page = browser_context.new_page()
    cdp, authenticator_id = virtual_authenticator(browser_context, page)
    email = unique_email("passkey-e2e")
    make_member(email, make_organization("Passkey Org"), "member", "Pia", "Key")

    portal = Portal(page, server.url)
    portal.open("/ui/")
    expect(page).to_have_url(re.compile(r"/a/auth/login\?"))
    # Checked here, while the authenticator holds no passkey: after sign-out the autofill request
    # completes so fast that the login page may already be gone.
    expect(page.get_by_test_id("email-input")).to_have_attribute("autocomplete", "username webauthn")
    SignInPage(page, mail).sign_in(email)
    expect(page.get_by_test_id("nav-security")).to_be_visible()
    portal.go("security")
    page.get_by_test_id("add-passkey").click()
    # Left unnamed, the server names it: the virtual authenticator has no AAGUID, so after the browser.
    expect(page.get_by_test_id("passkey-name")).to_have_value("")
    page.get_by_test_id("create-passkey").click()
    expect(page.get_by_test_id("passkeys-status")).to_contain_text("Chrome on Linux")
    row = page.get_by_test_id("passkey-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chrome on Linux")
    expect(row).to_contain_text("Never used")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"] is True
    assert credentials[0]["rpId"] == "localhost"
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal-passkeys.png"), full_page=True)

    portal.sign_out()
    # The login page asks for a passkey with conditional mediation (the browser's autofill); the
    # virtual authenticator simulates the person picking it, so the sign-in completes by itself.
    with page.expect_request(lambda r: r.url.endswith("/a/auth/api/passkey/verify")) as sent:
        page.goto(f"{server.url}/a/auth/login")
    expect(page).to_have_url(re.compile(r"/ui/"))
    expect(page.get_by_test_id("nav-security")).to_be_visible()
    portal.go("security")
    expect(page.get_by_test_id("passkey-last-used")).to_contain_text("Last used")
    this_device = page.get_by_test_id(re.compile("^session-row-")).filter(
        has=page.get_by_test_id("session-current")
    )
    expect(this_device).to_contain_text("with a passkey")

    # The same assertion again, from the same browser: its challenge was single use.
    body = json.loads(sent.value.post_data or "{}")
    csrf = next(c["value"] for c in browser_context.cookies() if c["name"] == "tenantry_csrf")
    replayed = page.request.post(
        f"{server.url}/a/auth/api/passkey/verify", data=body, headers={"X-CSRF-Token": csrf}
    )
    assert replayed.status == 400
    assert replayed.json()["error"] == "expired_challenge"
    fresh = page.request.post(
        f"{server.url}/a/auth/api/passkey/options", data={}, headers={"X-CSRF-Token": csrf}
    )
    body["flow"] = fresh.json()["flow"]
    replayed = page.request.post(
        f"{server.url}/a/auth/api/passkey/verify", data=body, headers={"X-CSRF-Token": csrf}
    )
    assert replayed.status == 400
    assert replayed.json()["error"] == "passkey_rejected", "an old signature does not answer a new challenge"
