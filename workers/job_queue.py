"""The job rows as a queue: handed over to arq, claimed under a lease, and settled (done,
deferred, retried after a back-off, or dead-lettered); both runners go through here.

A row's life: pending -> queued (handed to arq) -> running (claimed) -> done | pending (a retry or
deferral, due later) | dead. Jobs are written by the domain (`resolvers/jobs.enqueue`), inside the
transaction of the change that needs them.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import CombinableMixin

from db.events import Job
from db.sql_datetimes import aware_datetime
from db.transaction import transaction
from resolvers.clock import now
from resolvers.jobs import RETRY_SCHEDULES

BASE_DELAY_SECONDS = 5.0
MAX_DELAY_SECONDS = 6 * 3600.0
CLOCK_TOLERANCE = dt.timedelta(seconds=5)  # how far app nodes' and workers' clocks may differ


@dataclass(frozen=True, slots=True)
class DueJob:
    id: str
    kind: str
    payload: dict[str, Any]
    attempts: int


async def pending_job_ids(limit: int = 100) -> list[str]:
    """Jobs due and not yet handed to a queue: what the embedded runner starts next."""
    return list(
        await Job.select(Job.id)
        .where((Job.status == "pending") & (Job.run_at <= now()))
        .order_by(Job.run_at)
        .limit(limit)
        .output(as_list=True)
    )


async def take_due_for_queue(limit: int = 100) -> list[tuple[str, str]]:
    """Mark due pending jobs queued and return (id, hand-over key) of those this caller took.

    Marked before arq sees them, so no worker outcome can be overwritten; of two sweepers at once
    each row goes to one. The key (attempts and run_at) is new for every retry, deferral or requeue,
    so arq de-duplicates only a repeated hand-over of the same attempt.
    """
    moment = now()
    candidates = (
        await Job.select(Job.id)
        .where((Job.status == "pending") & (Job.run_at <= moment))
        .order_by(Job.run_at)
        .limit(limit)
        .output(as_list=True)
    )
    if not candidates:
        return []
    rows = (  # one statement: a row another sweeper or a worker changed meanwhile is left out
        await Job.update({Job.status: "queued", Job.updated_at: moment})
        .where(Job.id.is_in(candidates) & (Job.status == "pending") & (Job.run_at <= moment))
        .returning(Job.id, Job.attempts, Job.run_at)
    )
    taken = sorted(rows, key=lambda row: (aware_datetime(row["run_at"]), row["id"]))
    return [(row["id"], _hand_over_key(row["id"], row["attempts"], row["run_at"])) for row in taken]


def _hand_over_key(job_id: str, attempts: int, run_at: Any) -> str:
    return f"{job_id}.{attempts}.{int(aware_datetime(run_at).timestamp() * 1000)}"


async def return_to_outbox(job_ids: list[str]) -> None:
    """Jobs marked queued that arq did not take go back to pending, so the next sweep hands them over
    (with the same key: if one did reach Redis, arq runs it once). A job a worker took stays its."""
    if job_ids:
        await Job.update({Job.status: "pending", Job.updated_at: now()}).where(
            Job.id.is_in(job_ids) & (Job.status == "queued")
        )


async def requeue_stale(older_than_seconds: float = 300) -> int:
    """Jobs handed over but never finished go back to pending: queued ones a lost Redis forgot, and
    running ones whose lease ran out (a worker killed mid-job); the next attempt runs them again."""
    moment = now()
    cutoff = moment - dt.timedelta(seconds=older_than_seconds)
    rows = (
        await Job.update({Job.status: "pending", Job.run_at: moment, Job.updated_at: moment})
        .where(
            ((Job.status == "queued") & (Job.updated_at < cutoff))
            | ((Job.status == "running") & (Job.locked_until < moment))
        )
        .returning(Job.id)
    )
    return len(rows)


async def claim(job_id: str, lease_seconds: float = 120, *, due_only: bool = True) -> DueJob | None:
    """Take one job for running; None if another runner has it or it is finished.

    A job waiting for its retry or deferral time stays put (`due_only`), so a stale queue message
    cannot cut its back-off short; tests that park jobs in the future pass False. `run_at` was
    written by another node's clock, hence CLOCK_TOLERANCE: a worker a little behind must not
    leave a fresh job for the five-minute requeue. A running job whose lease ran out is taken
    either way.
    """
    moment = now()
    waiting: CombinableMixin = Job.status.is_in(["pending", "queued"])
    if due_only:
        waiting = waiting & (Job.run_at <= moment + CLOCK_TOLERANCE)
    async with transaction():
        rows = (
            await Job.update(
                {
                    Job.status: "running",
                    Job.attempts: Job.attempts + 1,
                    Job.locked_until: moment + dt.timedelta(seconds=lease_seconds),
                    Job.updated_at: moment,
                }
            )
            .where((Job.id == job_id) & (waiting | ((Job.status == "running") & (Job.locked_until < moment))))
            .returning(Job.id, Job.kind, Job.payload, Job.attempts)
        )
    if not rows:
        return None
    row = rows[0]
    payload = row["payload"]
    if isinstance(payload, str):
        payload = json.loads(payload)
    return DueJob(id=row["id"], kind=row["kind"], payload=payload, attempts=row["attempts"])


async def defer(job_id: str, until: dt.datetime, reason: str) -> None:
    """Put a claimed job back for later without spending one of its attempts."""
    await Job.update(
        {
            Job.status: "pending",
            Job.run_at: until,
            Job.attempts: Job.attempts - 1,  # the hand-over key still changes: run_at moved
            Job.locked_until: None,
            Job.last_error: reason[:2000],
            Job.updated_at: now(),
        }
    ).where(Job.id == job_id)


async def mark_done(job_id: str) -> None:
    """Done, and its payload dropped: an email job carries a sign-in code or invitation link, kept
    elsewhere only as a hash, and nothing reads a finished job's payload again."""
    await Job.update({Job.status: "done", Job.payload: {}, Job.last_error: "", Job.updated_at: now()}).where(
        Job.id == job_id
    )


def retry_delay(attempts: int, kind: str = "") -> float:
    """The kind's schedule or exponential back-off, with jitter so failed jobs do not retry in lockstep."""
    schedule = RETRY_SCHEDULES.get(kind)
    if schedule:
        ceiling = schedule[min(max(0, attempts - 1), len(schedule) - 1)]
        return random.uniform(ceiling * 0.8, ceiling * 1.2)  # noqa: S311 - jitter, not security
    ceiling = min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** max(0, attempts - 1))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security


async def mark_failed(job_id: str, error: str) -> str:
    """Schedule a retry, or dead-letter the job after its last attempt; returns the new status."""
    row = await Job.select(Job.attempts, Job.max_attempts, Job.kind).where(Job.id == job_id).first()
    if row is None:
        return "missing"
    moment = now()
    if row["attempts"] >= row["max_attempts"]:
        status, run_at = "dead", moment
    else:
        delay = retry_delay(row["attempts"], row["kind"])
        status, run_at = "pending", moment + dt.timedelta(seconds=delay)
    changes: dict[Any, Any] = {
        Job.status: status,
        Job.run_at: run_at,
        Job.last_error: error[:2000],
        Job.updated_at: moment,
    }
    if status == "dead":  # as for done: nothing runs it again, so a code or link in it goes
        changes[Job.payload] = {}
    await Job.update(changes).where(Job.id == job_id)
    return status
