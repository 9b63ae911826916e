"""The provisioning log: each SCIM request of a directory that changed something or failed, so an
admin can see why a person did not arrive. Successful reads are not kept (IdPs poll all day)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from db.directories import ProvisioningEntry
from db.ids import new_id
from resolvers import directories
from resolvers.clock import now
from resolvers.directory_listing import contains_text
from resolvers.errors import InvalidInput
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal

DETAIL_MAX = 1000
SUBJECT_MAX = 320


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """What one SCIM request was and how it ended."""

    method: str
    operation: str  # create | replace | patch | delete | read | search | discovery
    resource_type: str  # User | Group | ""
    resource_id: str
    subject: str  # the userName or displayName the request named, when it named one
    status: int
    scim_type: str = ""
    detail: str = ""

    @property
    def worth_keeping(self) -> bool:
        return self.status >= 400 or self.method not in ("GET", "HEAD")


async def record(directory_id: str, outcome: RequestOutcome) -> None:
    """Write the entry (its own statement: a failed request's transaction is rolled back)."""
    if not outcome.worth_keeping:
        return
    await ProvisioningEntry.insert(
        ProvisioningEntry(
            id=new_id("prov"),
            directory=directory_id,
            method=outcome.method[:8],
            operation=outcome.operation[:16],
            resource_type=outcome.resource_type[:16],
            resource_id=outcome.resource_id[:40],
            subject=outcome.subject[:SUBJECT_MAX],
            status=outcome.status,
            scim_type=outcome.scim_type[:32],
            detail=outcome.detail[:DETAIL_MAX],
            created_at=now(),
        )
    )


OUTCOMES = ("succeeded", "failed")


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One logged request, as an admin reads it."""

    id: str
    at: dt.datetime
    method: str
    operation: str
    resource_type: str
    resource_id: str
    subject: str
    status: int
    scim_type: str
    detail: str

    @property
    def outcome(self) -> str:
        return "failed" if self.status >= 400 else "succeeded"


def _entry_row(row: dict[str, Any]) -> EntryRow:
    return EntryRow(
        id=row["id"],
        at=row["created_at"],
        method=row["method"],
        operation=row["operation"],
        resource_type=row["resource_type"],
        resource_id=row["resource_id"],
        subject=row["subject"],
        status=row["status"],
        scim_type=row["scim_type"],
        detail=row["detail"],
    )


async def list_entries(
    principal: Principal,
    directory_id: str,
    *,
    first: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
    outcome: str | None = None,
    search: str | None = None,
) -> Page[EntryRow]:
    """Newest first; `outcome` "failed" is a status of 400 or more; `search` matches the subject
    (case folded) or the resource id."""
    if outcome is not None and outcome not in OUTCOMES:
        raise InvalidInput(f"No outcome {outcome!r}.", field="outcome")
    await directories.authorized_directory(principal, directory_id, "sk_org_scim_read")
    query = ProvisioningEntry.select().where(ProvisioningEntry.directory == directory_id)
    if outcome == "failed":
        query = query.where(ProvisioningEntry.status >= 400)
    elif outcome == "succeeded":
        query = query.where(ProvisioningEntry.status < 400)
    matching = contains_text((ProvisioningEntry.subject, ProvisioningEntry.resource_id), search)
    if matching is not None:
        query = query.where(matching)
    page = await keyset_page(query, ProvisioningEntry.id, first=first, after=after, newest_first=True)
    return page.map(_entry_row)


KEPT_FOR = dt.timedelta(days=30)


async def forget_old_entries(limit: int = 5000) -> int:
    """Entries older than KEPT_FOR go, a bounded batch at a time: the log explains recent pushes."""
    cutoff = now() - KEPT_FOR
    old = (
        await ProvisioningEntry.select(ProvisioningEntry.id)
        .where(ProvisioningEntry.created_at < cutoff)
        .limit(limit)
    )
    if not old:
        return 0
    await ProvisioningEntry.delete().where(ProvisioningEntry.id.is_in([row["id"] for row in old]))
    return len(old)
