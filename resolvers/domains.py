"""An organization's claimed domains: adding one (with the TXT record to publish), listing, removing.

The DNS side (looking for the record, the schedule, pending → verified → lapsed) is
resolvers/domain_checks.py; who may claim which name is resolvers/domain_claims.py.
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from db.domains import Domain
from db.federation import SSOConnection
from db.ids import new_id
from db.orgs import Organization
from db.transaction import for_update, transaction
from resolvers import audit, events
from resolvers.authorization import require, require_widget
from resolvers.clock import now
from resolvers.domain_claims import refuse_claimed_elsewhere
from resolvers.domain_names import InvalidDomain, normalize_domain
from resolvers.errors import FeatureNotEnabled, Forbidden, InvalidInput, NotFound
from resolvers.organizations import organization_features
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal, UserPrincipal

FEATURE = "domain_verification"
CHALLENGE_LABEL = "_tenantry-challenge"
VALUE_PREFIX = "tenantry-domain-verification="
FIRST_CHECK_SECONDS = 60  # a person needs a moment to publish the record before the first look
MAX_DOMAINS_PER_ORGANIZATION = 100


class DomainAlreadyAdded(InvalidDomain):
    code = "domain_already_added"


@dataclass(frozen=True, slots=True)
class DomainRow:
    id: str
    organization_id: str
    name: str
    token: str
    status: str  # pending | verified | failed | lapsed
    attempts: int
    misses: int
    last_checked_at: dt.datetime | None
    next_check_at: dt.datetime | None
    verified_at: dt.datetime | None
    last_error: str
    created_at: dt.datetime

    @property
    def txt_record_name(self) -> str:
        return f"{CHALLENGE_LABEL}.{self.name}"

    @property
    def txt_record_value(self) -> str:
        return f"{VALUE_PREFIX}{self.token}"


def domain_row(row: dict[str, Any]) -> DomainRow:
    return DomainRow(
        id=row["id"],
        organization_id=row["organization"],
        name=row["name"],
        token=row["token"],
        status=row["status"],
        attempts=row["attempts"],
        misses=row["misses"],
        last_checked_at=row["last_checked_at"],
        next_check_at=row["next_check_at"],
        verified_at=row["verified_at"],
        last_error=row["last_error"] or "",
        created_at=row["created_at"],
    )


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


def event_data(found: DomainRow) -> dict[str, Any]:
    """The webhook payload of every organization.domain_* event."""
    return {
        "domain": {
            "id": found.id,
            "organization_id": found.organization_id,
            "name": found.name,
            "status": found.status,
            "txt_record_name": found.txt_record_name,
            "verified_at": _iso(found.verified_at),
            "last_checked_at": _iso(found.last_checked_at),
            "last_error": found.last_error or None,
            "created_at": _iso(found.created_at),
        }
    }


async def load_domain(domain_id: str, *, lock: bool = False) -> DomainRow | None:
    """One domain; with `lock`, held until the transaction ends (concurrent checks apply in turn)."""
    query = Domain.select().where(Domain.id == domain_id)
    rows = await (for_update(query) if lock else query)
    return domain_row(rows[0]) if rows else None


async def require_feature(organization_id: str) -> None:
    if FEATURE not in await organization_features(organization_id):
        raise FeatureNotEnabled("Domain verification is not enabled for this organization.")


async def authorized_domain(principal: Principal, domain_id: str, permission: str) -> DomainRow:
    """A domain the principal may act on; another organization's reads exactly like a missing one."""
    found = await load_domain(domain_id)
    if found is None:
        raise NotFound("No such domain.")
    if isinstance(principal, UserPrincipal) and principal.organization_id != found.organization_id:
        raise NotFound("No such domain.")
    require(principal, permission, found.organization_id)
    await require_feature(found.organization_id)
    return found


