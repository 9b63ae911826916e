"""Session timeouts: the application's defaults, an organization's own policy, and the stricter of both.

For each timeout the shorter one wins; an idle timeout set on either side applies. The policy is
applied when a session enters an organization and re-applied to live sessions when it changes,
including when the organization gains or loses the `session_policy` feature (without it, a stored
policy is kept but paused: the app's defaults apply).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from db.identity import Session
from db.ids import new_id
from db.orgs import Organization
from db.orgs import SessionPolicy as SessionPolicyTable
from db.transaction import transaction
from resolvers import audit
from resolvers.authorization import require
from resolvers.clock import now
from resolvers.environment_settings import environment_settings
from resolvers.errors import FeatureNotEnabled, InvalidInput
from resolvers.principal import Principal

FEATURE = "session_policy"
MAX_MINUTES = 60 * 24 * 365


@dataclass(frozen=True, slots=True)
class Timeouts:
    absolute_minutes: int
    idle_minutes: int | None


@dataclass(frozen=True, slots=True)
class OrganizationPolicy:
    custom: bool
    absolute_minutes: int | None
    idle_minutes: int | None
    app_default: Timeouts
    effective: Timeouts


def stricter(app: Timeouts, organization: Timeouts | None) -> Timeouts:
    """The shorter absolute timeout, and the shorter idle timeout of those that are set."""
    if organization is None:
        return app
    idles = [minutes for minutes in (app.idle_minutes, organization.idle_minutes) if minutes is not None]
    return Timeouts(
        absolute_minutes=min(app.absolute_minutes, organization.absolute_minutes),
        idle_minutes=min(idles) if idles else None,
    )


async def app_defaults() -> Timeouts:
    settings = await environment_settings()
    return Timeouts(int(settings.session_absolute_minutes), settings.session_idle_minutes)


async def _entitled(organization_id: str) -> bool:
    row = (
        await Organization.select(Organization.features)
        .where(Organization.id == organization_id)
        .first()
        .output(load_json=True)
    )
    return row is not None and FEATURE in (row["features"] or [])


async def _stored(organization_id: str) -> Timeouts | None:
    """The organization's custom timeouts, while it is entitled to them."""
    if not await _entitled(organization_id):
        return None
    row = (
        await SessionPolicyTable.select()
        .where((SessionPolicyTable.organization == organization_id) & (SessionPolicyTable.custom == True))  # noqa: E712
        .first()
    )
    if row is None or row["absolute_minutes"] is None:
        return None
    return Timeouts(int(row["absolute_minutes"]), row["idle_minutes"])


async def effective_timeouts(organization_id: str | None) -> Timeouts:
    """What a session in this organization (or in none) gets."""
    defaults = await app_defaults()
    return stricter(defaults, await _stored(organization_id) if organization_id else None)


async def _require_feature(organization_id: str) -> None:
    if not await _entitled(organization_id):
        raise FeatureNotEnabled("Session policy is not enabled for this organization.")


async def read_policy(principal: Principal, organization_id: str) -> OrganizationPolicy:
    require(principal, "sk_org_session_policy_read", organization_id)
    await _require_feature(organization_id)
    defaults = await app_defaults()
    stored = await _stored(organization_id)
    return OrganizationPolicy(
        custom=stored is not None,
        absolute_minutes=stored.absolute_minutes if stored else None,
        idle_minutes=stored.idle_minutes if stored else None,
        app_default=defaults,
        effective=stricter(defaults, stored),
    )


async def validate(absolute_minutes: int, idle_minutes: int | None) -> None:
    """Organization absolute > organization idle > the app's access-token lifetime."""
    settings = await environment_settings()
    access_minutes = int(settings.access_token_seconds) / 60
    if not 0 < absolute_minutes <= MAX_MINUTES:
        raise InvalidInput(
            "The absolute timeout must be between 1 minute and 365 days.", field="absoluteMinutes"
        )
    if absolute_minutes <= access_minutes:
        raise InvalidInput(
            "The absolute timeout must be longer than the app's access-token lifetime "
            f"({access_minutes:g} minutes).",
            field="absoluteMinutes",
        )
    if idle_minutes is not None:
        if idle_minutes <= access_minutes:
            raise InvalidInput(
                "The idle timeout must be longer than the app's access-token lifetime "
                f"({access_minutes:g} minutes).",
                field="idleMinutes",
            )
        if idle_minutes >= absolute_minutes:
            raise InvalidInput(
                "The idle timeout must be shorter than the absolute timeout.", field="idleMinutes"
            )


