"""/graphql limits each caller (person, integrator client, anonymous address) per minute: requests, and cost."""

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import server_env
from tests.support.backend import Backend
from tests.support.factories import make_app
from tests.support.people import Person, unique_email, unique_ip
from tests.support.server import ServerProcess, start_server
from tests.support.smtp import MailSink

LIMITS = {
    "TENANTRY_RATE_GRAPHQL_PER_ADDRESS": "3",
    "TENANTRY_RATE_GRAPHQL_PER_PERSON": "5",
    "TENANTRY_RATE_GRAPHQL_PER_CLIENT": "50",
    "TENANTRY_GRAPHQL_COST_PER_CLIENT": "1500",
}
# 1 + 100 * (1 + 6): two fit in a budget of 1,500, a third does not
ENDPOINTS = "{ webhookEndpoints(first: 100) { nodes { id url description eventTypes enabled createdAt } } }"


@pytest.fixture(scope="module")
def limited(backend: Backend, mail: MailSink, server: ServerProcess) -> Iterator[ServerProcess]:
    """A server of its own, with limits small enough to reach in a test (on PostgreSQL, the
    session server's worker sends its mail)."""
    started = start_server(server_env(backend, mail, **LIMITS), backend.workdir, name="graphql-limits")
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def whole_window() -> None:
    """Counters reset each minute: start where the test's requests all fall in one window."""
    left = 60 - time.time() % 60
    if left < 10:
        time.sleep(left + 0.1)


def post(server: ServerProcess, query: str, *, address: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/graphql",
        json={"query": query},
        headers={"X-Forwarded-For": address, **headers},
        timeout=30,
    )


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    wait = int(response.headers["retry-after"])
    assert 1 <= wait <= 60
    assert f"retry in {wait} s" in error["message"]


def test_an_anonymous_address_is_refused_with_429_rate_limited_after_its_requests_per_minute(
    limited: ServerProcess,
) -> None:
    address = unique_ip()
    for _ in range(3):
        assert post(limited, "{ branding { appName } }", address=address).status_code == 200

    assert_rate_limited(post(limited, "{ branding { appName } }", address=address))
    assert post(limited, "{ branding { appName } }", address=unique_ip()).status_code == 200, (
        "another address has its own count"
    )


def test_a_signed_in_person_is_limited_as_a_person_whatever_address_they_use(
    limited: ServerProcess, mail: MailSink
) -> None:
    person, other = Person.at(limited.url, mail), Person.at(limited.url, mail)
    try:
        person.sign_in(unique_email("busy"))
        other.sign_in(unique_email("calm"))
        ask = "{ viewer { user { email } } }"
        for _ in range(5):
            answered = person.http.post(
                "/graphql", json={"query": ask}, headers={"X-CSRF-Token": person.csrf()}
            )
            assert answered.status_code == 200, answered.text

        moved = person.http.post(
            "/graphql",
            json={"query": ask},
            headers={"X-CSRF-Token": person.csrf(), "X-Forwarded-For": unique_ip()},
        )
        assert_rate_limited(moved)
        calm = other.http.post("/graphql", json={"query": ask}, headers={"X-CSRF-Token": other.csrf()})
        assert calm.status_code == 200, "another person has their own count"
    finally:
        person.http.close()
        other.http.close()


def client_token(server: ServerProcess) -> str:
    app = make_app(grant_types=["client_credentials"])
    response = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": "tenantry:manage"},
        auth=(app.client_id, app.client_secret or ""),
    )
    return str(response.json()["access_token"])


def test_an_integrator_spends_a_budget_of_cost_per_minute_before_its_request_count(
    limited: ServerProcess,
) -> None:
    bearer = {"Authorization": f"Bearer {client_token(limited)}"}
    for _ in range(2):
        answered = post(limited, ENDPOINTS, address=unique_ip(), **bearer)
        assert answered.status_code == 200 and "errors" not in answered.json(), answered.text

    assert_rate_limited(post(limited, ENDPOINTS, address=unique_ip(), **bearer))
    other = {"Authorization": f"Bearer {client_token(limited)}"}
    assert post(limited, ENDPOINTS, address=unique_ip(), **other).status_code == 200
