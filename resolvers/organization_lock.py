"""One membership change at a time per organization: its row is the lock every check-then-write takes.

Two admins demoting each other at once would otherwise each count the other as the remaining
admin and both succeed. PostgreSQL locks the row (`SELECT … FOR UPDATE`) until the transaction
ends; SQLite's immediate transactions already serialize writers, so there the select only reads.
"""

from db.orgs import Organization
from db.transaction import for_update


async def lock_organization(organization_id: str) -> bool:
    """Hold the organization until the surrounding transaction ends; False when there is none."""
    row = await for_update(
        Organization.select(Organization.id).where(Organization.id == organization_id)
    ).first()
    return row is not None
