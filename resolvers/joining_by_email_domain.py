"""Joining by email domain: an organization's allowed email domains let people with a verified
address at one of them join it as a Member at sign-in, without an invitation, unless an admin
removed them from it (until they are invited or added again)."""

import json
from typing import Any

from db.orgs import MembershipRemoval, Organization
from db.users import User
from resolvers.clock import now
from resolvers.domain_claims import verified_elsewhere
from resolvers.domain_names import InvalidDomain, normalize_domain
from resolvers.errors import Forbidden
from resolvers.memberships import add_member
from resolvers.principal import SystemPrincipal

JOIN_ROLE = "member"

_CANDIDATES_SQL = """
SELECT o.id, o.name, o.allowed_email_domains FROM organization o
WHERE CAST(o.allowed_email_domains AS TEXT) LIKE {}
  AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.organization = o.id AND m."user" = {})
  AND NOT EXISTS (SELECT 1 FROM membership_removal r WHERE r.organization = o.id AND r."user" = {})
ORDER BY o.name
"""


async def remember_removal(organization_id: str, user_id: str) -> None:
    """An admin removed the person: their email domain no longer lets them back in by itself.

    Call inside the transaction that removes the membership.
    """
    await forget_removal(organization_id, user_id)
    await MembershipRemoval.insert(
        MembershipRemoval(
            id=f"{organization_id}:{user_id}",
            organization=organization_id,
            user=user_id,
            removed_at=now(),
        )
    )


async def forget_removal(organization_id: str, user_id: str) -> None:
    """Someone invited or added the person again: the removal no longer stands."""
    await MembershipRemoval.delete().where(MembershipRemoval.id == f"{organization_id}:{user_id}")


async def _verified_domain(user_id: str) -> str | None:
    user = await User.select(User.email, User.email_verified).where(User.id == user_id).first()
    if user is None or not user["email_verified"]:
        return None
    try:  # the IDNA form, as allowed email domains are kept (`bücher.de` → `xn--bcher-kva.de`)
        return normalize_domain(str(user["email"]).rsplit("@", 1)[-1])
    except InvalidDomain:  # a public provider or an odd name: no organization opens to it
        return None


async def joinable_organizations(user_id: str) -> list[dict[str, Any]]:
    """Organizations the person may join by their verified email's domain (not already in them)."""
    domain = await _verified_domain(user_id)
    if domain is None:
        return []
    rows = await Organization.raw(_CANDIDATES_SQL, f'%"{domain}"%', user_id, user_id)
    joinable = []
    for row in rows:
        domains = row["allowed_email_domains"]
        domains = json.loads(domains) if isinstance(domains, str) else domains
        if domain not in (domains or []):  # the LIKE only narrows; this is the rule
            continue
        # An organization may have listed the domain before another one proved it owns it; the
        # proof wins, so the listing no longer opens the door (checked here, at sign-in time).
        if await verified_elsewhere(domain, row["id"]) is None:
            joinable.append({"id": row["id"], "name": row["name"]})
    return joinable


async def join_by_email_domain(user_id: str, organization_id: str) -> str:
    """Join as a Member; refused unless the organization allows the person's verified domain."""
    if organization_id not in {row["id"] for row in await joinable_organizations(user_id)}:
        raise Forbidden("Your email address does not let you join that organization.")
    return await add_member(
        SystemPrincipal("email_domain"),
        organization_id=organization_id,
        user_id=user_id,
        role_key=JOIN_ROLE,
        source="email_domain",
    )
