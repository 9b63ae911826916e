"""Domain verification in real Chromium: add, publish in the test DNS server, Verify now, lapse; axe."""

import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.conftest import Clock
from tests.e2e.pages import DomainsPage, axe_violations
from tests.e2e.test_portal import new_page, shot, sign_in_to_portal
from tests.support.dns_server import LoopbackDns
from tests.support.domains import run_due_checks_here, wait_until
from tests.support.factories import make_member, make_organization, run
from tests.support.people import unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

DAY = 24 * 3600


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def last_checked(name: str) -> object:
    from db.domains import Domain

    row = run(Domain.select(Domain.last_checked_at).where(Domain.name == name).first().run())
    assert row is not None
    return row["last_checked_at"]


def test_an_admin_adds_a_domain_verifies_it_and_sees_it_lapse_when_the_record_goes(
    browser: Browser,
    contexts: list[BrowserContext],
    server: ServerProcess,
    mail: MailSink,
    dns_server: LoopbackDns,
    clock: Clock,
    demo: object,
) -> None:
    org = make_organization(f"Domain Roasters {secrets.token_hex(2)}", ["domain_verification"])
    email = unique_email("domains-e2e")
    make_member(email, org, "admin", "Dom", "Ayn")
    page = new_page(browser, contexts)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    portal = sign_in_to_portal(page, server, mail, email)
    portal.go("domains")
    expect(page.get_by_test_id("page-heading")).to_have_text("Domains")
    domains = DomainsPage(page)

    name = f"{secrets.token_hex(4)}.example.com"
    domains.add(name, typed=name.upper())
    expect(domains.status(name)).to_have_text("Pending check")
    host, value = domains.record(name)
    assert host == f"_tenantry-challenge.{name}"
    assert value.startswith("tenantry-domain-verification=")
    expect(page.get_by_test_id(f"domain-zone-note-{name}")).to_contain_text("enter only _tenantry-challenge")
    page.get_by_test_id(f"domain-copy-value-{name}").click()
    expect(page.get_by_test_id("domains-status")).to_contain_text("Copied the value")
    assert page.evaluate("navigator.clipboard.readText()") == value
    assert axe_violations(page) == []
    shot(page, "domains-pending")

    assert "not verified yet" in domains.verify_now(name), "nothing is published yet"
    expect(domains.status(name)).to_have_text("Pending check")
    dns_server.publish(host, value)
    assert "is verified" in domains.verify_now(name)
    expect(domains.status(name)).to_have_text("Verified")
    shot(page, "domains-verified")

    dns_server.remove(host)
    for _ in range(3):  # three daily re-checks without the record
        before = last_checked(name)
        clock.advance(DAY + 60)
        run_due_checks_here()
        wait_until(lambda: last_checked(name) != before, what="the daily re-check")  # noqa: B023 - awaited in this turn
    page.reload()
    expect(domains.status(name)).to_have_text("Lapsed")
    expect(domains.row(name)).to_contain_text("in 3 daily checks in a row")
    assert axe_violations(page) == []
    shot(page, "domains-lapsed")

    domains.remove(name)
    expect(page.get_by_test_id("domains-empty")).to_be_visible()


def test_a_member_sees_domains_read_only(
    browser: Browser, contexts: list[BrowserContext], server: ServerProcess, mail: MailSink, demo: object
) -> None:
    org = make_organization("Read Domains Co", ["domain_verification"])
    make_member(unique_email("domains-admin"), org, "admin")
    email = unique_email("domains-member")
    make_member(email, org, "member", "Mem", "Ber")
    page = new_page(browser, contexts)
    page.set_viewport_size({"width": 360, "height": 740})
    portal = sign_in_to_portal(page, server, mail, email)
    portal.go("domains")
    expect(page.get_by_test_id("domains-read-only")).to_be_visible()
    expect(page.get_by_test_id("domain-add")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"no page-level horizontal scroll at 360 px (scrollWidth {width})"
    assert axe_violations(page) == []
