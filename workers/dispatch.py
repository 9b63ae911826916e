"""The outbox sweep: hands pending job rows to arq; a Redis outage only delays them."""

import asyncio
import contextlib
import dataclasses
import logging

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from redis.exceptions import RedisError

from workers import job_queue
from workers.outage import Outage

log = logging.getLogger("tenantry.jobs")
POLL_SECONDS = 1.0
CONNECT_SECONDS = 5.0


async def sweep_outbox(redis: ArqRedis) -> int:
    """Hand due jobs to arq, marking them queued in the database first.

    In this order a worker only ever sees a job already marked queued, so its outcome (done, a
    retry's back-off, a dead letter) is never overwritten. What Redis refuses goes back to pending
    at once; if this process dies in between, `requeue_stale` returns it later: late, never lost.
    """
    taken = await job_queue.take_due_for_queue(limit=200)
    for sent, (job_id, hand_over) in enumerate(taken):
        try:
            await redis.enqueue_job("run_job", job_id, _job_id=hand_over)
        except Exception:
            await job_queue.return_to_outbox([unsent for unsent, _ in taken[sent:]])
            raise
    return len(taken)


class OutboxDispatcher:
    """Runs in each app node: wakes when a request wrote a job, and polls as a safety net."""

    def __init__(self, redis_url: str) -> None:
        # one connection attempt per sweep: the back-off (and its logging) is ours, not arq's
        self._redis_settings = dataclasses.replace(RedisSettings.from_dsn(redis_url), conn_retries=0)
        self._redis: ArqRedis | None = None
        self.redis_outage = Outage(
            name=f"Redis at {self._redis_settings.host}:{self._redis_settings.port}",
            consequence="background jobs wait in the database outbox",
            log=log,
        )
        self._database_outage = Outage(
            name="The database",
            consequence="the outbox sweep waits",
            log=log,
            traceback_first=True,
        )
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
                if self._redis is None:  # a firewalled Redis never answers arq's ping: give up after a while
                    self._redis = await asyncio.wait_for(create_pool(self._redis_settings), CONNECT_SECONDS)
                await sweep_outbox(self._redis)
            except Exception as error:
                if self._redis is None or isinstance(error, RedisError):  # connecting or enqueueing
                    await self._drop_connection()
                    await asyncio.sleep(self.redis_outage.failed(error))
                else:
                    await asyncio.sleep(self._database_outage.failed(error))
                continue
            self.redis_outage.succeeded()
            self._database_outage.succeeded()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
            self._wake.clear()

    async def _drop_connection(self) -> None:
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
        self._redis = None
