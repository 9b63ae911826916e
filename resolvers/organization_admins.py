"""Who hears about a problem of an organization: its active members whose role may fix it."""

from db.orgs import Membership, RolePermission


async def admin_emails(organization_id: str, permission: str) -> list[str]:
    """Addresses of active members holding `permission` (a lapsed domain: settings; an expiring
    IdP certificate: SSO), sorted and without repeats."""
    roles = (
        await RolePermission.select(RolePermission.role)
        .where(RolePermission.permission.key == permission)
        .output(as_list=True)
    )
    if not roles:
        return []
    emails = (
        await Membership.select(Membership.user.email)
        .where(
            (Membership.organization == organization_id)
            & (Membership.status == "active")
            & Membership.role.is_in(roles)
        )
        .output(as_list=True)
    )
    return sorted({str(email) for email in emails})
