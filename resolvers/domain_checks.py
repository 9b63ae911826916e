"""Looking for a domain's TXT record: the back-off schedule, and pending → verified | failed,
verified → lapsed, each change with its webhook event in the same transaction.

A lookup that cannot get an answer (timeout, SERVFAIL) is retried and never counted as "absent":
only a real NXDOMAIN or an answer without our value counts against a domain.
"""

import asyncio
import datetime as dt
from dataclasses import dataclass, replace

from db.domains import Domain
from db.orgs import Organization
from db.transaction import transaction
from resolvers import audit, events, jobs
from resolvers.authorization import require_widget
from resolvers.clock import now
from resolvers.deployment import Deployment
from resolvers.dns_txt import DnsLookupFailed, contains_value, lookup_txt
from resolvers.domain_claims import verified_elsewhere
from resolvers.domains import (
    FIRST_CHECK_SECONDS,
    DomainRow,
    authorized_domain,
    event_data,
    load_domain,
)
from resolvers.environment_settings import environment_settings
from resolvers.organization_admins import admin_emails
from resolvers.principal import Principal, SystemPrincipal

# Seconds to wait after the n-th check of a pending domain (n = 0: after adding it).
PENDING_BACKOFF = (FIRST_CHECK_SECONDS, 5 * 60, 15 * 60, 3600, 3 * 3600, 6 * 3600)
PENDING_LATER_SECONDS = 12 * 3600
PENDING_DAYS = 7
RECHECK_SECONDS = 24 * 3600
LAPSE_AFTER_MISSES = 3
ERROR_RETRY_SECONDS = 15 * 60
ERROR_GRACE_SECONDS = 24 * 3600  # past the seven days, DNS trouble alone fails a domain only after this
CLAIM_LEASE_SECONDS = 10 * 60  # a claimed check that never ran is claimed again after this
CLAIM_BATCH = 500
ENTITLEMENT = "domain_verification"
PAUSED_RECHECK = dt.timedelta(days=1)  # how often a domain of an organization without it is looked at
VERIFY_NOW_TIMEOUT_SECONDS = 4.0
BACKGROUND_TIMEOUT_SECONDS = 10.0
SYSTEM = SystemPrincipal("domain checks")


@dataclass(frozen=True, slots=True)
class Lookup:
    """One look at DNS: the record is there, it is not, or (`error`) we got no usable answer."""

    found: bool
    error: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    status: str
    attempts: int
    misses: int
    next_check_at: dt.datetime | None
    verified_at: dt.datetime | None
    last_error: str
    event: str | None = None  # the webhook event when the status changes


def pending_delay(checks_made: int) -> int:
    """1 min, 5 min, 15 min, 1 h, 3 h, 6 h, then every 12 h."""
    if checks_made < len(PENDING_BACKOFF):
        return PENDING_BACKOFF[checks_made]
    return PENDING_LATER_SECONDS


def pending_deadline(found: DomainRow) -> dt.datetime:
    return found.created_at + dt.timedelta(days=PENDING_DAYS)


def _verified(found: DomainRow, moment: dt.datetime) -> Decision:
    event = None if found.status == "verified" else "organization.domain_verified"
    return Decision(
        status="verified",
        attempts=0 if event else found.attempts + 1,
        misses=0,
        next_check_at=moment + dt.timedelta(seconds=RECHECK_SECONDS),
        verified_at=moment if event else found.verified_at,
        last_error="",
        event=event,
    )


def _unchanged(found: DomainRow, last_error: str, next_check_at: dt.datetime | None) -> Decision:
    return Decision(found.status, found.attempts, found.misses, next_check_at, found.verified_at, last_error)


