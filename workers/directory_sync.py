"""Directory sync: a large directory's roles recomputed after its mapping changed, a batch a job."""

from typing import Any

from db.transaction import transaction
from resolvers import directory_roles, jobs
from resolvers.directory_rows import load_directory
from resolvers.principal import SystemPrincipal
from workers.context import JobContext
from workers.kinds import JobKind

SYNC = SystemPrincipal(reason="directory_sync")


async def _recompute_directory_roles(payload: dict[str, Any], context: JobContext) -> None:
    """One batch, then the job that does the next: each batch commits on its own, so a worker that
    dies loses one batch's work at most, and the retry redoes it."""
    async with transaction():
        directory = await load_directory(str(payload["directory_id"]))
        if directory is None:  # deleted meanwhile
            return
        after = await directory_roles.recompute_batch(SYNC, directory, str(payload.get("after") or ""))
        if after is not None:
            await jobs.enqueue("recompute_directory_roles", {"directory_id": directory.id, "after": after})


JOBS = {"recompute_directory_roles": JobKind(_recompute_directory_roles)}
