"""CORS: browser apps (public clients) reach the OAuth endpoints from their registered origin only.

The origins come from the public clients' redirect URIs; the session-cookie surfaces (/graphql,
/a/auth/api, /ui) never answer another origin.
"""

import httpx
import pytest

from tests.host.oauth.conftest import signed_up_code
from tests.support.factories import App, make_app
from tests.support.people import Person
from tests.support.server import ServerProcess

SPA = "https://spa.example.org"
CLIENT_ENDPOINTS = [
    ("/oauth/token", "POST"),
    ("/oauth/userinfo", "GET"),
    ("/oauth/revoke", "POST"),
    ("/keys", "GET"),
]


def preflight(server: ServerProcess, path: str, origin: str, method: str = "POST") -> httpx.Response:
    return httpx.options(
        f"{server.url}{path}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def browser_app(origin: str = SPA) -> App:
    return make_app(client_type="public", redirect_uris=[f"{origin}/callback"])


@pytest.mark.parametrize(("path", "method"), CLIENT_ENDPOINTS)
def test_a_preflight_from_a_public_clients_origin_is_allowed_on_the_oauth_endpoints(
    server: ServerProcess, path: str, method: str
) -> None:
    browser_app()
    response = preflight(server, path, SPA, method)
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == SPA
    assert method in response.headers["access-control-allow-methods"]
    assert {"authorization", "content-type"} <= {
        h.strip() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert "access-control-allow-credentials" not in response.headers, "no cookies cross origins"


def test_a_browser_app_exchanges_its_code_and_reads_userinfo_from_its_origin(
    server: ServerProcess, person: Person
) -> None:
    app = browser_app("https://code-spa.example.org")
    origin = {"Origin": "https://code-spa.example.org"}
    code, verifier, email = signed_up_code(person, app)
    tokens = httpx.post(
        f"{server.url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app.redirect_uri,
            "code_verifier": verifier,
            "client_id": app.client_id,
        },
        headers=origin,
    )
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["access-control-allow-origin"] == origin["Origin"]
    assert "Origin" in tokens.headers["vary"]
    access_token = tokens.json()["access_token"]
    userinfo = httpx.get(
        f"{server.url}/oauth/userinfo", headers={**origin, "Authorization": f"Bearer {access_token}"}
    )
    assert userinfo.status_code == 200
    assert userinfo.json()["email"] == email
    assert userinfo.headers["access-control-allow-origin"] == origin["Origin"]
    refused = httpx.get(f"{server.url}/oauth/userinfo", headers={**origin, "Authorization": "Bearer nope"})
    assert refused.status_code == 401
    assert "www-authenticate" in refused.headers["access-control-expose-headers"], "the app can read why"
    revoked = httpx.post(
        f"{server.url}/oauth/revoke",
        data={"token": tokens.json()["refresh_token"], "client_id": app.client_id},
        headers=origin,
    )
    assert revoked.status_code == 200
    assert revoked.headers["access-control-allow-origin"] == origin["Origin"]


@pytest.mark.parametrize(("path", "method"), CLIENT_ENDPOINTS)
def test_an_unregistered_origin_or_a_confidential_clients_origin_gets_no_cors_answer(
    server: ServerProcess, path: str, method: str
) -> None:
    make_app(client_type="confidential", redirect_uris=["https://backend.example.org/callback"])
    make_app(client_type="public", redirect_uris=["http://127.0.0.1/callback"], is_native=True)
    for origin in ("https://evil.example.net", "https://backend.example.org", "http://127.0.0.1", "null"):
        assert "access-control-allow-origin" not in preflight(server, path, origin, method).headers, origin
        answer = httpx.request(method, f"{server.url}{path}", headers={"Origin": origin})
        assert "access-control-allow-origin" not in answer.headers, origin
        assert "Origin" in answer.headers["vary"]


@pytest.mark.parametrize("path", ["/a/auth/api/email", "/ui/", "/oauth/authorize", "/health/ready"])
def test_session_cookie_surfaces_never_answer_another_origin_even_a_registered_one(
    server: ServerProcess, path: str
) -> None:
    browser_app()
    assert "access-control-allow-origin" not in preflight(server, path, SPA).headers
    answer = httpx.post(f"{server.url}{path}", headers={"Origin": SPA}, json={})
    assert "access-control-allow-origin" not in answer.headers


def test_graphql_answers_a_registered_app_for_its_widgets_but_never_with_credentials(
    server: ServerProcess,
) -> None:
    """Embedded widgets call /graphql from their app's origin with a bearer widget token; the
    portal's cookie never counts there: no answer allows credentials, nor the CSRF header."""
    browser_app()
    allowed = preflight(server, "/graphql", SPA)
    assert allowed.headers["access-control-allow-origin"] == SPA
    assert "x-csrf-token" not in allowed.headers["access-control-allow-headers"].lower()
    answer = httpx.post(f"{server.url}/graphql", headers={"Origin": SPA}, json={"query": "{ __typename }"})
    assert answer.headers["access-control-allow-origin"] == SPA
    for response in (allowed, answer):
        assert "access-control-allow-credentials" not in response.headers
    assert (
        "access-control-allow-origin" not in preflight(server, "/graphql", "https://evil.example.net").headers
    )


def test_discovery_is_readable_from_any_origin(server: ServerProcess) -> None:
    response = httpx.get(
        f"{server.url}/.well-known/openid-configuration", headers={"Origin": "https://anyone.example.net"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
