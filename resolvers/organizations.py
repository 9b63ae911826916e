"""Organizations and their feature entitlements."""

from dataclasses import dataclass
from typing import Any

from db.ids import new_id
from db.orgs import Organization
from db.transaction import transaction
from resolvers import audit, events
from resolvers.authorization import require, require_integrator, require_widget
from resolvers.clock import now
from resolvers.domain_claims import refuse_claimed_elsewhere
from resolvers.domain_names import normalize_domain
from resolvers.errors import InvalidInput, NotFound
from resolvers.names import ORGANIZATION_NAME_MAX, clean_name
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal
from resolvers.session_policy import FEATURE as SESSION_POLICY
from resolvers.session_policy import reapply as reapply_session_policy

FEATURES = ("sso", "scim", "domain_verification", "session_policy")
MAX_ALLOWED_EMAIL_DOMAINS = 50


def organization_name(value: str) -> str:
    return clean_name(value, field="name", what="An organization name", max_length=ORGANIZATION_NAME_MAX)


async def create_organization(
    principal: Principal, *, name: str, features: list[str] | None = None, organization_id: str | None = None
) -> str:
    """`organization_id` is for seeds that must find their organization again, renamed or not."""
    require_integrator(principal)
    name = organization_name(name)
    chosen = _validate_features(features or [])
    moment = now()
    org_id = organization_id or new_id("org")
    async with transaction():
        await Organization.insert(
            Organization(id=org_id, name=name, features=chosen, created_at=moment, updated_at=moment)
        )
        await audit.record(
            principal,
            "organization.created",
            target=("organization", org_id),
            organization_id=org_id,
        )
        await events.emit("organization.created", await organization_payload(org_id), organization_id=org_id)
    return org_id


def _validate_features(features: list[str]) -> list[str]:
    unknown = sorted(set(features) - set(FEATURES))
    if unknown:
        raise InvalidInput(
            f"Unknown features {unknown}; choose from {', '.join(FEATURES)}.", field="features"
        )
    return [feature for feature in FEATURES if feature in features]


async def set_features(principal: Principal, organization_id: str, features: list[str]) -> list[str]:
    require_integrator(principal)
    chosen = _validate_features(features)
    before = await organization_features(organization_id)
    async with transaction():
        updated = (
            await Organization.update({Organization.features: chosen, Organization.updated_at: now()})
            .where(Organization.id == organization_id)
            .returning(Organization.id)
        )
        if not updated:
            raise NotFound(f"No organization {organization_id}.")
        await audit.record(
            principal,
            "organization.features_changed",
            target=("organization", organization_id),
            organization_id=organization_id,
            data={"features": chosen},
        )
        await events.emit(
            "organization.updated",
            await organization_payload(organization_id),
            organization_id=organization_id,
        )
        if (SESSION_POLICY in before) != (SESSION_POLICY in chosen):
            await reapply_session_policy(organization_id)  # a stored policy resumes or pauses
    return chosen


@dataclass(frozen=True, slots=True)
class OrganizationRow:
    """An organization as the domain reads it: its name, entitlements and allowed email domains."""

    id: str
    name: str
    features: tuple[str, ...]
    allowed_email_domains: tuple[str, ...]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "OrganizationRow":
        return cls(
            id=str(row["id"]),
            name=str(row["name"]),
            features=tuple(row["features"] or ()),
            allowed_email_domains=tuple(row["allowed_email_domains"] or ()),
        )


_ORGANIZATION_COLUMNS = (
    Organization.id,
    Organization.name,
    Organization.features,
    Organization.allowed_email_domains,
)


async def find_organization(organization_id: str) -> OrganizationRow | None:
    row = (
        await Organization.select(*_ORGANIZATION_COLUMNS)
        .where(Organization.id == organization_id)
        .first()
        .output(load_json=True)
    )
    return OrganizationRow.from_row(row) if row else None


async def update_organization_settings(
    principal: Principal,
    organization_id: str,
    *,
    name: str | None = None,
    allowed_email_domains: list[str] | None = None,
) -> OrganizationRow:
    """Name and allowed email domains, validated; needs sk_org_settings_manage."""
    require(principal, "sk_org_settings_manage", organization_id)
    require_widget(principal, "organization_settings")
    changes: dict[Any, Any] = {Organization.updated_at: now()}
    if name is not None:
        changes[Organization.name] = organization_name(name)
    if allowed_email_domains is not None:
        if len(allowed_email_domains) > MAX_ALLOWED_EMAIL_DOMAINS:  # each costs a claim lookup
            raise InvalidInput(
                f"List at most {MAX_ALLOWED_EMAIL_DOMAINS} allowed email domains.",
                field="allowedEmailDomains",
            )
        domains = sorted({normalize_domain(domain) for domain in allowed_email_domains})
        for domain in domains:  # a name another organization verified (or one above it) is theirs
            await refuse_claimed_elsewhere(domain, organization_id, below=False)
        changes[Organization.allowed_email_domains] = domains
    async with transaction():
        updated = (
            await Organization.update(changes)
            .where(Organization.id == organization_id)
            .returning(Organization.id)
        )
        if not updated:
            raise NotFound("No such organization.")
        await audit.record(
            principal,
            "organization.updated",
            target=("organization", organization_id),
            organization_id=organization_id,
            data={"fields": sorted(str(column._meta.name) for column in changes)},
        )
        await events.emit(
            "organization.updated",
            await organization_payload(organization_id),
            organization_id=organization_id,
        )
    found = await find_organization(organization_id)
    if found is None:
        raise NotFound("No such organization.")
    return found


async def list_organizations(
    principal: Principal, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[OrganizationRow]:
    """Every organization of the environment, for integrators, in creation order."""
    require_integrator(principal)
    page = await keyset_page(
        Organization.select(*_ORGANIZATION_COLUMNS).output(load_json=True),
        Organization.id,
        first=first,
        after=after,
    )
    return page.map(OrganizationRow.from_row)


async def organization_features(organization_id: str) -> list[str]:
    row = (
        await Organization.select(Organization.features)
        .where(Organization.id == organization_id)
        .first()
        .output(load_json=True)
    )
    return list(row["features"] or []) if row else []


async def organization_payload(organization_id: str) -> dict[str, Any]:
    """An organization as webhook events describe it."""
    row = await find_organization(organization_id)
    if row is None:
        return {"organization": {"id": organization_id}}
    return {
        "organization": {
            "id": row.id,
            "name": row.name,
            "allowed_email_domains": list(row.allowed_email_domains),
            "features": list(row.features),
        }
    }
