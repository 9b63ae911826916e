"""The domain's side of the durable job queue (outbox): a job row is written in the transaction of
the change that needs it, and integrators can list what waits and what failed.

Running them (claim, lease, retry, requeue, dead letters) is the runners' business: workers/job_queue.py.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from db.events import Job
from db.ids import new_id
from resolvers.authorization import require_integrator
from resolvers.clock import now
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal

# Kinds with their own retry schedule (seconds before each retry); the rest back off exponentially.
# Read here for how many attempts a new job gets, and by the runners for how long each retry waits.
# Webhooks: the Standard Webhooks reference schedule, stretched to cover about three days.
RETRY_SCHEDULES: dict[str, tuple[float, ...]] = {
    "deliver_webhook": (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000),
}


def max_attempts_for(kind: str, default: int = 8) -> int:
    schedule = RETRY_SCHEDULES.get(kind)
    return len(schedule) + 1 if schedule else default


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


class Deferred(Exception):
    """A job that cannot run yet (an earlier event of the same object is still on its way)."""

    def __init__(self, until: dt.datetime, reason: str) -> None:
        super().__init__(reason)
        self.until = until


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
