"""arq WorkerSettings: `tenantry worker` runs this against TENANTRY_REDIS_URL, with the job context
and database its settings name."""

import dataclasses
from contextlib import AsyncExitStack
from typing import Any, ClassVar

from arq import cron
from arq.connections import ArqRedis, RedisSettings

from db.connection import connected
from workers.context import JobContext
from workers.dispatch import sweep_outbox
from workers.job_queue import requeue_stale
from workers.jobs import execute_job
from workers.kinds import Cron
from workers.registry import CRONS


async def run_job(ctx: dict[str, Any], job_id: str) -> str:
    """Every job kind goes through here, keyed by its row id, so arq's `_job_id` de-duplicates."""
    return await execute_job(job_id, ctx["job_context"])


async def sweep(ctx: dict[str, Any]) -> int:
    """Cron: re-queue what app nodes could not hand over, and what a dead worker left behind."""
    redis: ArqRedis = ctx["redis"]
    await requeue_stale()
    return await sweep_outbox(redis)


def arq_cron(job: Cron) -> Any:
    """An arq cron for one of ours: `unique` keeps two workers from running it at the same tick."""

    async def run_cron(ctx: dict[str, Any]) -> int:
        return await job.run(ctx["job_context"])

    return cron(run_cron, name=f"cron:{job.name}", unique=True, **job.arq_fields())  # type: ignore[arg-type]


def lifecycle(context: JobContext) -> tuple[Any, Any]:
    """arq's start-up and shut-down hooks: the worker's database pool lives between them."""

    async def startup(ctx: dict[str, Any]) -> None:
        stack = AsyncExitStack()
        await stack.enter_async_context(connected(context.database_url, share_sqlite_connection=False))
        ctx["database"] = stack
        ctx["job_context"] = context

    async def shutdown(ctx: dict[str, Any]) -> None:
        if "database" in ctx:
            await ctx.pop("database").aclose()

    return startup, shutdown


def ping_redis(redis_url: str, timeout_seconds: float = 5.0) -> None:
    """Raise unless Redis answers: arq's own ping waits forever on a firewalled one."""
    from redis import Redis

    with Redis.from_url(
        redis_url, socket_connect_timeout=timeout_seconds, socket_timeout=timeout_seconds
    ) as client:
        client.ping()


def worker_settings(redis_url: str, context: JobContext) -> type:
    startup, shutdown = lifecycle(context)

    class WorkerSettings:
        functions: ClassVar[list[Any]] = [run_job]
        cron_jobs: ClassVar[list[Any]] = [
            cron(sweep, second={0, 15, 30, 45}, unique=True, run_at_startup=True),
            *(arq_cron(job) for job in CRONS),
        ]
        on_startup = startup
        on_shutdown = shutdown
        # one connection attempt: `tenantry worker` backs off and says so once per try, arq would
        # log a warning every second
        redis_settings = dataclasses.replace(RedisSettings.from_dsn(redis_url), conn_retries=0)
        max_tries = 1  # retries are ours (back-off, dead-letter), recorded in the job row
        retry_jobs = False

    return WorkerSettings