async def list_domains(
    principal: Principal, organization_id: str, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[DomainRow]:
    """By name (unique within an organization), so `after` is the last name of the page before."""
    require(principal, "sk_org_settings_read", organization_id)
    await require_feature(organization_id)
    query = Domain.select().where(Domain.organization == organization_id)
    page = await keyset_page(query, Domain.name, first=first, after=after, key_name="name")
    return page.map(domain_row)


def new_token() -> str:
    """128 random bits in lower-case hex: survives DNS consoles that change case or quote values."""
    return secrets.token_hex(16)


async def add_domain(principal: Principal, organization_id: str, raw_name: str) -> DomainRow:
    """Claim a name: pending, with a fresh token, until its TXT record is seen."""
    require(principal, "sk_org_settings_manage", organization_id)
    require_widget(principal, "domains")
    await require_feature(organization_id)
    name = normalize_domain(raw_name)
    moment = now()
    domain_id = new_id("dom")
    async with transaction():
        # Adds to one organization queue behind its row, so "already added" cannot be raced.
        if not await for_update(
            Organization.select(Organization.id).where(Organization.id == organization_id)
        ):
            raise NotFound("No such organization.")
        existing = await Domain.select(Domain.name).where(Domain.organization == organization_id)
        if any(row["name"] == name for row in existing):
            raise DomainAlreadyAdded(f"{name} is already on this organization's list.", domain=raw_name)
        if len(existing) >= MAX_DOMAINS_PER_ORGANIZATION:
            raise InvalidInput(
                f"An organization can claim up to {MAX_DOMAINS_PER_ORGANIZATION} domains; remove one first.",
                field="name",
            )
        await refuse_claimed_elsewhere(name, organization_id)
        await Domain.insert(
            Domain(
                id=domain_id,
                organization=organization_id,
                name=name,
                token=new_token(),
                status="pending",
                next_check_at=moment + dt.timedelta(seconds=FIRST_CHECK_SECONDS),
                created_at=moment,
                updated_at=moment,
            )
        )
        created = await load_domain(domain_id)
        assert created is not None  # noqa: S101 - inserted just above, in this transaction
        await events.emit("organization.domain_created", event_data(created), organization_id=organization_id)
        await audit.record(
            principal,
            "organization.domain_created",
            target=("domain", domain_id),
            organization_id=organization_id,
            data={"name": name},
        )
    return created


async def _require_sso_authority_if_sso_depends_on(principal: Principal, found: DomainRow) -> None:
    """Sign-in reaches the organization's identity provider, and "Require SSO" holds, through its
    verified domains: giving one up while SSO is active is an SSO change. It needs
    sk_org_sso_manage, and the person themself in the portal (not an app's or a widget's token),
    as every other SSO change does."""
    if found.status != "verified":
        return
    sso_active = await SSOConnection.exists().where(
        (SSOConnection.organization == found.organization_id) & (SSOConnection.status == "active")
    ) or await Organization.exists().where(
        (Organization.id == found.organization_id) & (Organization.sso_required == True)  # noqa: E712
    )
    if not sso_active:
        return
    require(principal, "sk_org_sso_manage", found.organization_id)
    if isinstance(principal, UserPrincipal) and not principal.portal:
        raise Forbidden("Single sign-on depends on this domain: remove it in the portal.")


async def remove_domain(principal: Principal, domain_id: str) -> DomainRow:
    """Give up a claim (verified or not); its background checks stop with it."""
    found = await authorized_domain(principal, domain_id, "sk_org_settings_manage")
    require_widget(principal, "domains")
    await _require_sso_authority_if_sso_depends_on(principal, found)
    async with transaction():
        deleted = await Domain.delete().where(Domain.id == domain_id).returning(Domain.id)
        if not deleted:
            raise NotFound("No such domain.")
        await events.emit(
            "organization.domain_deleted", event_data(found), organization_id=found.organization_id
        )
        await audit.record(
            principal,
            "organization.domain_deleted",
            target=("domain", domain_id),
            organization_id=found.organization_id,
            data={"name": found.name, "status": found.status},
        )
    return found
