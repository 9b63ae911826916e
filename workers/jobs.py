"""Runs one job row by its kind; shared by the arq worker and the embedded runner."""

import logging

from db.transaction import transaction
from resolvers.jobs import Deferred
from workers import job_queue
from workers.context import JobContext
from workers.kinds import JobKind
from workers.registry import JOB_KINDS

log = logging.getLogger("tenantry.jobs")


async def _settle_failure(job: job_queue.DueJob, kind: JobKind, message: str) -> str:
    """Retry later, or dead-letter: the dead letter is recorded in the same transaction. If
    recording it fails, the job is still marked dead (it must not run again past its last
    attempt); what it left pending no longer holds anything back, as its job is dead."""
    try:
        async with transaction():
            status = await job_queue.mark_failed(job.id, message)
            if status == "dead" and kind.on_dead is not None:
                await kind.on_dead(job.payload, message)
        return status
    except Exception:
        log.exception("job %s (%s): its dead letter could not be recorded", job.id, job.kind)
        return await job_queue.mark_failed(job.id, message)


async def execute_job(job_id: str, context: JobContext) -> str:
    """Claim, run and settle one job; idempotent: a finished or taken job is skipped."""
    job = await job_queue.claim(job_id)
    if job is None:
        return "skipped"
    kind = JOB_KINDS.get(job.kind)
    if kind is None:
        return await job_queue.mark_failed(job.id, f"unknown job kind {job.kind!r}")
    try:
        await kind.run(job.payload, context)
    except Deferred as deferred:
        await job_queue.defer(job.id, deferred.until, str(deferred))
        return "deferred"
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
        log.warning("job %s (%s) failed: %s", job.id, job.kind, message)
        return await _settle_failure(job, kind, message)
    await job_queue.mark_done(job.id)
    return "done"
