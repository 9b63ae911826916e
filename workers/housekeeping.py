"""Clean-up crons: sessions past their expiry are ended (and their apps told), old challenges go."""

from resolvers import passkeys, sessions
from workers.context import JobContext
from workers.job_queue import requeue_stale
from workers.kinds import Cron


async def _end_expired_sessions(context: JobContext) -> int:
    return await sessions.end_expired_sessions()


async def _delete_expired_challenges(context: JobContext) -> int:
    return await passkeys.delete_expired_challenges()


async def _requeue_stale_jobs(context: JobContext) -> int:
    return await requeue_stale()


CRONS = [
    Cron("requeue_stale_jobs", 15, _requeue_stale_jobs),
    Cron("end_expired_sessions", 15, _end_expired_sessions),
    Cron("delete_expired_challenges", 3600, _delete_expired_challenges),
]
