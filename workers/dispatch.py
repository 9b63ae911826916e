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
    """Hand due jobs to arq, marking them queued in the database first.

    In this order a worker only ever sees a job already marked queued, so its outcome (done, a
    retry's back-off, a dead letter) is never overwritten. What Redis refuses goes back to pending
    at once; if this process dies in between, `requeue_stale` returns it later: late, never lost.
    """
    taken = await jobs.take_due_for_queue(limit=200)
    for sent, (job_id, hand_over) in enumerate(taken):
        try:
            await redis.enqueue_job("run_job", job_id, _job_id=hand_over)
        except Exception:
            await jobs.return_to_outbox([unsent for unsent, _ in taken[sent:]])
            raise
    return len(taken)


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
