"""Runs one job row by its kind; shared by the arq worker and the embedded runner."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from host.settings import Settings
from resolvers import jobs
from workers.email import send_email

log = logging.getLogger("tenantry.jobs")

JobFunction = Callable[[dict[str, Any], Settings], Awaitable[None]]


async def _send_email(payload: dict[str, Any], settings: Settings) -> None:
    await send_email(payload, smtp_url=settings.smtp_url, mail_from=settings.mail_from)


JOB_KINDS: dict[str, JobFunction] = {"send_email": _send_email}


async def execute_job(job_id: str, settings: Settings) -> str:
    """Claim, run and settle one job; idempotent: a finished or taken job is skipped."""
    job = await jobs.claim(job_id)
    if job is None:
        return "skipped"
    function = JOB_KINDS.get(job.kind)
    if function is None:
        return await jobs.mark_failed(job.id, f"unknown job kind {job.kind!r}")
    try:
        await function(job.payload, settings)
    except Exception as error:
        log.warning("job %s (%s) failed: %s", job.id, job.kind, error)
        return await jobs.mark_failed(job.id, f"{type(error).__name__}: {error}")
    await jobs.mark_done(job.id)
    return "done"
