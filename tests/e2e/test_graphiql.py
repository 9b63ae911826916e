"""GraphiQL at /graphql in development, in real Chromium under the server's own strict CSP."""

import re
import secrets

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from host.edge import CONTENT_SECURITY_POLICY
from tests.e2e.pages import GraphiQLPage, SignInPage
from tests.support.factories import make_member, make_organization
from tests.support.people import unique_email
from tests.support.server import REPO, ServerProcess
from tests.support.smtp import MailSink


def test_a_query_typed_into_graphiql_runs_and_shows_data_with_the_strict_csp(
    page: Page, server: ServerProcess, mail: MailSink
) -> None:
    if not (REPO / "frontend" / "dist" / "graphiql" / "graphiql.js").exists():
        pytest.fail("GraphiQL is not built: run `./run build-frontend`")
    email = unique_email("graphiql")
    make_member(email, make_organization(f"GraphiQL Roasters {secrets.token_hex(2)}"), "admin")
    refusals: list[str] = []
    page.on("console", lambda message: _collect_csp_refusals(message, refusals))
    portal_requests: list[str] = []
    page.on("request", lambda request: portal_requests.append(request.url))
    page.goto(f"{server.url}/ui/")
    SignInPage(page, mail).sign_in(email)
    expect(page).to_have_url(re.compile(r"/ui/"))
    expect(page.get_by_test_id("nav-profile")).to_be_visible()
    assert not [url for url in portal_requests if "/static/graphiql/" in url], (
        "the portal never loads GraphiQL"
    )

    answer = page.request.get(f"{server.url}/graphql", headers={"Accept": "text/html"})
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]
    assert "https://" not in answer.text(), "no script or stylesheet from another origin"

    graphiql = GraphiQLPage(page, server.url)
    graphiql.open()
    graphiql.type_query("{ viewer { user { email } } }")
    graphiql.run()

    expect(graphiql.response()).to_contain_text(email)
    assert refusals == [], refusals


def _collect_csp_refusals(message: ConsoleMessage, refusals: list[str]) -> None:
    if "Content Security Policy" in message.text:
        refusals.append(message.text)
