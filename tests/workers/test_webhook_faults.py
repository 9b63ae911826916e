"""Faults on the real parts: Redis restarted while events are produced, a worker killed mid-delivery.

Each test runs its own server, Redis and `tenantry worker` (arq), so it can break them freely.
"""

import signal
import threading
import time
from collections.abc import Iterator

import pytest
from standardwebhooks.webhooks import Webhook

from tests.conftest import Clock
from tests.support.backend import Backend
from tests.support.receiver import Receiver
from tests.support.smtp import MailSink
from tests.support.stack import Stack, own_stack


@pytest.fixture
def stack(backend: Backend, mail: MailSink) -> Iterator[Stack]:
    yield from own_stack(backend, mail, "faults")


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
