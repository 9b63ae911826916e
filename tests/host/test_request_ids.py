"""Every answer names its request; a 500 is logged with its traceback and that id, and the person
sees the id, never the traceback."""

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SECRET_KEY
from tests.support.server import ServerProcess, run_cli, start_server


def test_every_answer_carries_its_own_request_id(server: ServerProcess) -> None:
    answers = [
        httpx.get(f"{server.url}/health/live"),
        httpx.get(f"{server.url}/a/auth/login"),
        httpx.get(f"{server.url}/oauth/authorize?client_id=%00"),
        httpx.post(f"{server.url}/graphql", json={"query": "{ branding { appName } }"}),
        httpx.post(f"{server.url}/oauth/token", data={"grant_type": "nonsense"}),
    ]
    ids = [answer.headers.get("x-request-id") for answer in answers]
    assert all(ids), ids
    assert len(set(ids)) == len(ids), "each request gets its own id"


def test_a_proxy_request_id_is_kept_and_a_strange_one_replaced(server: ServerProcess) -> None:
    kept = httpx.get(f"{server.url}/health/live", headers={"X-Request-Id": "lb-7f3a9c21-0001"})
    assert kept.headers["x-request-id"] == "lb-7f3a9c21-0001"
    for strange in ("<script>", "x" * 500, "short"):
        replaced = httpx.get(f"{server.url}/health/live", headers={"X-Request-Id": strange})
        assert replaced.headers["x-request-id"] not in {strange, ""}


@pytest.fixture
def broken_server(tmp_path: Path) -> Iterator[tuple[ServerProcess, str]]:
    """A server of its own whose database loses tables under it (a real fault, not a mock), and an
    integrator's access token obtained before the fault."""
    database = tmp_path / "broken.sqlite3"
    server = start_server(
        {"TENANTRY_DATABASE_URL": f"sqlite:///{database}", "TENANTRY_SECRET_KEY": SECRET_KEY},
        str(tmp_path),
        name="broken",
    )
    try:
        created = run_cli(
            ["applications", "create", "--name", "Probe", "--grant-type", "client_credentials", "--json"],
            server.env,
        )
        app = json.loads(created.stdout)
        token = httpx.post(
            f"{server.url}/oauth/token",
            data={"grant_type": "client_credentials", "scope": "tenantry:manage"},
            auth=(app["client_id"], app["client_secret"]),
        ).json()["access_token"]
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TABLE invitation")
            connection.execute("DROP TABLE role_permission")
        yield server, token
    finally:
        server.stop()


def test_a_500_is_logged_with_its_traceback_and_request_id_and_answers_only_the_id(
    broken_server: tuple[ServerProcess, str],
) -> None:
    server, _ = broken_server
    response = httpx.get(f"{server.url}/a/auth/invitation", params={"token": "anything"})
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert response.json()["request_id"] == request_id
    assert "Traceback" not in response.text and "invitation" not in response.text
    log = server.log()
    assert f"request id {request_id}" in log
    assert "Traceback (most recent call last)" in log
    assert "no such table: invitation" in log


def test_a_masked_graphql_error_is_logged_with_the_request_id_it_answers(
    broken_server: tuple[ServerProcess, str],
) -> None:
    server, token = broken_server
    response = httpx.post(
        f"{server.url}/graphql",
        json={"query": "{ roles { key permissions } }"},
        headers={"X-Request-Id": "probe-roles-0001", "Authorization": f"Bearer {token}"},
    )
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "request_id": "probe-roles-0001"}
    assert "role_permission" not in error["message"]
    log = server.log()
    assert "request id probe-roles-0001" in log
    assert "no such table: role_permission" in log
