"""Home-realm discovery: which organization's identity provider an address (or a domain hint)
belongs to. Only domains an organization has verified lead to its IdP, and only through an ACTIVE
connection of an organization entitled to SSO."""

from db.domains import Domain
from db.federation import SSOConnection
from resolvers.connection_rows import FEATURE, ConnectionRow, connection_row, load_connection
from resolvers.domain_claims import self_and_parents
from resolvers.domain_names import InvalidDomain, normalize_domain
from resolvers.organizations import organization_features


async def connection_for_domain(raw_domain: str) -> ConnectionRow | None:
    """The active connection people at `raw_domain` (or a subdomain of a verified one) sign in with."""
    try:
        domain = normalize_domain(raw_domain)
    except InvalidDomain:
        return None
    verified = (
        await Domain.select(Domain.organization)
        .where((Domain.status == "verified") & Domain.name.is_in(self_and_parents(domain)))
        .first()
    )
    if verified is None:
        return None
    organization_id = str(verified["organization"])
    return await active_connection_of(organization_id)


async def active_connection_of(organization_id: str) -> ConnectionRow | None:
    """The organization's first active connection, when it is entitled to SSO."""
    if FEATURE not in await organization_features(organization_id):
        return None
    row = (
        await SSOConnection.select()
        .where((SSOConnection.organization == organization_id) & (SSOConnection.status == "active"))
        .order_by(SSOConnection.created_at)
        .output(load_json=True)
        .first()
    )
    return connection_row(row) if row else None


async def active_connection(connection_id: str) -> ConnectionRow | None:
    """The connection, when people may sign in through it now."""
    found = await load_connection(connection_id)
    if found is None or found.status != "active":
        return None
    return found if FEATURE in await organization_features(found.organization_id) else None


async def connection_for_email(email: str) -> ConnectionRow | None:
    """Where an address typed on the hosted sign-in page goes instead of a code, if anywhere."""
    _, at, domain = email.strip().rpartition("@")
    return await connection_for_domain(domain) if at else None
