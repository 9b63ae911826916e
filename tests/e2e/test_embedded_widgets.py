"""Tenantry's widgets embedded in another origin's pages, in real Chromium: the plain HTML example
and the React example load /static/embed/embed.js from Tenantry, get a widget token from their
own backend, and show the organization through /graphql (CORS, bearer token, no cookies)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import axe_violations
from tests.support.embedding_app import EmbeddingApp, embedding_app
from tests.support.factories import make_member, make_organization
from tests.support.people import unique_email
from tests.support.server import ServerProcess


@pytest.fixture
def app(server: ServerProcess) -> Iterator[EmbeddingApp]:
    with embedding_app(server.url) as running:
        yield running


@pytest.fixture
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A browser with no Tenantry session at all: the widget's token is all it has."""
    context: BrowserContext = browser.new_context(bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _errors(page: Page) -> list[str]:
    seen: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.append(message.text)

    page.on("console", note)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"embed-{name}.png"), full_page=True)


def test_the_plain_html_example_shows_the_organization_s_members_from_another_origin(
    app: EmbeddingApp, fresh_page: Page, server: ServerProcess, demo: object
) -> None:
    org = make_organization("Embedded Co")
    admin_email = unique_email("embed-admin")
    colleague = unique_email("embed-colleague")
    app.person = (org, make_member(admin_email, org, "admin", "Ada", "Admin"))
    make_member(colleague, org, "member", "Cole", "League")
    page = fresh_page
    errors = _errors(page)
    graphql: list[str] = []
    page.on(
        "request", lambda request: graphql.append(request.url) if request.url.endswith("/graphql") else None
    )

    page.goto(f"{app.origin}/html/index.html")
    widget = page.get_by_test_id("embedded-members")
    expect(widget.get_by_text(colleague)).to_be_visible()
    expect(widget.get_by_text(admin_email)).to_be_visible()

    assert app.minted == [["MEMBERS"]]
    assert graphql and all(url.startswith(server.url) for url in graphql)
    assert page.context.cookies(server.url) == []  # the widget never had a Tenantry session
    assert errors == []
    assert axe_violations(page) == []
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        _shot(page, f"html-{width}px")


def test_the_react_example_shows_settings_and_members_with_one_token(
    app: EmbeddingApp, fresh_page: Page, demo: object
) -> None:
    org = make_organization("React Embedded Co")
    admin_email = unique_email("react-admin")
    app.person = (org, make_member(admin_email, org, "admin", "Rea", "Ct"))
    page = fresh_page
    errors = _errors(page)

    page.goto(f"{app.origin}/react/index.html")
    expect(page.get_by_test_id("react-members").get_by_text(admin_email)).to_be_visible()
    settings = page.get_by_test_id("react-settings")
    expect(settings.get_by_label("Organization name")).to_have_value("React Embedded Co")

    assert app.minted == [["MEMBERS", "ORGANIZATION_SETTINGS"]]
    assert errors == []
    assert axe_violations(page) == []
    _shot(page, "react-1280px")


def test_an_embedded_widget_shows_nothing_of_an_organization_its_person_has_left(
    app: EmbeddingApp, fresh_page: Page, demo: object
) -> None:
    from tests.support.factories import run

    org = make_organization("Left Co")
    email = unique_email("embed-leaver")
    user_id = make_member(email, org, "admin")
    make_member(unique_email("embed-stayer"), org, "admin")
    app.person = (org, user_id)

    async def suspend() -> None:
        from db.orgs import Membership

        await Membership.update({Membership.status: "suspended"}).where(Membership.user == user_id)

    page = fresh_page
    page.goto(f"{app.origin}/html/index.html")
    expect(page.get_by_test_id("embedded-members").get_by_text(email)).to_be_visible()
    run(suspend())
    # the widget reads again (as after its token is renewed): Tenantry refuses the token now
    page.evaluate(
        "() => { const w = document.getElementById('members'); const t = w.token; w.token = ''; w.token = t; }"
    )
    widget = page.get_by_test_id("embedded-members")
    expect(widget.get_by_test_id("error-message")).to_be_visible()
    expect(widget.get_by_text(email)).to_have_count(0)
    for _ in range(50):  # the widget asked its app for a new token, which Tenantry refused too
        if len(app.minted) == 2:
            break
        page.wait_for_timeout(100)
    assert app.minted == [["MEMBERS"], ["MEMBERS"]]
