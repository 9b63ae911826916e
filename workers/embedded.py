"""The embedded runner: the same job functions, run in-process from the database queue.

Jobs run side by side (up to MAX_IN_FLIGHT) and the loop never waits for one: a webhook receiver
that takes its full 15 s must not hold up the sign-in email queued behind it. Each cron runs as its
own task too, skipped while its previous run is still going.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from math import inf

from workers.context import JobContext
from workers.job_queue import pending_job_ids
from workers.jobs import execute_job
from workers.outage import Outage
from workers.registry import CRONS

log = logging.getLogger("tenantry.jobs")
POLL_SECONDS = 1.0
MAX_IN_FLIGHT = 8


class EmbeddedRunner:
    """Polls due jobs (and wakes at once when a request wrote one); one process, no Redis."""

    def __init__(self, context: JobContext) -> None:
        self._context = context
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_cron_run: dict[str, float] = {}
        self._jobs_in_flight: dict[str, asyncio.Task[None]] = {}
        self._crons_in_flight: dict[str, asyncio.Task[None]] = {}
        self._database_outage = Outage(
            name="The database", consequence="background jobs wait", log=log, traceback_first=True
        )

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="tenantry-embedded-jobs")

    async def stop(self) -> None:
        """Cancel the loop and whatever runs; a cancelled job is taken again when its lease lapses."""
        tasks = [self._task, *self._jobs_in_flight.values(), *self._crons_in_flight.values()]
        for task in tasks:
            if task is not None:
                task.cancel()
        for task in tasks:
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def start_crons(self) -> None:
        """Each cron when its interval has passed (one process: no need for arq's uniqueness)."""
        moment = time.monotonic()
        for cron in CRONS:
            if cron.name in self._crons_in_flight:
                continue
            if moment - self._last_cron_run.get(cron.name, -inf) >= cron.every_seconds:
                self._last_cron_run[cron.name] = moment
                self._crons_in_flight[cron.name] = asyncio.create_task(
                    self._run_cron(cron.name, cron.run), name=f"tenantry-cron-{cron.name}"
                )

    async def _run_cron(self, name: str, run: Callable[[JobContext], Awaitable[object]]) -> None:
        try:
            await run(self._context)
        except Exception:
            log.exception("cron %s failed", name)
        finally:
            del self._crons_in_flight[name]

    async def start_due(self) -> int:
        """Start due jobs while there is room; returns how many started."""
        room = MAX_IN_FLIGHT - len(self._jobs_in_flight)
        if room <= 0:
            return 0
        started = 0
        for job_id in await pending_job_ids(limit=MAX_IN_FLIGHT + len(self._jobs_in_flight)):
            if started == room:
                break
            if job_id in self._jobs_in_flight:  # started, not yet claimed
                continue
            self._jobs_in_flight[job_id] = asyncio.create_task(self._run_job(job_id), name=f"job-{job_id}")
            started += 1
        return started

    async def _run_job(self, job_id: str) -> None:
        try:
            await execute_job(job_id, self._context)
        except Exception:
            log.exception("job %s could not be run; it is taken again when its lease lapses", job_id)
        finally:
            del self._jobs_in_flight[job_id]
            self._wake.set()  # room again, and a retry may already be due

    async def _loop(self) -> None:
        while True:
            try:
                self.start_crons()
                await self.start_due()
            except Exception as error:
                await asyncio.sleep(self._database_outage.failed(error))
                continue
            self._database_outage.succeeded()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
            self._wake.clear()
