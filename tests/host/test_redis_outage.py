"""Redis unreachable: the node keeps serving, says `degraded` when asked, and its log backs off."""

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.backend import Backend
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