def decide(found: DomainRow, lookup: Lookup, moment: dt.datetime, *, scheduled: bool) -> Decision:
    """The next state of a domain after one lookup; `scheduled` false is a person's "Verify now",
    which can verify a domain (whatever its status) but never counts against it."""
    host = found.txt_record_name
    if lookup.error:
        return _after_error(found, lookup.error, moment, scheduled=scheduled)
    if lookup.found:
        if found.status in {"failed", "lapsed"} and scheduled:
            return _unchanged(found, found.last_error, None)
        return _verified(found, moment)
    if not scheduled:
        if found.status == "pending":  # restart the quick checks: the record may be on its way
            next_check = min(moment + dt.timedelta(seconds=pending_delay(0)), pending_deadline(found))
            return replace(
                _unchanged(found, f"The TXT record was not found at {host} yet.", next_check), attempts=0
            )
        return _unchanged(found, f"The TXT record was not found at {host}.", found.next_check_at)
    if found.status == "pending":
        checks = found.attempts + 1
        deadline = pending_deadline(found)
        if moment >= deadline:
            return Decision(
                "failed", checks, 0, None, None,
                f"The TXT record was not found at {host} within {PENDING_DAYS} days. "
                "Publish it, then press Verify now.",
                event="organization.domain_verification_failed",
            )  # fmt: skip
        next_check = min(moment + dt.timedelta(seconds=pending_delay(checks)), deadline)
        return Decision(
            "pending", checks, 0, next_check, None, f"The TXT record was not found at {host} yet."
        )
    if found.status == "verified":
        misses = found.misses + 1
        if misses >= LAPSE_AFTER_MISSES:
            return Decision(
                "lapsed", found.attempts + 1, misses, None, found.verified_at,
                f"The TXT record was missing at {host} in {LAPSE_AFTER_MISSES} daily checks in a row. "
                "Publish it again, then press Verify now.",
                event="organization.domain_lapsed",
            )  # fmt: skip
        return Decision(
            "verified", found.attempts + 1, misses,
            moment + dt.timedelta(seconds=RECHECK_SECONDS), found.verified_at,
            f"The TXT record was missing at {host} ({misses} of {LAPSE_AFTER_MISSES} checks "
            "before the domain lapses). Keep it published.",
        )  # fmt: skip
    return _unchanged(found, found.last_error, None)  # failed and lapsed wait for "Verify now"


def _after_error(found: DomainRow, error: str, moment: dt.datetime, *, scheduled: bool) -> Decision:
    message = f"{error} We will try again."
    if not scheduled:
        return _unchanged(found, message, found.next_check_at)
    if found.status not in {"pending", "verified"}:
        return _unchanged(found, found.last_error, None)
    if found.status == "pending" and moment >= pending_deadline(found) + dt.timedelta(
        seconds=ERROR_GRACE_SECONDS
    ):
        return Decision(
            "failed", found.attempts, 0, None, None,
            f"{error} The record could not be checked within {PENDING_DAYS} days.",
            event="organization.domain_verification_failed",
        )  # fmt: skip
    return _unchanged(found, message, moment + dt.timedelta(seconds=ERROR_RETRY_SECONDS))


async def look_up(found: DomainRow, nameservers: tuple[str, ...], timeout: float) -> Lookup:
    try:
        records = await lookup_txt(found.txt_record_name, nameservers, timeout=timeout)
    except DnsLookupFailed as error:
        return Lookup(found=False, error=str(error))
    return Lookup(found=contains_value(records, found.txt_record_value))


async def apply_lookup(
    seen: DomainRow,
    lookup: Lookup,
    deployment: Deployment,
    *,
    scheduled: bool,
    principal: Principal = SYSTEM,
    lease: dt.datetime | None = None,
) -> DomainRow | None:
    """Write the decision; None when the domain was removed meanwhile.

    A scheduled check with a `lease` no longer on the domain changes nothing: another check of
    the same claim got there first.
    """
    moment = now()
    async with transaction():
        # Lock every row that could decide this claim (this one included) in one ordered statement.
        claimed_by = await verified_elsewhere(seen.name, seen.organization_id, lock=True, below=True)
        current = await load_domain(seen.id)
        if current is None:
            return None
        if lease is not None and current.next_check_at != lease:
            return current
        decision = decide(current, lookup, moment, scheduled=scheduled)
        if decision.status == "verified" and decision.event and claimed_by:
            decision = Decision(
                "failed", current.attempts, 0, None, None,
                f"{claimed_by} was verified by another organization first.",
                event="organization.domain_verification_failed",
            )  # fmt: skip
        updated = replace(
            current,
            status=decision.status,
            attempts=decision.attempts,
            misses=decision.misses,
            next_check_at=decision.next_check_at,
            verified_at=decision.verified_at,
            last_error=decision.last_error,
            last_checked_at=moment,
        )
        await Domain.update(
            {
                Domain.status: updated.status,
                Domain.attempts: updated.attempts,
                Domain.misses: updated.misses,
                Domain.next_check_at: updated.next_check_at,
                Domain.verified_at: updated.verified_at,
                Domain.last_error: updated.last_error,
                Domain.last_checked_at: moment,
                Domain.updated_at: moment,
            }
        ).where(Domain.id == current.id)
        if decision.event:
            await events.emit(decision.event, event_data(updated), organization_id=updated.organization_id)
            await audit.record(
                principal,
                decision.event,
                target=("domain", updated.id),
                organization_id=updated.organization_id,
                data={"name": updated.name, "status": updated.status},
            )
            if decision.status == "lapsed":
                await _tell_admins_it_lapsed(updated, deployment)
    return updated


