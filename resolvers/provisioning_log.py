"""The provisioning log: each SCIM request of a directory that changed something or failed, so an
admin can see why a person did not arrive. Successful reads are not kept (IdPs poll all day)."""

from dataclasses import dataclass

from db.directories import ProvisioningEntry
from db.ids import new_id
from resolvers.clock import now

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
