"""The whole SCIM journey in real Chromium: an admin sets up a directory in the portal, an HTTP client
acting as the IdP pushes a person and a group with the token the page showed, the admin maps the
group to Admin and sees the role in Members; deactivating the person in the IdP signs out their
open browser session (a second browser context) at once."""

import re
import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.pages import ScimPage, axe_violations
from tests.e2e.test_portal import new_page, sign_in_to_portal
from tests.support.factories import make_member, make_organization
from tests.support.scim import Directory, ScimClient
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from tests.support.sso import make_verified_domain, unique_domain


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def test_an_admin_connects_a_directory_maps_a_group_to_admin_and_a_deactivation_signs_the_person_out(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"Journey Roasters {secrets.token_hex(2)}", ["scim"])
    domain = unique_domain("journey")
    make_verified_domain(org, domain)
    admin_email = f"sam@{domain}"
    make_member(admin_email, org, "admin", "Sam", "Admin")

    admin = new_page(browser, contexts)
    admin.set_viewport_size({"width": 1280, "height": 900})
    portal = sign_in_to_portal(admin, server, mail, admin_email)
    portal.go("scim")
    admin.get_by_test_id("scim-add").click()
    admin.get_by_test_id("scim-provider-OKTA").click()
    scim_page = ScimPage(admin)
    token = scim_page.token()
    base_url = scim_page.base_url()
    directory_id = base_url.rsplit("/", 1)[1]

    # The IdP, with what the page showed.
    idp = ScimClient(server.url, Directory(directory_id, token, org))
    try:
        person_email = f"grace@{domain}"
        person = idp.create_user(person_email, displayName="Grace Hopper")
        group = idp.create_group("Engineering Admins", [person["id"]])

        # The person signs in, in a browser of their own, and stays on the portal.
        person_page = new_page(browser, contexts)
        sign_in_to_portal(person_page, server, mail, person_email)
        expect(person_page.get_by_test_id("nav-profile")).to_be_visible()

        # The pushed group appears in the admin's mapping table; mapping it to Admin makes Grace an admin.
        admin.reload()
        scim_page.open(directory_id)
        expect(admin.get_by_test_id("scim-log-table")).to_contain_text(person_email)
        scim_page.map_group("Engineering Admins", "admin")
        expect(scim_page.status()).to_contain_text("saved")
        portal.go("members")
        managed = admin.get_by_test_id(f"member-role-managed-{person_email}")
        expect(managed).to_have_text("Role from Okta")
        expect(managed.locator("..")).to_contain_text("Admin")
        expect(admin.get_by_test_id(f"member-role-{person_email}")).to_have_count(0)
        assert axe_violations(admin) == []

        # Okta deactivates Grace: her open session ends at once.
        answer = idp.patch(f"/Users/{person['id']}", [{"op": "replace", "value": {"active": False}}])
        assert answer.status_code == 200, answer.text
        person_page.reload()
        expect(person_page).to_have_url(re.compile(r"/a/auth/login\?"))
        assert group["displayName"] == "Engineering Admins"
    finally:
        idp.close()
