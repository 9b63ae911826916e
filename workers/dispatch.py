"""The outbox sweep: hands pending job rows to arq; a Redis outage only delays them."""

import asyncio
import contextlib
import logging

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from resolvers import jobs

log = logging.getLogger("tenantry.jobs")
POLL_SECONDS = 1.0


async def sweep_outbox(redis: ArqRedis) -> int:
    """Enqueue each due job once per hand-over (arq de-duplicates by id), then mark it queued."""
    due = await jobs.due_for_queue(limit=200)
    for job_id, hand_over in due:
        await redis.enqueue_job("run_job", job_id, _job_id=hand_over)
    await jobs.mark_queued([job_id for job_id, _ in due])
    return len(due)


class OutboxDispatcher:
    """Runs in each app node: wakes when a request wrote a job, and polls as a safety net."""

    def __init__(self, redis_url: str) -> None:
        self._redis_settings = RedisSettings.from_dsn(redis_url)
        self._redis: ArqRedis | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="tenantry-outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._redis is not None:
            await self._redis.aclose()

    async def _loop(self) -> None:
        while True:
            try:
                if self._redis is None:
                    self._redis = await create_pool(self._redis_settings)
                await sweep_outbox(self._redis)
            except Exception as error:
                log.warning("outbox sweep failed (%s); jobs stay queued in the database", error)
                if self._redis is not None:
                    with contextlib.suppress(Exception):
                        await self._redis.aclose()
                self._redis = None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
            self._wake.clear()
