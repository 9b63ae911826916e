"""What granted permissions allow: each `sk_org_*_manage` means "view and modify", so it implies `_read`."""

from collections.abc import Iterable

from resolvers.seed import SYSTEM_PERMISSIONS

MANAGE_SUFFIX = "_manage"
READ_SUFFIX = "_read"


def implied_read(permission: str) -> str | None:
    """The `_read` permission a system `_manage` one includes (`sk_org_sso_manage` → `sk_org_sso_read`)."""
    if not permission.startswith("sk_org_") or not permission.endswith(MANAGE_SUFFIX):
        return None
    read = permission.removesuffix(MANAGE_SUFFIX) + READ_SUFFIX
    return read if read in SYSTEM_PERMISSIONS else None


def effective_permissions(granted: Iterable[str]) -> frozenset[str]:
    """The granted permissions with every read their manage permissions imply."""
    held = set(granted)
    held.update(read for read in map(implied_read, list(held)) if read is not None)
    return frozenset(held)
