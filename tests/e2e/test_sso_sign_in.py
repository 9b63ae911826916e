"""Signing in through an organization's IdP in real Chromium: a person at the verified domain types
their email on the hosted login, is sent to the IdP (a real signing test IdP behind Playwright's
routing), comes back through the ACS and lands in the demo app with the organization's claims."""

import html
import json
import re
import secrets

from playwright.sync_api import Page, Route, expect

from resolvers.idp_settings import SamlSettings, saml_settings
from resolvers.service_provider import ServiceProvider, service_provider
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import DemoApp, SignInPage
from tests.support.deployment import server_deployment
from tests.support.factories import make_organization
from tests.support.saml_idp import SamlIdp
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from tests.support.sso import make_connection, make_verified_domain, unique_domain


def auto_post(action: str, fields: dict[str, str]) -> str:
    """What an IdP answers with after its own sign-in: a form that posts itself to our ACS."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    return (
        f'<!doctype html><form method="post" action="{html.escape(action)}">{inputs}</form>'
        "<script>document.forms[0].submit()</script>"
    )


def federated(name: str) -> tuple[str, str, SamlIdp, ServiceProvider]:
    """An organization with SSO, a verified domain and an active SAML connection to a fresh IdP."""
    org = make_organization(name, ["sso"])
    domain = unique_domain("e2e-sso")
    make_verified_domain(org, domain)
    idp = SamlIdp()
    settings = saml_settings("saml", SamlSettings(metadata_xml=idp.metadata_xml()))
    connection = make_connection(org, idp_settings=settings)
    return org, domain, idp, service_provider(server_deployment(), connection)


def test_a_person_at_a_verified_domain_signs_in_through_the_idp_and_lands_in_the_app(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    name = f"Federated Roasters {secrets.token_hex(2)}"
    org = make_organization(name, ["sso"])
    domain = unique_domain("e2e-sso")
    make_verified_domain(org, domain)
    idp = SamlIdp()
    connection = make_connection(
        org, idp_settings=saml_settings("saml", SamlSettings(metadata_xml=idp.metadata_xml()))
    )
    ours = service_provider(server_deployment(), connection)
    email = f"grace@{domain}"
    requests_seen: list[str] = []

    def the_idp(route: Route) -> None:
        seen = idp.read_authn_request(route.request.url)
        requests_seen.append(seen.request_id)
        answer = idp.response(
            acs_url=ours.acs_url,
            audience=ours.entity_id,
            in_response_to=seen.request_id,
            name_id=email,
            attributes={"email": [email], "firstName": ["Grace"], "lastName": ["Hopper"], "groups": ["navy"]},
        )
        route.fulfill(
            content_type="text/html",
            body=auto_post(ours.acs_url, {"SAMLResponse": answer, "RelayState": seen.relay_state or ""}),
        )

    page.context.route(f"{idp.sso_url}**", the_idp)
    app = DemoApp(page, server.url)
    app.sign_in()
    expect(page).to_have_url(re.compile(r"/a/auth/login\?"))
    before = mail.count(email)
    SignInPage(page, mail).enter_email(email)
    expect(page.get_by_test_id("demo-welcome")).to_contain_text("Grace Hopper")
    expect(page.get_by_test_id("demo-welcome")).to_contain_text(name)
    claims = json.loads(app.claims())
    assert claims["email"] == email and claims["email_verified"] is True
    assert claims["amr"] == ["fed"]
    assert (claims["org_id"], claims["org_name"], claims["roles"]) == (org, name, ["member"])
    assert len(requests_seen) == 1
    assert mail.count(email) == before  # no code: the IdP vouched for the address
    page.screenshot(path=str(ARTIFACTS / "sso-sign-in-landed.png"))


def test_a_refused_answer_shows_why_in_words(
    page: Page, server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization(f"Strict Roasters {secrets.token_hex(2)}", ["sso"])
    domain = unique_domain("e2e-sso")
    make_verified_domain(org, domain)
    idp = SamlIdp()
    connection = make_connection(
        org, idp_settings=saml_settings("saml", SamlSettings(metadata_xml=idp.metadata_xml()))
    )
    ours = service_provider(server_deployment(), connection)

    def an_expired_answer(route: Route) -> None:
        seen = idp.read_authn_request(route.request.url)
        answer = idp.response(
            acs_url=ours.acs_url,
            audience=ours.entity_id,
            in_response_to=seen.request_id,
            name_id=f"late@{domain}",
            not_before=-900,
            not_on_or_after=-600,
        )
        route.fulfill(
            content_type="text/html",
            body=auto_post(ours.acs_url, {"SAMLResponse": answer, "RelayState": seen.relay_state or ""}),
        )

    page.context.route(f"{idp.sso_url}**", an_expired_answer)
    page.goto(f"{server.url}/a/auth/login")
    SignInPage(page, mail).enter_email(f"late@{domain}")
    expect(page.get_by_test_id("sso-error")).to_be_visible()
    expect(page.get_by_role("heading")).to_have_text("We could not sign you in")
    expect(page.get_by_test_id("sso-reason")).to_contain_text("clock_skew")
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(ARTIFACTS / "sso-sign-in-refused-360.png"))
    page.get_by_test_id("sso-back").click()
    expect(page.get_by_test_id("email-input")).to_be_visible()