async def check_domain(
    domain_id: str, deployment: Deployment, *, lease: dt.datetime | None = None
) -> DomainRow | None:
    """One scheduled check (the `check_domain` job): look up, then apply.

    With the `lease` of the claim that queued it, a check whose domain was checked or claimed
    again since then does nothing.
    """
    seen = await load_domain(domain_id)
    if seen is None or seen.status not in {"pending", "verified"}:
        return seen
    if lease is not None and seen.next_check_at != lease:
        return seen
    lookup = await look_up(seen, deployment.dns_nameservers, BACKGROUND_TIMEOUT_SECONDS)
    return await apply_lookup(seen, lookup, deployment, scheduled=True, lease=lease)


async def verify_now(principal: Principal, deployment: Deployment, domain_id: str) -> DomainRow:
    """A person's "Verify now": one quick lookup while they wait."""
    seen = await authorized_domain(principal, domain_id, "sk_org_settings_manage")
    require_widget(principal, "domains")
    lookup = await look_up(seen, deployment.dns_nameservers, VERIFY_NOW_TIMEOUT_SECONDS)
    updated = await apply_lookup(seen, lookup, deployment, scheduled=False, principal=principal)
    return updated or seen


async def claim_due(limit: int = CLAIM_BATCH) -> tuple[list[str], dt.datetime]:
    """Due domains, each moved to the end of a lease in one UPDATE, so two ticks never both take one.

    The lease end is the claim's stamp: a check runs only while the domain still carries it, so a
    check claimed again after its lease (a backlogged queue) runs once, not twice.
    """
    moment = now()
    lease = moment + dt.timedelta(seconds=CLAIM_LEASE_SECONDS)
    rows = (
        await Domain.select(Domain.id, Domain.organization.features.as_alias("features"))
        .where(Domain.next_check_at.is_not_null() & (Domain.next_check_at <= moment))
        .order_by(Domain.next_check_at)
        .limit(limit)
        .output(load_json=True)
    )
    due = [row["id"] for row in rows if ENTITLEMENT in (row["features"] or [])]
    paused = [row["id"] for row in rows if ENTITLEMENT not in (row["features"] or [])]
    if paused:  # the organization lost the entitlement: no DNS checks, ask again in a day
        await Domain.update({Domain.next_check_at: moment + PAUSED_RECHECK, Domain.updated_at: moment}).where(
            Domain.id.is_in(paused) & (Domain.next_check_at <= moment)
        )
    if not due:
        return [], lease
    claimed = (
        await Domain.update({Domain.next_check_at: lease, Domain.updated_at: moment})
        .where(Domain.id.is_in(due) & (Domain.next_check_at <= moment))
        .returning(Domain.id)
    )
    return [str(row["id"]) for row in claimed], lease


async def schedule_due_checks(*, max_batches: int = 20) -> int:
    """The scheduler cron: one `check_domain` job per due domain, claimed and queued together."""
    queued = 0
    for _ in range(max_batches):
        async with transaction():
            claimed, lease = await claim_due()
            for domain_id in claimed:
                await jobs.enqueue(
                    "check_domain", {"domain_id": domain_id, "lease": lease.isoformat()}, max_attempts=3
                )
        queued += len(claimed)
        if len(claimed) < CLAIM_BATCH:
            break
    return queued


async def run_due_checks(deployment: Deployment, *, concurrency: int = 8) -> int:
    """Every due check, now, in this process (`tenantry domains check-due`); returns how many ran."""
    gate = asyncio.Semaphore(concurrency)

    async def one(domain_id: str, lease: dt.datetime) -> None:
        async with gate:
            await check_domain(domain_id, deployment, lease=lease)

    checked = 0
    while True:
        async with transaction():
            claimed, lease = await claim_due()
        await asyncio.gather(*(one(domain_id, lease) for domain_id in claimed))
        checked += len(claimed)
        if len(claimed) < CLAIM_BATCH:
            return checked


async def _tell_admins_it_lapsed(found: DomainRow, deployment: Deployment) -> None:
    organization = (
        await Organization.select(Organization.name).where(Organization.id == found.organization_id).first()
    )
    organization_name = organization["name"] if organization else "your organization"
    app_name = (await environment_settings()).app_name
    for email in await admin_emails(found.organization_id, "sk_org_settings_manage"):
        text = (
            f"{found.name} is no longer a verified domain of {organization_name} on {app_name}: "
            f"its DNS TXT record was missing in {LAPSE_AFTER_MISSES} daily checks in a row.\n\n"
            "To verify it again, publish this TXT record at your DNS provider:\n\n"
            f"  Host:  {found.txt_record_name}\n"
            f"  Value: {found.txt_record_value}\n\n"
            f"Then press Verify now on {deployment.issuer}/ui/domains"
        )
        await jobs.enqueue(
            "send_email",
            {
                "to": email,
                "subject": f"{found.name} is no longer verified for {organization_name}",
                "text": text,
            },
            max_attempts=5,
        )
