"""The bare address, the tab icon and the start-up banner: a newcomer finds the portal and GraphiQL."""

from collections.abc import Iterator

import httpx
import pytest

from tests.support.backend import Backend
from tests.support.graphql import GraphQLCaller
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink
from tests.support.stack import Stack, own_stack

ICO_MAGIC = b"\x00\x00\x01\x00"
SET_FAVICON = """mutation ($url: String!) {
  updateBranding(input: {faviconUrl: $url}) { ... on Branding { faviconUrl } }
}"""


@pytest.fixture(scope="module")
def production(backend: Backend, mail: MailSink) -> Iterator[Stack]:
    """A server outside demo mode (its own database; its Redis never started)."""
    yield from own_stack(backend, mail, "home")


def test_outside_demo_mode_the_bare_address_leads_to_the_portal(production: Stack) -> None:
    response = httpx.get(f"{production.server.url}/")
    assert response.status_code == 302
    assert response.headers["location"] == "/ui/"


def test_in_demo_mode_the_bare_address_is_a_page_linking_the_demo_app_the_portal_and_graphiql(
    server: ServerProcess,
) -> None:
    response = httpx.get(f"{server.url}/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for link in ('href="/demo/"', 'href="/ui/"', 'href="/graphql"'):
        assert link in response.text, response.text


def test_the_favicon_is_tenantrys_own_until_the_branding_sets_one(
    server: ServerProcess, integrator: GraphQLCaller
) -> None:
    own = httpx.get(f"{server.url}/favicon.ico")
    assert own.status_code == 200
    assert own.headers["content-type"] == "image/x-icon"
    assert own.content.startswith(ICO_MAGIC)

    integrator(SET_FAVICON, url="https://assets.example.com/coffee.ico")
    try:
        branded = httpx.get(f"{server.url}/favicon.ico")
        assert branded.status_code == 302
        assert branded.headers["location"] == "https://assets.example.com/coffee.ico"
    finally:
        integrator(SET_FAVICON, url="")
    assert httpx.get(f"{server.url}/favicon.ico").content.startswith(ICO_MAGIC)


def test_the_start_up_banner_names_the_portal_and_names_graphiql_only_where_it_is_served(
    server: ServerProcess, production: Stack
) -> None:
    demo_log = server.log()
    assert f"Account portal:           {server.url}/ui/" in demo_log, demo_log
    assert f"GraphiQL:                 {server.url}/graphql" in demo_log, demo_log

    production_log = production.server.log()
    assert f"{production.server.url}/ui/" in production_log, production_log
    assert "GraphiQL" not in production_log and "/graphql" not in production_log, production_log
    graphiql = httpx.get(f"{production.server.url}/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in graphiql.text.lower(), "the banner's silence matches the server"
