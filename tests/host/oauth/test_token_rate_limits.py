"""Rate limits at the token endpoint count failures, not healthy traffic.

A dedicated server with small limits (failed client authentications: 5 per address, 8 per client
id; public clients' invalid grants: 5 per address; all per minute), so each rule shows quickly.
"""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import server_env
from tests.support.backend import Backend
from tests.support.factories import App, make_app
from tests.support.people import unique_ip
from tests.support.server import ServerProcess, start_server
from tests.support.smtp import MailSink

FAILED_AUTH_PER_IP = 5
FAILED_AUTH_PER_CLIENT = 8
INVALID_GRANT_PER_IP = 5
OLD_LIMIT_PER_CLIENT = 600  # what one healthy client used to be allowed a minute


@pytest.fixture(scope="module")
def limited(backend: Backend, mail: MailSink, server: ServerProcess) -> Iterator[ServerProcess]:
    env = server_env(
        backend,
        mail,
        TENANTRY_RATE_TOKEN_FAILED_AUTH_PER_IP=str(FAILED_AUTH_PER_IP),
        TENANTRY_RATE_TOKEN_FAILED_AUTH_PER_CLIENT=str(FAILED_AUTH_PER_CLIENT),
        TENANTRY_RATE_TOKEN_INVALID_GRANT_PER_IP=str(INVALID_GRANT_PER_IP),
    )
    process = start_server(env, backend.workdir, name="rate-limited")
    yield process
    process.stop()


@pytest.fixture(autouse=True)
def whole_window() -> None:
    """The counters use fixed one-minute windows: start each test with at least 20 s of one left."""
    into_minute = time.time() % 60
    if into_minute > 40:
        time.sleep(60 - into_minute + 0.5)


def token(
    server: ServerProcess, ip: str, data: dict[str, str], auth: tuple[str, str] | None
) -> httpx.Response:
    return httpx.post(f"{server.url}/oauth/token", data=data, auth=auth, headers={"X-Forwarded-For": ip})


def client_credentials(server: ServerProcess, app: App, ip: str, secret: str | None = None) -> httpx.Response:
    return token(
        server, ip, {"grant_type": "client_credentials"}, (app.client_id, secret or app.client_secret or "")
    )


def assert_slow_down(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"] == "slow_down"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["cache-control"] == "no-store"


def test_a_healthy_backend_is_not_limited_past_the_old_600_a_minute(limited: ServerProcess) -> None:
    app = make_app(grant_types=["client_credentials"])
    ip = unique_ip()
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(
            pool.map(
                lambda _: client_credentials(limited, app, ip).status_code, range(OLD_LIMIT_PER_CLIENT + 20)
            )
        )
    assert statuses.count(200) == len(statuses), {s: statuses.count(s) for s in set(statuses)}


def test_failed_client_authentications_from_one_address_get_it_refused_but_not_other_addresses(
    limited: ServerProcess,
) -> None:
    app = make_app(grant_types=["client_credentials"])
    attacker = unique_ip()
    for _ in range(FAILED_AUTH_PER_IP):
        assert client_credentials(limited, app, attacker, secret="wrong").status_code == 401
    assert_slow_down(client_credentials(limited, app, attacker, secret="wrong"))
    assert_slow_down(client_credentials(limited, app, attacker))  # refused, whatever the address sends
    assert client_credentials(limited, app, unique_ip()).status_code == 200


def test_guessing_one_clients_secret_from_many_addresses_never_locks_out_its_own_backend(
    limited: ServerProcess,
) -> None:
    app = make_app(grant_types=["client_credentials"])
    guessers = [unique_ip() for _ in range(FAILED_AUTH_PER_CLIENT)]
    for ip in guessers:
        assert client_credentials(limited, app, ip, secret="wrong").status_code == 401
    assert_slow_down(client_credentials(limited, app, guessers[0], secret="wrong"))
    assert_slow_down(client_credentials(limited, app, guessers[0]))  # a failing address may not try again
    backend_ip = unique_ip()
    for _ in range(3):
        assert client_credentials(limited, app, backend_ip).status_code == 200


def test_invalid_grants_for_public_clients_are_limited_per_address_but_not_for_confidential_ones(
    limited: ServerProcess,
) -> None:
    public = make_app(client_type="public")
    confidential = make_app()
    guesser = unique_ip()
    guess = {"grant_type": "refresh_token", "refresh_token": "guessed", "client_id": public.client_id}
    for _ in range(INVALID_GRANT_PER_IP):
        response = token(limited, guesser, guess, None)
        assert response.json()["error"] == "invalid_grant", response.text
    assert_slow_down(token(limited, guesser, guess, None))
    assert token(limited, unique_ip(), guess, None).json()["error"] == "invalid_grant", (
        "other addresses go on"
    )

    backend_ip = unique_ip()
    for _ in range(INVALID_GRANT_PER_IP * 2):
        response = token(
            limited,
            backend_ip,
            {"grant_type": "refresh_token", "refresh_token": "expired-long-ago"},
            (confidential.client_id, confidential.client_secret or ""),
        )
        assert response.json()["error"] == "invalid_grant", "an authenticated client is never slowed down"


def test_failed_client_authentication_at_the_revocation_endpoint_counts_too(limited: ServerProcess) -> None:
    app = make_app()
    attacker = unique_ip()
    for _ in range(FAILED_AUTH_PER_IP):
        revoke = httpx.post(
            f"{limited.url}/oauth/revoke",
            data={"token": "x"},
            auth=(app.client_id, "wrong"),
            headers={"X-Forwarded-For": attacker},
        )
        assert revoke.status_code == 401
    assert_slow_down(client_credentials(limited, app, attacker))
