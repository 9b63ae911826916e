"""Runs one job row by its kind; shared by the arq worker and the embedded runner."""

import logging

from db.transaction import transaction
from host.settings import Settings
from resolvers import jobs
from workers.registry import JOB_KINDS

log = logging.getLogger("tenantry.jobs")


async def execute_job(job_id: str, settings: Settings) -> str:
    """Claim, run and settle one job; idempotent: a finished or taken job is skipped."""
    job = await jobs.claim(job_id)
    if job is None:
        return "skipped"
    kind = JOB_KINDS.get(job.kind)
    if kind is None:
        return await jobs.mark_failed(job.id, f"unknown job kind {job.kind!r}")
    try:
        await kind.run(job.payload, settings)
    except jobs.Deferred as deferred:
        await jobs.defer(job.id, deferred.until, str(deferred))
        return "deferred"
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
        log.warning("job %s (%s) failed: %s", job.id, job.kind, message)
        async with transaction():  # a dead job with its dead letter unrecorded would stall others
            status = await jobs.mark_failed(job.id, message)
            if status == "dead" and kind.on_dead is not None:
                await kind.on_dead(job.payload, message)
        return status
    await jobs.mark_done(job.id)
    return "done"
