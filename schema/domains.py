"""Domain verification: claimed domains; claim one, check its TXT record now, give it up."""

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import domain_checks
from resolvers import domains as domain_rules
from schema import context, results
from schema.error_table import answers_refusals
from schema.permissions import needs, needs_on


@strawberry.enum
class DomainStatus(Enum):
    PENDING = "pending"
    VERIFIED = "verified"
    FAILED = "failed"
    LAPSED = "lapsed"


@strawberry.type(
    description=(
        "A claimed domain: PENDING until its TXT record is seen, then re-checked daily; FAILED after "
        "seven days without the record; LAPSED after three daily checks in a row without it."
    )
)
class Domain:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    name: str
    status: DomainStatus
    txt_record_name: str = strawberry.field(
        description="The host of the TXT record, such as _tenantry-challenge.example.com "
        "(DNS consoles that append the zone want only _tenantry-challenge)."
    )
    txt_record_value: str = strawberry.field(description="The exact value of the TXT record.")
    verified_at: dt.datetime | None
    last_checked_at: dt.datetime | None
    next_check_at: dt.datetime | None = strawberry.field(description="Null when no check is scheduled.")
    last_error: str | None = strawberry.field(description="What the last check found, in plain words.")
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row: domain_rules.DomainRow) -> "Domain":
        return cls(
            id=strawberry.ID(row.id),
            organization_id=row.organization_id,
            name=row.name,
            status=DomainStatus(row.status),
            txt_record_name=row.txt_record_name,
            txt_record_value=row.txt_record_value,
            verified_at=row.verified_at,
            last_checked_at=row.last_checked_at,
            next_check_at=row.next_check_at,
            last_error=row.last_error or None,
            created_at=row.created_at,
        )


async def _owner_of_domain(domain_id: str) -> str | None:
    found = await domain_rules.load_domain(domain_id)
    return found.organization_id if found else None


def needs_on_domain(permission: str) -> list[Any]:
    return needs_on(permission, domain_rules.FEATURE, "domain_id", _owner_of_domain)


@strawberry.type
class DomainRemoved:
    domain: Domain


AddDomainResult = Annotated[
    Domain | results.InvalidDomain | results.InvalidInput, strawberry.union("AddDomainResult")
]


@strawberry.type
class DomainMutation:
    @strawberry.mutation(
        extensions=needs("sk_org_settings_manage", feature=domain_rules.FEATURE),
        description="Claim a domain: PENDING, with the TXT record to publish to prove it.",
    )
    @answers_refusals()
    async def add_domain(
        self, info: Info[Any, Any], name: str, organization_id: strawberry.ID | None = None
    ) -> AddDomainResult:
        principal = context.principal(info)
        row = await domain_rules.add_domain(
            principal, context.target_organization(principal, organization_id), name
        )
        context.wake_jobs(info)
        return Domain.from_row(row)

    @strawberry.mutation(
        extensions=needs_on_domain("sk_org_settings_manage"),
        description="Look for the TXT record now (a few seconds at most) and return the domain as it stands.",
    )
    @answers_refusals()
    async def verify_domain(self, info: Info[Any, Any], domain_id: strawberry.ID) -> Domain:
        row = await domain_checks.verify_now(
            context.principal(info), context.deployment(info), str(domain_id)
        )
        context.wake_jobs(info)
        return Domain.from_row(row)

    @strawberry.mutation(
        extensions=needs_on_domain("sk_org_settings_manage"),
        description="Give up a claimed domain, verified or not; its checks stop.",
    )
    @answers_refusals()
    async def remove_domain(self, info: Info[Any, Any], domain_id: strawberry.ID) -> DomainRemoved:
        row = await domain_rules.remove_domain(context.principal(info), str(domain_id))
        context.wake_jobs(info)
        return DomainRemoved(domain=Domain.from_row(row))
