"""Roles that come from a directory's groups: recomputed whenever a person's groups change, a group
is deleted, or the directory's mapping changes.

A mapped person gets the role of the first mapped group they are in and the membership remembers
the directory (`role_managed_by`), so the role is not changed by hand. Leaving every mapped group
gives the directory's default role back (hand-managed again), or suspends the membership when the
directory deprovisions unmapped people.
"""

from resolvers.directory_rows import DirectoryRow
from resolvers.principal import Principal


async def recompute_directory_roles(principal: Principal, directory: DirectoryRow) -> None:
    """Every person of the directory, after a change of its mapping (inside its transaction)."""
    raise NotImplementedError  # the provisioning core lands next
