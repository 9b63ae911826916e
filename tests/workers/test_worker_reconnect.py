"""`tenantry worker` with Redis unreachable: it waits longer between tries and says so once a try."""

import re
import time
from collections.abc import Iterator

import pytest

from tests.support.backend import Backend
from tests.support.smtp import MailSink
from tests.support.stack import Stack, own_stack

RECONNECTING = re.compile(r"reconnecting in (\d+) s")


@pytest.fixture
def stack(backend: Backend, mail: MailSink) -> Iterator[Stack]:
    yield from own_stack(backend, mail, "worker-reconnect")


def test_a_worker_without_redis_backs_off_with_one_line_a_try_not_a_warning_a_second(stack: Stack) -> None:
    stack.start_worker()
    log = stack.workdir / "worker.log"
    deadline = time.monotonic() + 60
    while len(RECONNECTING.findall(log.read_text())) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    redis_lines = [line for line in log.read_text().splitlines() if "redis" in line.lower()]
    assert [int(wait) for wait in RECONNECTING.findall("\n".join(redis_lines))][:3] == [1, 2, 4], redis_lines
    assert len(redis_lines) == 3, "\n".join(redis_lines)
    assert stack.worker is not None and stack.worker.poll() is None, "the worker keeps trying"
