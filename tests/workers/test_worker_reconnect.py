"""`tenantry worker` with Redis unreachable: it waits longer between tries and says so once a try."""

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.server import start_process, tenantry_env
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


def test_a_worker_whose_redis_never_answers_says_so_and_keeps_trying(tmp_path: Path) -> None:
    black_hole = socket.socket()  # accepts connections and never answers, like a firewalled Redis
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(128)
    log = tmp_path / "worker.log"
    env = tenantry_env(
        {
            "TENANTRY_DATABASE_URL": f"sqlite:///{tmp_path}/worker.sqlite3",
            "TENANTRY_SECRET_KEY": SECRET_KEY,
            "TENANTRY_REDIS_URL": f"redis://127.0.0.1:{black_hole.getsockname()[1]}/0",
        }
    )
    worker = start_process(["worker"], env, log)
    try:
        deadline = time.monotonic() + 60
        while not RECONNECTING.search(log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert RECONNECTING.search(log.read_text()) and "Timeout" in log.read_text(), log.read_text()
        assert worker.poll() is None, "the worker keeps trying"
    finally:
        worker.kill()
        worker.wait()
        black_hole.close()
