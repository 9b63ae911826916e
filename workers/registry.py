"""Every job kind and cron, from the modules that define them; both runners read this."""

from workers import backchannel_logout, directory_sync, domain_checks, email, housekeeping, webhook_delivery
from workers.kinds import Cron, JobKind

JOB_KINDS: dict[str, JobKind] = {
    **email.JOBS,
    **webhook_delivery.JOBS,
    **backchannel_logout.JOBS,
    **domain_checks.JOBS,
    **directory_sync.JOBS,
}
CRONS: list[Cron] = [*housekeeping.CRONS, *domain_checks.CRONS]
