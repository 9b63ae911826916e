"""Webhooks end to end: endpoints over GraphQL, signed deliveries checked by the Standard Webhooks
library (not our code), retries, dead letters, the delivery log and replay, on both job runners."""

import datetime as dt
import json
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from db.events import Job
from tests.conftest import Clock
from tests.support.factories import run
from tests.support.graphql import GraphQLCaller
from tests.support.receiver import Received, Receiver

CREATE = """mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename
  ... on CreatedWebhookEndpoint { secret endpoint { id url eventTypes enabled } }
  ... on InvalidInput { field message } } }"""
UPDATE = """mutation($input: WebhookEndpointChanges!) { updateWebhookEndpoint(input: $input) { __typename
  ... on WebhookEndpoint { enabled eventTypes } } }"""
LOG = """query($id: ID!) { webhookEndpoint(endpointId: $id) { deliveries(first: 50) { nodes {
  id eventId eventType status attempts responseStatus lastError nextAttemptAt
  attemptLog { attempt responseStatus } } } } }"""
NEW_ORG = "mutation($n: String!) { createOrganization(name: $n) { ... on Organization { id } } }"


class Endpoint:
    def __init__(self, integrator: GraphQLCaller, receiver: Receiver, event_types: list[str]) -> None:
        created = integrator(
            CREATE, input={"url": f"{receiver.url}/hooks", "eventTypes": event_types, "description": "test"}
        )["data"]["createWebhookEndpoint"]
        assert created["__typename"] == "CreatedWebhookEndpoint", created
        self.id: str = created["endpoint"]["id"]
        self.secret: str = created["secret"]
        self.integrator = integrator

    def verify(self, request: Received) -> dict[str, Any]:
        """The oracle: the Standard Webhooks reference library checks the signature and timestamp."""
        payload: dict[str, Any] = Webhook(self.secret).verify(request.body, request.headers)
        return payload

    def log(self) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = self.integrator(LOG, id=self.id)["data"]["webhookEndpoint"][
            "deliveries"
        ]["nodes"]
        return nodes

    def settled_log(self, event_ids: set[str]) -> dict[str, dict[str, Any]]:
        """The log once every one of `event_ids` is no longer pending: the receiver answers before
        the worker records that answer, so reading the log right after a request races the worker."""
        return dict(
            wait_until(
                lambda: {d["eventId"]: d for d in self.log() if d["eventId"] in event_ids},
                lambda log: set(log) == event_ids and all(d["status"] != "PENDING" for d in log.values()),
            )
        )


@pytest.fixture
def endpoints(integrator: GraphQLCaller) -> Iterator[list[Endpoint]]:
    """Endpoints made by a test are deleted after it, so other tests' events do not reach them."""
    made: list[Endpoint] = []
    yield made
    for endpoint in made:
        integrator("mutation($id: ID!) { deleteWebhookEndpoint(endpointId: $id) }", id=endpoint.id)


def subscribe(
    integrator: GraphQLCaller, receiver: Receiver, endpoints: list[Endpoint], event_types: list[str]
) -> Endpoint:
    endpoints.append(Endpoint(integrator, receiver, event_types))
    return endpoints[-1]


