"""Refusals at /graphql's door (bearer token, CSRF) come in GraphQL's error shape, not Litestar's."""

from typing import Any

import httpx

from tests.support.factories import make_app
from tests.support.people import Person
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

QUERY = {"query": "{ organizations { nodes { id } } }"}


def refusal(response: httpx.Response) -> tuple[int, str, str]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"errors"}, body
    (error,) = body["errors"]
    return response.status_code, error["extensions"]["code"], error["message"]


def client_token(server: ServerProcess, scope: str) -> str:
    app = make_app(grant_types=["client_credentials"])
    answer = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(app.client_id, app.client_secret or ""),
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def test_a_token_without_tenantry_manage_gets_a_graphql_forbidden_error(server: ServerProcess) -> None:
    token = client_token(server, scope="")
    response = httpx.post(f"{server.url}/graphql", json=QUERY, headers={"Authorization": f"Bearer {token}"})
    status, code, message = refusal(response)
    assert (status, code) == (403, "FORBIDDEN")
    assert "scope=tenantry:manage" in message, "the message says how to get a token that works"
    assert (
        response.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="tenantry:manage"'
    )


def test_an_invalid_bearer_token_gets_a_graphql_unauthenticated_error(server: ServerProcess) -> None:
    response = httpx.post(f"{server.url}/graphql", json=QUERY, headers={"Authorization": "Bearer nonsense"})
    assert refusal(response)[:2] == (401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"].startswith("Bearer"), "RFC 6750 §3.1"


def test_a_portal_call_without_the_csrf_header_gets_a_graphql_forbidden_error(
    server: ServerProcess, mail: MailSink
) -> None:
    person = Person.at(server.url, mail)
    try:
        person.sign_in("refusal.shape@example.com", intent="signup", first_name="Ray", last_name="Ruiz")
        response = person.http.post("/graphql", json={"query": "{ viewer { user { id } } }"})
        assert refusal(response)[:2] == (403, "FORBIDDEN")
    finally:
        person.http.close()
