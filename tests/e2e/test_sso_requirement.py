"""Require SSO in real Chromium: an admin with an active connection keeps themself as break-glass,
meets the server's refusal at the switch while no connection is active, then turns the requirement
on after confirming; axe, 1280 and 360 px screenshots."""

import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.pages import SsoPage, axe_violations
from tests.e2e.test_portal import new_page, shot, sign_in_to_portal
from tests.e2e.test_sso import no_horizontal_scroll
from tests.support.factories import make_member, make_organization, run
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from tests.support.sso import make_connection, make_verified_domain, unique_domain


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def stored_requirement(organization_id: str) -> tuple[bool, list[str]]:
    from db.orgs import Organization

    row = run(
        Organization.select(Organization.sso_required, Organization.sso_break_glass)
        .where(Organization.id == organization_id)
        .output(load_json=True)
        .first()
        .run()
    )
    assert row is not None
    return bool(row["sso_required"]), list(row["sso_break_glass"] or [])


def set_connection_status(connection_id: str, status: str) -> None:
    from db.federation import SSOConnection

    run(SSOConnection.update({SSOConnection.status: status}).where(SSOConnection.id == connection_id).run())


def test_an_admin_requires_sso_keeping_themself_as_break_glass(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"SSO Requirers {secrets.token_hex(2)}", ["sso"])
    make_verified_domain(org, unique_domain("sso-req"))
    # The portal's list reads the IdP's SSO URL too, which make_connection's default leaves out.
    connection = make_connection(
        org,
        status="active",
        idp_settings={"entity_id": "https://idp.example.com", "sso_url": "https://idp.example.com/sso"},
    )
    email = unique_email("sso-req-admin")  # not at the verified domain: signs in with a code
    admin_id = make_member(email, org, "admin", "Sam", "Sso")
    grace = unique_email("sso-req-grace")
    make_member(grace, org, "admin", "Grace", "Hopper")
    make_member(unique_email("sso-req-member"), org, "member", "Mem", "Ber")

    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 1280, "height": 900})
    portal = sign_in_to_portal(page, server, mail, email)
    portal.go("sso")
    sso = SsoPage(page)
    switch = sso.requirement_switch()
    expect(switch).to_be_enabled()
    expect(switch).not_to_be_checked()
    expect(page.get_by_test_id("sso-requirement-state")).to_have_text("Not required")
    expect(page.get_by_test_id("sso-break-glass-none")).to_have_text("No break-glass admins.")
    options = page.get_by_test_id("sso-break-glass-add").locator("option")
    expect(options).to_have_count(3)  # the two active admins; the member does not qualify
    assert sorted(text.strip() for text in options.all_inner_texts()) == [
        "Choose an admin…",
        f"Grace Hopper · {grace}",
        f"Sam Sso (you) · {email}",
    ]

    sso.keep_as_break_glass(f"Sam Sso (you) · {email}")
    expect(page.get_by_test_id(f"sso-break-glass-{admin_id}")).to_contain_text("Sam Sso (you)")

    # The connection stops being active after the page loaded: the server refuses, at the switch.
    set_connection_status(connection.id, "disabled")
    switch.check()
    sso.save_requirement()
    sso.confirm_requirement().click()
    refusal = page.get_by_test_id("sso-required-error")
    expect(refusal).to_contain_text("Enable a connection first")
    expect(switch).to_have_attribute("aria-invalid", "true")
    expect(switch).to_be_focused()
    assert stored_requirement(org) == (False, [])

    set_connection_status(connection.id, "active")
    sso.save_requirement()
    question = page.get_by_role("group", name="Require single sign-on?")
    expect(question).to_contain_text(
        "no longer be able to sign in with an email code or a passkey, only through your identity "
        "provider, except 1 break-glass admin."
    )
    expect(sso.confirm_requirement()).to_be_focused()
    assert axe_violations(page) == []
    shot(page, "sso-requirement-confirm-1280")
    sso.confirm_requirement().click()

    saved = page.get_by_test_id("sso-requirement-saved")
    expect(saved).to_have_text("Saved. Single sign-on is required for your verified domains.")
    expect(saved).to_be_focused()
    expect(page.get_by_test_id("sso-requirement-state")).to_have_text("Required")
    assert stored_requirement(org) == (True, [admin_id])
    assert axe_violations(page) == []
    shot(page, "sso-requirement-1280")

    page.reload()
    expect(sso.requirement_switch()).to_be_checked()
    expect(page.get_by_test_id(f"sso-break-glass-{admin_id}")).to_contain_text(email)
    page.set_viewport_size({"width": 360, "height": 740})
    expect(sso.requirement_switch()).to_be_visible()
    no_horizontal_scroll(page, 360)
    assert axe_violations(page) == []
    shot(page, "sso-requirement-360")
