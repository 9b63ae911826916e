"""A receiver cannot stall background work: each outbound POST has a deadline and reads a capped answer.

The receivers are real HTTP servers on loopback: one drips its answer a byte at a time forever,
one streams an endless body as fast as it can.
"""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from resolvers.outbound_http import ANSWER_BYTES, DEADLINE_SECONDS, post
from tests.support.factories import run
from tests.support.graphql import GraphQLCaller
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess
from tests.support.smtp import MailSink

CREATE = """mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename
  ... on CreatedWebhookEndpoint { endpoint { id } } ... on InvalidInput { field message } } }"""
LOG = """query($id: ID!) { webhookEndpoint(endpointId: $id) { deliveries(first: 5) { nodes {
  status lastError attemptLog { attempt responseStatus error durationMs } } } } }"""
NEW_ORG = "mutation($n: String!) { createOrganization(name: $n) { ... on Organization { id } } }"


class StreamingReceiver:
    """Answers every POST at once, then writes `chunk` every `every` seconds until the client leaves."""

    def __init__(self, status: int, chunk: bytes, every: float) -> None:
        self.status, self.chunk, self.every = status, chunk, every
        self.arrivals: list[float] = []
        self.bytes_sent = 0
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver._lock:
                    receiver.arrivals.append(time.monotonic())
                self.send_response(receiver.status)
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                self.close_connection = True
                framed = b"%x\r\n%s\r\n" % (len(receiver.chunk), receiver.chunk)
                try:
                    while not receiver.stopped.is_set():
                        self.wfile.write(framed)
                        self.wfile.flush()
                        with receiver._lock:
                            receiver.bytes_sent += len(receiver.chunk)
                        if receiver.every:
                            receiver.stopped.wait(receiver.every)
                except OSError:
                    return  # the client hung up: what we want

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def dripping() -> Iterator[StreamingReceiver]:
    """A chunked 200 whose body comes one byte every 2 s, forever."""
    started = StreamingReceiver(200, b"x", every=2.0)
    yield started
    started.stop()


@pytest.fixture
def endless() -> Iterator[StreamingReceiver]:
    """A 500 whose body never ends, sent as fast as the connection takes it."""
    started = StreamingReceiver(500, b"e" * 65_536, every=0)
    yield started
    started.stop()


def test_an_endless_answer_is_read_only_up_to_the_cap(endless: StreamingReceiver) -> None:
    started = time.monotonic()
    answer = run(post(f"{endless.url}/hooks", private_networks=True, headers={}, content=b"{}"))
    assert answer.status == 500
    assert answer.text == "e" * ANSWER_BYTES
    assert time.monotonic() - started < 5, "it stopped reading at the cap, long before the deadline"
    # what the kernel buffered on loopback, not the unbounded body the old client tried to hold
    assert endless.bytes_sent < 64 * 1024 * 1024


def test_a_dripping_receiver_fails_at_the_deadline_and_jobs_behind_it_still_run(
    integrator: GraphQLCaller, dripping: StreamingReceiver, mail: MailSink, server: ServerProcess
) -> None:
    created = integrator(
        CREATE, input={"url": f"{dripping.url}/hooks", "eventTypes": ["organization.created"]}
    )["data"]["createWebhookEndpoint"]
    assert created["__typename"] == "CreatedWebhookEndpoint", created
    endpoint_id = created["endpoint"]["id"]
    try:
        integrator(NEW_ORG, n="Dripped On")
        deadline = time.monotonic() + 30
        while not dripping.arrivals and time.monotonic() < deadline:
            time.sleep(0.1)
        assert dripping.arrivals, "the delivery reached the dripping receiver"

        # a sign-in code email, queued while the delivery hangs on the receiver
        email = unique_email("behind-a-drip")
        person = Person.at(server.url, mail)
        assert (
            person.start(email, intent="signup", first_name="Queued", last_name="Behind").status_code == 200
        )
        person.http.close()
        mail.wait_for(email, timeout=DEADLINE_SECONDS + 10)
        nodes = integrator(LOG, id=endpoint_id)["data"]["webhookEndpoint"]["deliveries"]["nodes"]
        assert [a for node in nodes for a in node["attemptLog"]] == [], (
            "the email went out while the delivery was still hanging: jobs run side by side"
        )

        attempt = _first_attempt(integrator, endpoint_id, timeout=DEADLINE_SECONDS + 10)
        assert attempt["error"] == f"receiver did not answer within {DEADLINE_SECONDS:.0f} s"
        assert attempt["responseStatus"] is None, "a timed-out attempt is a failure, whatever came first"
        assert DEADLINE_SECONDS * 1000 <= attempt["durationMs"] < (DEADLINE_SECONDS + 3) * 1000
    finally:
        dripping.stop()  # a retry now finds nobody listening and fails at once
        integrator("mutation($id: ID!) { deleteWebhookEndpoint(endpointId: $id) }", id=endpoint_id)


def _first_attempt(integrator: GraphQLCaller, endpoint_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        nodes = integrator(LOG, id=endpoint_id)["data"]["webhookEndpoint"]["deliveries"]["nodes"]
        attempts = [a for node in nodes for a in node["attemptLog"]]
        if attempts or time.monotonic() > deadline:
            assert attempts, "the attempt was recorded"
            first: dict[str, Any] = attempts[0]
            return first
        time.sleep(0.5)
