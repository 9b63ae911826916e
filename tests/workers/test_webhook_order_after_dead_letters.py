"""Per-object webhook order: a later delivery waits only for earlier ones that can still be sent,
and no longer than they take."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from db.events import Event, Job
from db.ids import new_id
from db.webhooks import WebhookDelivery
from resolvers import jobs, webhook_endpoints
from resolvers.clock import now
from resolvers.events import queue_delivery
from resolvers.principal import SystemPrincipal
from tests.conftest import SECRET_KEY
from tests.support.factories import run
from tests.support.receiver import Receiver
from tests.support.server import ServerProcess
from workers.context import JobContext
from workers.jobs import execute_job
from workers.kinds import JobKind
from workers.registry import JOB_KINDS

OPERATOR = SystemPrincipal("test")
EVENT_TYPE = "organization.updated"


@pytest.fixture
def endpoint_id(server: ServerProcess, receiver: Receiver) -> Iterator[str]:
    """An endpoint on the real receiver, deleted (with its deliveries) after the test."""
    endpoint, _secret = run(
        webhook_endpoints.create_endpoint(
            OPERATOR,
            SECRET_KEY,
            url=f"{receiver.url}/hooks",
            event_types=[EVENT_TYPE],
            private_networks=True,  # the receiver listens on loopback
        )
    )
    yield endpoint.id
    run(webhook_endpoints.delete_endpoint(OPERATOR, endpoint.id))


async def delivery_of_new_event(endpoint_id: str, ordering_key: str) -> tuple[str, str, str]:
    """(event id, delivery id, job id) of one more event about the object, queued for the endpoint."""
    event_id = new_id("evt")
    await Event.insert(Event(id=event_id, type=EVENT_TYPE, data={}, occurred_at=now()))
    delivery_id = await queue_delivery(endpoint_id, event_id, EVENT_TYPE, ordering_key)
    row = (
        await WebhookDelivery.select(WebhookDelivery.job_id).where(WebhookDelivery.id == delivery_id).first()
    )
    assert row is not None
    return event_id, delivery_id, str(row["job_id"])


@pytest.mark.usefixtures("ahead_of_server")
def test_a_delivery_left_pending_by_a_dead_job_does_not_hold_back_later_events_of_its_object(
    endpoint_id: str, receiver: Receiver, job_context: JobContext, made_jobs: list[str]
) -> None:
    key = f"organization:{new_id('org')}"

    async def scenario() -> tuple[str, str]:
        _, _, first_job = await delivery_of_new_event(endpoint_id, key)
        later_event, _, later_job = await delivery_of_new_event(endpoint_id, key)
        made_jobs.extend([first_job, later_job])
        # the process died between dead-lettering the job and recording its delivery as failed
        await Job.update({Job.status: "dead"}).where(Job.id == first_job)
        return later_event, await execute_job(later_job, job_context)

    later_event, result = run(scenario())
    assert result == "done", "sent, not deferred behind a delivery that will never go"
    (request,) = receiver.wait_for(1, timeout=10)
    assert request.headers["webhook-id"] == later_event


@pytest.mark.usefixtures("ahead_of_server")
def test_a_delivery_waiting_for_an_earlier_one_is_due_as_soon_as_that_one_arrives(
    endpoint_id: str, receiver: Receiver, job_context: JobContext, made_jobs: list[str]
) -> None:
    key = f"organization:{new_id('org')}"

    async def scenario() -> tuple[str, dt.datetime, str, dt.datetime]:
        _, _, first_job = await delivery_of_new_event(endpoint_id, key)
        _, _, later_job = await delivery_of_new_event(endpoint_id, key)
        made_jobs.extend([first_job, later_job])
        waited = await execute_job(later_job, job_context)  # the first is still pending: wait
        told = await Job.select(Job.run_at).where(Job.id == later_job).first()
        assert told is not None
        first = await execute_job(first_job, job_context)
        woken = await Job.select(Job.run_at).where(Job.id == later_job).first()
        assert woken is not None
        return waited, told["run_at"], first, woken["run_at"]

    waited, told, first, woken = run(scenario())
    assert (waited, first) == ("deferred", "done")
    assert woken < told, "due at once, not at the end of its deferral"
    assert woken <= now(), "already due"


async def _always_fails(payload: dict[str, Any], job_context: JobContext) -> None:
    raise RuntimeError("the receiver is gone")


async def _dead_letter_crashes(payload: dict[str, Any], error: str) -> None:
    raise RuntimeError("the database went away mid dead-letter")


@pytest.mark.usefixtures("ahead_of_server")
def test_a_job_whose_dead_letter_cannot_be_recorded_is_still_dead_and_never_runs_again(
    monkeypatch: pytest.MonkeyPatch, job_context: JobContext, made_jobs: list[str]
) -> None:
    """Left running, it would be taken again at every lease lapse, past its last attempt, forever."""
    monkeypatch.setitem(JOB_KINDS, "dead_letter_crash_for_test", JobKind(_always_fails, _dead_letter_crashes))

    async def scenario() -> tuple[str, dict[str, Any] | None, str]:
        job_id = await jobs.enqueue("dead_letter_crash_for_test", {"link": "secret"}, max_attempts=1)
        made_jobs.append(job_id)
        status = await execute_job(job_id, job_context)
        row = await Job.select(Job.status, Job.attempts, Job.payload).where(Job.id == job_id).first()
        return status, row, await execute_job(job_id, job_context)

    status, row, again = run(scenario())
    assert status == "dead"
    assert row is not None and (row["status"], row["attempts"]) == ("dead", 1)
    assert "secret" not in str(row["payload"]), "a dead job forgets its payload too"
    assert again == "skipped"