async def update_policy(
    principal: Principal,
    organization_id: str,
    *,
    custom: bool,
    absolute_minutes: int | None = None,
    idle_minutes: int | None = None,
) -> OrganizationPolicy:
    """Use the app's defaults or custom timeouts; live sessions in the organization follow at once."""
    require(principal, "sk_org_session_policy_manage", organization_id)
    await _require_feature(organization_id)
    if custom:
        if absolute_minutes is None:
            raise InvalidInput("Custom timeouts need an absolute timeout.", field="absoluteMinutes")
        await validate(absolute_minutes, idle_minutes)
    moment = now()
    async with transaction():
        await SessionPolicyTable.delete().where(SessionPolicyTable.organization == organization_id)
        await SessionPolicyTable.insert(
            SessionPolicyTable(
                id=new_id("spol"),
                organization=organization_id,
                custom=custom,
                absolute_minutes=absolute_minutes if custom else None,
                idle_minutes=idle_minutes if custom else None,
                updated_at=moment,
            )
        )
        await audit.record(
            principal,
            "session_policy.updated",
            target=("organization", organization_id),
            organization_id=organization_id,
            data={"custom": custom, "absolute_minutes": absolute_minutes, "idle_minutes": idle_minutes},
        )
        await reapply(organization_id)
    return await read_policy(principal, organization_id)


def expiries(
    timeouts: Timeouts, created_at: dt.datetime, last_active_at: dt.datetime
) -> tuple[dt.datetime, dt.datetime | None]:
    absolute = created_at + dt.timedelta(minutes=timeouts.absolute_minutes)
    idle = last_active_at + dt.timedelta(minutes=timeouts.idle_minutes) if timeouts.idle_minutes else None
    return absolute, idle


async def apply_to_session(session_id: str, organization_id: str | None) -> None:
    """Recompute one session's expiries for the organization it is now in."""
    await _set_expiries(session_id, await effective_timeouts(organization_id))


async def _set_expiries(session_id: str, timeouts: Timeouts, seen: dict[str, Any] | None = None) -> None:
    """Expiries from the session's start and last activity, written only over the last activity
    they were computed from: a request that moved it meanwhile makes us read it again, so a
    policy change never leaves a window counted from stale activity."""
    for _ in range(3):
        row = seen or (
            await Session.select(Session.created_at, Session.last_active_at)
            .where(Session.id == session_id)
            .first()
        )
        seen = None
        if row is None:
            return
        absolute, idle = expiries(timeouts, row["created_at"], row["last_active_at"])
        written = (
            await Session.update({Session.absolute_expires_at: absolute, Session.idle_expires_at: idle})
            .where((Session.id == session_id) & (Session.last_active_at == row["last_active_at"]))
            .returning(Session.id)
        )
        if written:
            return


async def reapply(organization_id: str) -> int:
    """After a policy change: every live session in the organization gets the new expiries.

    Sessions already past their expiry stay expired (the clean-up ends them): a relaxed policy
    does not bring them back.
    """
    timeouts = await effective_timeouts(organization_id)
    moment = now()
    rows = await Session.select(Session.id, Session.created_at, Session.last_active_at).where(
        (Session.active_organization == organization_id)
        & Session.revoked_at.is_null()
        & (Session.absolute_expires_at > moment)
        & (Session.idle_expires_at.is_null() | (Session.idle_expires_at > moment))
    )
    for row in rows:
        await _set_expiries(row["id"], timeouts, seen=row)
    return len(rows)
