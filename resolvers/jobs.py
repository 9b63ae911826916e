"""The durable job queue (outbox): rows written with the change, run by arq or the embedded runner."""

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import CombinableMixin

from db.events import Job
from db.ids import new_id
from db.transaction import transaction
from resolvers.authorization import require_integrator
from resolvers.clock import now
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal

BASE_DELAY_SECONDS = 5.0
MAX_DELAY_SECONDS = 6 * 3600.0
CLOCK_TOLERANCE = dt.timedelta(seconds=5)  # how far app nodes' and workers' clocks may differ
# Kinds with their own retry schedule (seconds before each retry); the rest back off exponentially.
# Webhooks: the Standard Webhooks reference schedule, stretched to cover about three days.
RETRY_SCHEDULES: dict[str, tuple[float, ...]] = {
    "deliver_webhook": (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000),
}


def max_attempts_for(kind: str, default: int = 8) -> int:
    schedule = RETRY_SCHEDULES.get(kind)
    return len(schedule) + 1 if schedule else default


@dataclass(frozen=True, slots=True)
class DueJob:
    id: str
    kind: str
    payload: dict[str, Any]
    attempts: int


async def enqueue(
    kind: str, payload: dict[str, Any], *, delay_seconds: float = 0, max_attempts: int | None = None
) -> str:
    """Write a job row; call inside the transaction of the change that needs it."""
    moment = now()
    job_id = new_id("job")
    max_attempts = max_attempts or max_attempts_for(kind)
    await Job.insert(
        Job(
            id=job_id,
            kind=kind,
            payload=payload,
            status="pending",
            max_attempts=max_attempts,
            run_at=moment + dt.timedelta(seconds=delay_seconds),
            created_at=moment,
            updated_at=moment,
        )
    )
    return job_id


async def pending_job_ids(limit: int = 100) -> list[str]:
    """Jobs due and not yet handed to a queue: what the outbox sweep gives to arq."""
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
    taken = sorted(rows, key=lambda row: (_as_datetime(row["run_at"]), row["id"]))
    return [(row["id"], _hand_over_key(row["id"], row["attempts"], row["run_at"])) for row in taken]


def _hand_over_key(job_id: str, attempts: int, run_at: Any) -> str:
    return f"{job_id}.{attempts}.{int(_as_datetime(run_at).timestamp() * 1000)}"


def _as_datetime(value: Any) -> dt.datetime:
    """RETURNING gives strings on SQLite and datetimes on PostgreSQL: one aware shape out."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


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


class Deferred(Exception):
    """A job that cannot run yet (an earlier event of the same object is still on its way)."""

    def __init__(self, until: dt.datetime, reason: str) -> None:
        super().__init__(reason)
        self.until = until


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


@dataclass(frozen=True, slots=True)
class JobRow:
    id: str
    kind: str
    status: str
    attempts: int
    max_attempts: int
    run_at: dt.datetime
    last_error: str
    created_at: dt.datetime


async def list_jobs(
    principal: Principal, statuses: list[str], *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[JobRow]:
    """Integrators see what waits and what failed, with the last error (payloads stay private)."""
    require_integrator(principal)
    if not statuses:  # no status asked for: nothing (an empty IN () is an error in Piccolo)
        return Page([], None, False)
    query = Job.select(
        Job.id,
        Job.kind,
        Job.status,
        Job.attempts,
        Job.max_attempts,
        Job.run_at,
        Job.last_error,
        Job.created_at,
    ).where(Job.status.is_in(statuses))
    page = await keyset_page(query, Job.id, first=first, after=after, newest_first=True)
    return page.map(lambda row: JobRow(**row))
