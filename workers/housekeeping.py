"""Clean-up crons: sessions past their expiry are ended (and their apps told), old challenges,
SSO attempts, remembered SAML assertion IDs and month-old provisioning log entries go; admins hear
of expiring IdP certificates."""

from resolvers import assertion_replay, certificate_expiry, passkeys, provisioning_log, sessions, sso_attempts
from workers.context import JobContext
from workers.job_queue import requeue_stale
from workers.kinds import Cron


async def _end_expired_sessions(context: JobContext) -> int:
    return await sessions.end_expired_sessions()


async def _delete_expired_challenges(context: JobContext) -> int:
    return await passkeys.delete_expired_challenges()


async def _forget_finished_sso_attempts(context: JobContext) -> int:
    return await sso_attempts.forget_finished_attempts() + await assertion_replay.forget_expired_assertions()


async def _warn_expiring_certificates(context: JobContext) -> int:
    return await certificate_expiry.warn_expiring_certificates(context.deployment)


async def _forget_old_provisioning_entries(context: JobContext) -> int:
    return await provisioning_log.forget_old_entries()


async def _requeue_stale_jobs(context: JobContext) -> int:
    return await requeue_stale()


CRONS = [
    Cron("requeue_stale_jobs", 15, _requeue_stale_jobs),
    Cron("end_expired_sessions", 15, _end_expired_sessions),
    Cron("delete_expired_challenges", 3600, _delete_expired_challenges),
    Cron("forget_finished_sso_attempts", 3600, _forget_finished_sso_attempts),
    Cron("warn_expiring_certificates", 3600, _warn_expiring_certificates),
    Cron("forget_old_provisioning_entries", 3600, _forget_old_provisioning_entries),
]
