"""Home-realm discovery: which organization's identity provider an address (or a domain hint)
belongs to. Only domains an organization has verified lead to its IdP, and only through an ACTIVE
connection of an organization entitled to SSO."""

from db.federation import SSOConnection
from resolvers.connection_rows import FEATURE, ConnectionRow, connection_row, load_connection
from resolvers.domain_claims import verified_owner
from resolvers.organizations import organization_features


async def connection_for_domain(raw_domain: str) -> ConnectionRow | None:
    """The active connection people at `raw_domain` (or a subdomain of a verified one) sign in with."""
    owner = await verified_owner(raw_domain)
    return await active_connection_of(owner[0]) if owner is not None else None


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
