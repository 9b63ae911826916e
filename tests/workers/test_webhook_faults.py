"""Faults on the real parts: Redis restarted while events are produced, a worker killed mid-delivery.

Each test runs its own server, Redis and `tenantry worker` (arq), so it can break them freely.
"""

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from tests.conftest import SECRET_KEY, Clock
from tests.support.backend import Backend
from tests.support.receiver import Receiver
from tests.support.server import ServerProcess, free_port, start_process, start_server, tenantry_env
from tests.support.smtp import MailSink


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing")
    return found


@dataclass
class Stack:
    """A server (SQLite file + Redis), its Redis, its worker, and a webhook endpoint on a receiver."""

    server: ServerProcess
    env: dict[str, str]
    workdir: Path
    redis_port: int
    redis: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                redis_binary(),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )

    def stop_redis(self) -> None:
        assert self.redis is not None
        self.redis.terminate()
        self.redis.wait(timeout=10)

    def start_worker(self) -> None:
        self.worker = start_process(["worker"], self.env, self.workdir / "worker.log")

    def cli(self, *args: str) -> dict[str, object]:
        done = subprocess.run(
            [str(Path(shutil.which("tenantry") or ".venv/bin/tenantry")), *args, "--json"],
            env=self.env,
            capture_output=True,
            check=True,
        )
        result: dict[str, object] = json.loads(done.stdout)
        return result

    def close(self) -> None:
        for process in (self.worker, self.redis):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        self.server.stop()


@pytest.fixture
def stack(backend: Backend, mail: MailSink) -> Iterator[Stack]:
    redis_port = free_port()
    workdir = Path(backend.workdir) / f"faults-{redis_port}"
    workdir.mkdir()
    env = {
        "TENANTRY_DATABASE_URL": f"sqlite:///{workdir}/faults.sqlite3",
        "TENANTRY_SECRET_KEY": SECRET_KEY,
        "TENANTRY_SMTP_URL": mail.url,  # type: ignore[attr-defined]
        "TENANTRY_TRUSTED_PROXIES": "127.0.0.1",
        "TENANTRY_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    server = start_server(env, str(workdir), name="faults-server")
    built = Stack(server, tenantry_env({**env, "TENANTRY_PUBLIC_URL": server.url}), workdir, redis_port)
    yield built
    built.close()


def test_events_produced_while_redis_is_down_are_all_delivered_after_it_returns(
    stack: Stack, mail: MailSink
) -> None:
    receiver = Receiver().start()
    try:
        created = stack.cli(
            "webhooks", "create", "--url", f"{receiver.url}/hooks", "--event", "organization.created"
        )
        stack.start_redis()
        stack.start_worker()
        for name in ("Before One", "Before Two"):
            stack.cli("organizations", "create", "--name", name)
        receiver.wait_for(2, timeout=30)

        stack.stop_redis()
        for name in ("During One", "During Two", "During Three"):
            stack.cli("organizations", "create", "--name", name)
        stack.start_redis()  # the worker reconnects by itself; the outbox hands over what waited
        delivered = receiver.wait_for(5, timeout=90)
        names = sorted(Webhook(str(created["secret"])).verify(r.body, r.headers)["data"]["organization"]["name"]
                       for r in delivered)  # fmt: skip
        assert names == sorted(["Before One", "Before Two", "During One", "During Two", "During Three"])
        assert stack.worker is not None and stack.worker.poll() is None, "the worker survived the restart"
    finally:
        receiver.stop()


def test_a_worker_killed_mid_delivery_leaves_it_to_the_next_with_the_same_webhook_id(
    stack: Stack, clock: Clock
) -> None:
    release = threading.Event()
    receiver = Receiver(hold=release).start()
    try:
        created = stack.cli(
            "webhooks", "create", "--url", f"{receiver.url}/hooks", "--event", "organization.created"
        )
        stack.start_redis()
        stack.start_worker()
        stack.cli("organizations", "create", "--name", "Interrupted")
        worker = stack.worker
        assert worker is not None
        deadline = time.monotonic() + 30
        while receiver.arrivals == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert receiver.arrivals == 1 and receiver.requests == [], "the first POST is held open"
        worker.send_signal(signal.SIGKILL)  # killed while the POST is in flight
        worker.wait(timeout=10)
        release.set()  # the dead worker's request completes at the receiver, unanswered to anyone

        clock.advance(130)  # past the job's 120 s lease: the sweep hands it to the next worker
        stack.start_worker()
        first, second = receiver.wait_for(2, timeout=60)
        assert first.headers["webhook-id"] == second.headers["webhook-id"]
        secret = str(created["secret"])
        for request in (first, second):
            assert Webhook(secret).verify(request.body, request.headers)["type"] == "organization.created"
    finally:
        release.set()
        receiver.stop()
