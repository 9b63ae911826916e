"""The outbox sweep and stale queue messages race the workers: neither may undo a worker's outcome."""

import datetime as dt
from typing import Any, cast

import pytest
from arq.connections import ArqRedis

from db.events import Job
from resolvers import jobs
from resolvers.clock import now
from tests.support.factories import run
from tests.support.people import unique_email
from tests.support.smtp import MailSink
from workers.context import JobContext
from workers.dispatch import sweep_outbox
from workers.jobs import execute_job

UNKNOWN_KIND = "no_such_kind_for_test"  # fails every attempt: "unknown job kind"


class FastWorker:
    """A queue whose worker runs each of our jobs the moment it is enqueued, before the sweep goes on;
    other tests' jobs are only noted, and handed back to the outbox afterwards."""

    def __init__(self, job_context: JobContext, ours: set[str]) -> None:
        self.job_context = job_context
        self.ours = ours
        self.outcomes: dict[str, str] = {}
        self.others: list[str] = []

    async def enqueue_job(self, function: str, job_id: str, *, _job_id: str) -> None:
        if job_id in self.ours:
            self.outcomes[job_id] = await execute_job(job_id, self.job_context)
        else:
            self.others.append(job_id)


class RedisDown:
    async def enqueue_job(self, function: str, job_id: str, *, _job_id: str) -> None:
        raise ConnectionError("Redis is down")


async def sweep(queue: FastWorker | RedisDown) -> int:
    """One sweep with `queue` standing in for arq's pool (it only calls `enqueue_job`)."""
    try:
        return await sweep_outbox(cast(ArqRedis, queue))
    finally:
        if isinstance(queue, FastWorker) and queue.others:
            await Job.update({Job.status: "pending"}).where(
                Job.id.is_in(queue.others) & (Job.status == "queued")
            )


async def job_row(job_id: str) -> dict[str, Any]:
    row = await Job.select(Job.status, Job.attempts, Job.run_at).where(Job.id == job_id).first()
    assert row is not None
    return row


@pytest.mark.usefixtures("ahead_of_server")
@pytest.mark.parametrize(
    ("kind", "max_attempts", "outcome"),
    [("send_email", 8, "done"), (UNKNOWN_KIND, 3, "pending"), (UNKNOWN_KIND, 1, "dead")],
    ids=["finished", "failed-and-backing-off", "dead-lettered"],
)
def test_the_outbox_sweep_never_overwrites_what_a_fast_worker_already_did(
    job_context: JobContext, mail: MailSink, made_jobs: list[str], kind: str, max_attempts: int, outcome: str
) -> None:
    email = unique_email("race")

    async def scenario() -> tuple[FastWorker, dict[str, Any]]:
        job_id = await jobs.enqueue(
            kind, {"to": email, "subject": "Race", "text": "Once."}, max_attempts=max_attempts
        )
        made_jobs.append(job_id)
        worker = FastWorker(job_context, {job_id})
        await sweep(worker)
        return worker, await job_row(job_id)

    worker, row = run(scenario())
    assert list(worker.outcomes.values()) == [outcome], "the worker ran the job during the sweep"
    assert row["status"] == outcome, "the sweep left the worker's outcome alone"
    assert row["attempts"] == 1
    if outcome == "pending":
        assert row["run_at"] > now(), "the back-off still holds"
    if outcome == "done":
        assert mail.wait_for(email, timeout=10)


@pytest.mark.usefixtures("ahead_of_server")
def test_a_job_redis_refused_goes_back_to_the_outbox_and_the_next_sweep_hands_it_over(
    job_context: JobContext, made_jobs: list[str]
) -> None:
    async def scenario() -> tuple[str, str, dict[str, str]]:
        job_id = await jobs.enqueue(UNKNOWN_KIND, {}, max_attempts=1)
        made_jobs.append(job_id)
        with pytest.raises(ConnectionError):
            await sweep(RedisDown())
        after_outage = (await job_row(job_id))["status"]
        worker = FastWorker(job_context, {job_id})
        await sweep(worker)
        return after_outage, (await job_row(job_id))["status"], worker.outcomes

    after_outage, final, outcomes = run(scenario())
    assert after_outage == "pending", "not left queued for a message Redis never took"
    assert final == "dead" and list(outcomes.values()) == ["dead"], "handed over and run at the next sweep"


def test_a_stale_queue_message_does_not_cut_a_back_off_short(
    server: object, job_context: JobContext, made_jobs: list[str]
) -> None:
    async def scenario() -> tuple[str, dict[str, Any], dict[str, Any]]:
        job_id = await jobs.enqueue(UNKNOWN_KIND, {}, delay_seconds=3600)
        made_jobs.append(job_id)
        await Job.update({Job.attempts: 2}).where(Job.id == job_id)  # waiting for its third try
        before = await job_row(job_id)
        return await execute_job(job_id, job_context), before, await job_row(job_id)

    result, before, after = run(scenario())
    assert result == "skipped"
    assert after == before == {**before, "status": "pending", "attempts": 2}


@pytest.mark.usefixtures("ahead_of_server")
def test_a_worker_whose_clock_is_a_little_behind_still_runs_a_fresh_job(
    job_context: JobContext, made_jobs: list[str]
) -> None:
    """The app node wrote run_at by its clock; a worker two seconds behind sees it as not yet due."""

    async def scenario() -> str:
        job_id = await jobs.enqueue(UNKNOWN_KIND, {}, delay_seconds=2, max_attempts=1)
        made_jobs.append(job_id)
        await Job.update({Job.status: "queued"}).where(Job.id == job_id)  # handed to arq
        return await execute_job(job_id, job_context)

    assert run(scenario()) == "dead", "claimed and run (an unknown kind dies at once), not skipped"


@pytest.mark.usefixtures("ahead_of_server")
def test_a_job_whose_worker_died_is_taken_again_once_its_lease_ran_out(
    job_context: JobContext, mail: MailSink, made_jobs: list[str]
) -> None:
    email = unique_email("lease")

    async def scenario() -> tuple[str, dict[str, Any]]:
        job_id = await jobs.enqueue("send_email", {"to": email, "subject": "Lease", "text": "Again."})
        made_jobs.append(job_id)
        await Job.update(
            {Job.status: "running", Job.attempts: 1, Job.locked_until: now() - dt.timedelta(seconds=1)}
        ).where(Job.id == job_id)
        return await execute_job(job_id, job_context), await job_row(job_id)

    result, row = run(scenario())
    assert (result, row["status"], row["attempts"]) == ("done", "done", 2)
    assert mail.wait_for(email, timeout=10)