def wait_until(read: Any, done: Any, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def retry_scheduled(endpoint_id: str) -> int:
    """Attempts made by the endpoint's delivery whose job waits for its next try (0 if none)."""
    rows = run(
        Job.raw(
            "SELECT j.attempts FROM webhook_delivery d JOIN job j ON j.id = d.job_id "
            "WHERE d.endpoint = {} AND j.status = 'pending'",
            endpoint_id,
        ).run()
    )
    return int(rows[0]["attempts"]) if rows else 0


def new_organization(integrator: GraphQLCaller) -> str:
    name = f"Hooked {secrets.token_hex(3)}"
    return str(integrator(NEW_ORG, n=name)["data"]["createOrganization"]["id"])


def for_org(organization_id: str) -> Any:
    return lambda request: json.loads(request.body).get("organization_id") == organization_id


def test_an_event_arrives_signed_with_a_stable_envelope(
    integrator: GraphQLCaller, receiver: Receiver, endpoints: list[Endpoint]
) -> None:
    endpoint = subscribe(integrator, receiver, endpoints, ["organization.created", "organization.updated"])
    assert endpoint.secret.startswith("whsec_")
    organization_id = new_organization(integrator)
    (request,) = receiver.wait_for(1, where=for_org(organization_id))
    payload = endpoint.verify(request)
    assert set(payload) == {"id", "type", "occurred_at", "organization_id", "data"}
    assert payload["type"] == "organization.created"
    assert payload["organization_id"] == organization_id
    assert payload["data"]["organization"]["id"] == organization_id
    assert request.headers["webhook-id"] == payload["id"]
    assert request.headers["content-type"] == "application/json"
    with pytest.raises(Exception):  # noqa: B017 - any verification error: the library's own types
        Webhook("whsec_" + "A" * 32).verify(request.body, request.headers)

    delivery = endpoint.settled_log({payload["id"]})[payload["id"]]
    assert delivery["status"] == "SUCCEEDED"
    assert delivery["responseStatus"] == 200
    assert delivery["attemptLog"] == [{"attempt": 1, "responseStatus": 200}]


def test_only_subscribed_event_types_are_sent(
    integrator: GraphQLCaller, receiver: Receiver, endpoints: list[Endpoint]
) -> None:
    subscribe(integrator, receiver, endpoints, ["organization.updated"])
    organization_id = new_organization(integrator)
    integrator(
        "mutation($id: ID!) { setOrganizationFeatures(organizationId: $id, features: [SSO]) { id } }",
        id=organization_id,
    )
    received = receiver.wait_for(1, where=for_org(organization_id))
    assert [json.loads(r.body)["type"] for r in received] == ["organization.updated"]


def test_bad_endpoints_are_refused_with_the_field_named(integrator: GraphQLCaller) -> None:
    cases = [
        ({"url": "ftp://example.com/hook"}, "url"),
        ({"url": "http://example.com/hook"}, "url"),  # plain http only for loopback
        ({"url": "https://user:pw@example.com/hook"}, "url"),
        ({"url": "https://example.com/hook", "eventTypes": ["user.exploded"]}, "eventTypes"),
    ]
    for input_, field in cases:
        result = integrator(CREATE, input=input_)["data"]["createWebhookEndpoint"]
        assert (result["__typename"], result["field"]) == ("InvalidInput", field), input_


def test_a_receiver_failing_half_its_requests_gets_everything_with_the_same_webhook_ids(
    integrator: GraphQLCaller, endpoints: list[Endpoint]
) -> None:
    seen: set[str] = set()

    def first_attempt(number: int, headers: dict[str, str]) -> bool:
        """Half the requests fail: every message's first attempt."""
        fresh = headers["webhook-id"] not in seen
        seen.add(headers["webhook-id"])
        return fresh

    flaky = Receiver(fail=first_attempt).start()
    try:
        endpoint = subscribe(integrator, flaky, endpoints, ["organization.created"])
        organizations = [new_organization(integrator) for _ in range(3)]

        def mine(request: Received) -> bool:
            return json.loads(request.body).get("organization_id") in organizations

        flaky.wait_for(3, timeout=60, where=lambda r: mine(r) and r.answered == 200)
        by_id: dict[str, list[Received]] = {}
        for request in flaky.requests:
            if mine(request):
                endpoint.verify(request)  # every attempt is signed, retries included
                by_id.setdefault(request.headers["webhook-id"], []).append(request)
        assert len(by_id) == 3
        for attempts in by_id.values():
            assert attempts[-1].answered == 200
            assert json.loads(attempts[0].body) == json.loads(attempts[-1].body)
            assert [a.answered for a in attempts] == [500, 200]
            # the retry waited the first step of the schedule (5 s, give or take 20 %)
            assert attempts[1].at - attempts[0].at >= 3.5
        log = endpoint.settled_log(set(by_id))
        for event_id, attempts in by_id.items():
            assert log[event_id]["status"] == "SUCCEEDED"
            assert [a["responseStatus"] for a in log[event_id]["attemptLog"]] == [
                a.answered for a in attempts
            ]
    finally:
        flaky.stop()


def test_a_delivery_that_keeps_failing_is_dead_lettered_and_visible_then_replayed(
    integrator: GraphQLCaller, endpoints: list[Endpoint], clock: Clock
) -> None:
    broken = Receiver(fail=lambda n, headers: True).start()
    try:
        endpoint = subscribe(integrator, broken, endpoints, ["organization.created"])
        organization_id = new_organization(integrator)
        for attempt in range(1, 11):  # the schedule has ten attempts over about three days
            broken.wait_for(attempt, timeout=30, where=for_org(organization_id))
            if attempt < 10:  # let the runner schedule the retry before time jumps past it
                wait_until(
                    lambda: retry_scheduled(endpoint.id), lambda attempts, made=attempt: attempts == made
                )
            clock.advance(90_000)  # past the longest step (72,000 s plus 20 % jitter)
        clock.reset()  # back to real time, where the integrator's token is still valid
        delivery = wait_until(lambda: endpoint.log()[0], lambda d: d["status"] == "FAILED")
        assert delivery["status"] == "FAILED"
        assert delivery["attempts"] == 10
        assert delivery["lastError"].startswith("HTTP 500")
        dead = integrator(
            "{ backgroundJobs(statuses: [DEAD]) { nodes { kind lastError attempts maxAttempts } } }"
        )
        assert any(
            job["kind"] == "deliver_webhook" and job["attempts"] == job["maxAttempts"] == 10
            for job in dead["data"]["backgroundJobs"]["nodes"]
        )

        broken.fail = lambda n, headers: False
        replay = integrator(
            "mutation($id: ID!) { replayWebhookDelivery(deliveryId: $id) }", id=delivery["id"]
        )
        assert replay["data"]["replayWebhookDelivery"] != delivery["id"]
        accepted = broken.wait_for(1, where=lambda r: r.answered == 200)
        assert accepted[0].headers["webhook-id"] == delivery["eventId"], "a replay keeps the webhook-id"
        endpoint.verify(accepted[0])
    finally:
        broken.stop()


def test_a_disabled_endpoint_receives_nothing_new(
    integrator: GraphQLCaller, receiver: Receiver, endpoints: list[Endpoint]
) -> None:
    endpoint = subscribe(integrator, receiver, endpoints, ["organization.created"])
    disabled = integrator(UPDATE, input={"endpointId": endpoint.id, "enabled": False})
    assert disabled["data"]["updateWebhookEndpoint"]["enabled"] is False
    quiet = new_organization(integrator)
    integrator(UPDATE, input={"endpointId": endpoint.id, "enabled": True})
    loud = new_organization(integrator)
    (request,) = receiver.wait_for(1, where=for_org(loud))
    # Deliveries are written with their event, so the log is complete at once: only loud's is in it,
    # and no delivery for quiet exists that could still arrive later.
    assert [d["eventId"] for d in endpoint.log()] == [request.headers["webhook-id"]]
    assert not [r for r in receiver.requests if for_org(quiet)(r)]


def test_the_delivery_log_pages_newest_first(
    integrator: GraphQLCaller, receiver: Receiver, endpoints: list[Endpoint]
) -> None:
    endpoint = subscribe(integrator, receiver, endpoints, ["organization.created"])
    organizations = [new_organization(integrator) for _ in range(3)]
    receiver.wait_for(3, where=lambda r: json.loads(r.body).get("organization_id") in organizations)
    page = """query($id: ID!, $after: String) { webhookEndpoint(endpointId: $id) {
      deliveries(first: 2, after: $after) { nodes { id eventId } pageInfo { hasNextPage endCursor } } } }"""
    first = integrator(page, id=endpoint.id, after=None)["data"]["webhookEndpoint"]["deliveries"]
    assert len(first["nodes"]) == 2 and first["pageInfo"]["hasNextPage"] is True
    second = integrator(page, id=endpoint.id, after=first["pageInfo"]["endCursor"])["data"][
        "webhookEndpoint"
    ]["deliveries"]
    assert len(second["nodes"]) == 1 and second["pageInfo"]["hasNextPage"] is False
    ids = [node["id"] for node in first["nodes"] + second["nodes"]]
    assert ids == sorted(ids, reverse=True), "newest first"
    assert integrator("{ webhookEventTypes }")["data"]["webhookEventTypes"][0] == "user.created"


def test_events_of_one_object_arrive_in_order_even_when_the_first_needs_a_retry(
    integrator: GraphQLCaller, endpoints: list[Endpoint]
) -> None:
    def first_creation_fails(number: int, headers: dict[str, str]) -> bool:
        return number == 1

    flaky = Receiver(fail=first_creation_fails).start()
    try:
        endpoint = subscribe(integrator, flaky, endpoints, ["organization.created", "organization.updated"])
        organization_id = new_organization(integrator)
        for features in ("[SSO]", "[SSO, SCIM]"):
            integrator(
                f"mutation($id: ID!) {{ setOrganizationFeatures(organizationId: $id, features: {features}) {{ id }} }}",
                id=organization_id,
            )
        mine = for_org(organization_id)
        flaky.wait_for(3, timeout=40, where=lambda r: mine(r) and r.answered == 200)
        received = [r for r in flaky.requests if mine(r)]
        assert received[0].answered == 500 and json.loads(received[0].body)["type"] == "organization.created"
        delivered = [endpoint.verify(r) for r in received if r.answered == 200]
        assert [d["type"] for d in delivered] == [
            "organization.created",
            "organization.updated",
            "organization.updated",
        ]
        assert [d["data"]["organization"]["features"] for d in delivered[1:]] == [["sso"], ["sso", "scim"]]
        assert [r.headers["webhook-id"] for r in received[1:]] == sorted(
            r.headers["webhook-id"] for r in received[1:]
        )
        assert received[1].at - received[0].at >= 3.5, "the updates waited for the creation's retry"
    finally:
        flaky.stop()


ROTATE = """mutation($id: ID!, $now: Boolean!) { rotateWebhookSecret(endpointId: $id, immediately: $now) {
  secret previousSecretValidUntil } }"""


def test_a_rotated_secret_signs_alongside_the_old_one_for_a_day_unless_dropped_at_once(
    integrator: GraphQLCaller, receiver: Receiver, endpoints: list[Endpoint], clock: Clock
) -> None:
    endpoint = subscribe(integrator, receiver, endpoints, ["organization.created"])
    first_secret = endpoint.secret

    def next_delivery() -> Received:
        organization_id = new_organization(integrator)
        (request,) = receiver.wait_for(1, where=for_org(organization_id))
        return request

    rotated = integrator(ROTATE, id=endpoint.id, now=False)["data"]["rotateWebhookSecret"]
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != first_secret
    assert rotated["previousSecretValidUntil"] is not None
    during = next_delivery()
    for secret in (first_secret, rotated["secret"]):  # receivers on either secret accept it
        Webhook(secret).verify(during.body, during.headers)
    assert len(during.headers["webhook-signature"].split(" ")) == 2

    dropped = integrator(ROTATE, id=endpoint.id, now=True)["data"]["rotateWebhookSecret"]
    assert dropped["previousSecretValidUntil"] is None
    leaked_out = next_delivery()
    Webhook(dropped["secret"]).verify(leaked_out.body, leaked_out.headers)
    for secret in (first_secret, rotated["secret"]):
        with pytest.raises(Exception):  # noqa: B017 - the library's own verification error
            Webhook(secret).verify(leaked_out.body, leaked_out.headers)

    latest = integrator(ROTATE, id=endpoint.id, now=False)["data"]["rotateWebhookSecret"]["secret"]
    clock.advance(24 * 3600 + 60)
    # The library refuses a timestamp a day ahead of its own clock, so compare with its signer.
    later = next_delivery()
    stamp = dt.datetime.fromtimestamp(int(later.headers["webhook-timestamp"]), dt.UTC)
    expected = Webhook(latest).sign(later.headers["webhook-id"], stamp, later.body.decode())
    assert later.headers["webhook-signature"] == expected, "the old secret's day is over"
