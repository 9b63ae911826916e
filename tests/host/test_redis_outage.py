"""Redis unreachable: the node keeps serving, says `degraded` when asked, and its log backs off."""

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess, start_server
from tests.support.smtp import MailSink
from tests.support.stack import Stack, own_stack

NEXT_TRY = re.compile(r"next try in (\d+) s")


@pytest.fixture
def stack(backend: Backend, mail: MailSink) -> Iterator[Stack]:
    """A server whose TENANTRY_REDIS_URL names a closed port until the test starts Redis there."""
    yield from own_stack(backend, mail, "redis-outage")


def test_with_redis_unreachable_ready_answers_200_degraded_and_the_log_backs_off_until_one_line_says_it_is_back(
    stack: Stack,
) -> None:
    degraded = _ready_until(stack, lambda body: body.get("redis") == "unreachable")
    assert degraded.status_code == 200, "the node keeps serving: it must not leave the load balancer"
    assert degraded.json()["status"] == "degraded"
    assert "outbox" in degraded.json()["reason"]

    time.sleep(7)
    redis_lines = [line for line in stack.server.log().splitlines() if "redis" in line.lower()]
    assert len(redis_lines) <= 4, "\n".join(redis_lines)  # tries at 0, 1, 3 and 7 s, not every second
    waits = [int(wait) for wait in NEXT_TRY.findall("\n".join(redis_lines))]
    assert waits[:3] == [1, 2, 4], redis_lines

    stack.start_redis()
    back = _ready_until(stack, lambda body: body.get("redis") == "ok", timeout=45)
    assert back.json()["status"] == "ok"
    recovered = [line for line in stack.server.log().splitlines() if "reachable again" in line]
    assert len(recovered) == 1, stack.server.log()


def _ready_until(stack: Stack, wanted: Any, timeout: float = 15) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(f"{stack.server.url}/health/ready", timeout=5)
        if wanted(response.json()) or time.monotonic() > deadline:
            assert wanted(response.json()), response.text
            return response
        time.sleep(0.2)


@pytest.fixture
def firewalled_redis(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server whose Redis accepts connections and never answers, like one behind a firewall."""
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(128)
    server = start_server(
        {
            "TENANTRY_DATABASE_URL": f"sqlite:///{tmp_path}/firewalled.sqlite3",
            "TENANTRY_SECRET_KEY": SECRET_KEY,
            "TENANTRY_SMTP_URL": "smtp://127.0.0.1:1",
            "TENANTRY_TRUSTED_PROXIES": "127.0.0.1",
            "TENANTRY_REDIS_URL": f"redis://127.0.0.1:{black_hole.getsockname()[1]}/0",
        },
        str(tmp_path),
        name="firewalled",
    )
    yield server
    server.process.kill()
    server.process.wait()
    black_hole.close()


def test_with_a_redis_that_never_answers_sign_in_still_answers_and_ready_says_degraded(
    firewalled_redis: ServerProcess,
) -> None:
    person = Person.at(firewalled_redis.url, None)  # type: ignore[arg-type]
    try:
        person.http.timeout = httpx.Timeout(10)
        started = time.monotonic()
        answer = person.start(
            unique_email("firewalled"), intent="signup", first_name="Fire", last_name="Wall"
        )
        assert answer.status_code == 200, answer.text
        assert time.monotonic() - started < 3, "the rate limit's Redis call gives up quickly"
    finally:
        person.http.close()
    deadline = time.monotonic() + 20
    while (ready := httpx.get(f"{firewalled_redis.url}/health/ready", timeout=5)).json().get(
        "redis"
    ) != "unreachable":
        assert time.monotonic() < deadline, ready.text
        time.sleep(0.5)
    assert ready.status_code == 200
