"""The embedded runner: the same job functions, run in-process from the database queue."""

import asyncio
import contextlib
import logging
import time
from math import inf

from host.settings import Settings
from resolvers import jobs
from workers.jobs import execute_job
from workers.registry import CRONS

log = logging.getLogger("tenantry.jobs")
POLL_SECONDS = 1.0


class EmbeddedRunner:
    """Polls due jobs (and wakes at once when a request wrote one); one process, no Redis."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_cron_run: dict[str, float] = {}

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="tenantry-embedded-jobs")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_crons(self) -> None:
        """Each cron when its interval has passed (one process: no need for arq's uniqueness)."""
        moment = time.monotonic()
        for job in CRONS:
            if moment - self._last_cron_run.get(job.name, -inf) >= job.every_seconds:
                self._last_cron_run[job.name] = moment
                try:
                    await job.run(self._settings)
                except Exception:
                    log.exception("cron %s failed", job.name)

    async def run_due(self) -> int:
        ran = 0
        for job_id in await jobs.pending_job_ids(limit=20):
            await execute_job(job_id, self._settings)
            ran += 1
        return ran

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_crons()
                await self.run_due()
            except Exception:
                log.exception("embedded job runner failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
            self._wake.clear()
