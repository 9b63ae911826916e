"""Who may claim a domain name: once one organization has verified a name, it and every name below it
are closed to the others (as verified domains and as allowed email domains alike), and so is every
name above it as a verified domain: two organizations never both speak for one address."""

from piccolo.custom_types import Combinable

from db.domains import Domain
from db.transaction import for_update
from resolvers.domain_names import InvalidDomain, normalize_domain


class DomainClaimed(InvalidDomain):
    code = "domain_claimed"


def self_and_parents(name: str) -> list[str]:
    """`a.b.example.com` → itself, `b.example.com`, `example.com` (never a bare top-level label)."""
    labels = name.split(".")
    return [".".join(labels[index:]) for index in range(len(labels) - 1)]


async def verified_owner(domain: str) -> tuple[str, str] | None:
    """(organization id, verified name) of the most specific verified domain covering `domain`
    (itself or a parent), in IDNA form: where one organization verified `eu.acme.com` and another
    `acme.com`, an address at eu.acme.com belongs to the first, never to both."""
    try:
        name = normalize_domain(domain)
    except InvalidDomain:
        return None
    rows = await Domain.select(Domain.name, Domain.organization).where(
        (Domain.status == "verified") & Domain.name.is_in(self_and_parents(name))
    )
    if not rows:
        return None
    best = max(rows, key=lambda row: len(str(row["name"])))
    return str(best["organization"]), str(best["name"])


async def verified_elsewhere(
    name: str, organization_id: str, *, lock: bool = False, below: bool = False
) -> str | None:
    """The name (`name` or one above it) that another organization has verified, if any.

    With `below`, names under `name` count too: a claim of `acme.com` is refused while another
    organization has verified `eu.acme.com` (its people would otherwise have two organizations
    that speak for them). With `lock`, the rows that could decide it stay locked until the
    transaction ends, so two organizations verifying the same name at the same moment cannot
    both win.
    """
    deciding: Combinable = Domain.name.is_in(self_and_parents(name))
    if below:
        deciding = deciding | Domain.name.like(f"%.{name}")
    query = Domain.select(Domain.name, Domain.organization, Domain.status).where(deciding).order_by(Domain.id)
    rows = await (for_update(query) if lock else query)
    for row in rows:
        if row["status"] == "verified" and row["organization"] != organization_id:
            return str(row["name"])
    return None


async def refuse_claimed_elsewhere(name: str, organization_id: str, *, below: bool = True) -> None:
    """Raise DomainClaimed, in words a person can act on, when another organization owns the name
    (or, with `below`, a name under it)."""
    owner_name = await verified_elsewhere(name, organization_id, below=below)
    if owner_name is None:
        return
    if owner_name == name:
        message = f"{name} is already verified by another organization."
    elif owner_name.endswith(f".{name}"):
        message = f"{owner_name}, a name under {name}, is verified by another organization."
    else:
        message = f"{name} is under {owner_name}, which another organization has verified."
    raise DomainClaimed(
        message + " If it is yours, ask that organization to remove it, then try again.", domain=name
    )
