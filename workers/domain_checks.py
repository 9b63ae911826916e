"""Domain checks: a scheduler cron claims due domains and queues one `check_domain` job for each."""

import datetime as dt
from typing import Any

from resolvers import domain_checks
from workers.context import JobContext
from workers.kinds import Cron, JobKind


async def _check_domain(payload: dict[str, Any], context: JobContext) -> None:
    lease = dt.datetime.fromisoformat(payload["lease"]) if payload.get("lease") else None
    await domain_checks.check_domain(str(payload["domain_id"]), context.deployment, lease=lease)


async def _schedule_due_checks(context: JobContext) -> int:
    return await domain_checks.schedule_due_checks()


JOBS = {"check_domain": JobKind(_check_domain)}
CRONS = [Cron("schedule_domain_checks", 60, _schedule_due_checks)]
