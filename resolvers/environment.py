"""The deployment's settings row: branding and default session policy."""

import time
from typing import Any

from db.environment import EnvironmentSettings
from resolvers.seed import ENVIRONMENT_ID

CACHE_SECONDS = 5.0
_cached: tuple[float, dict[str, Any]] | None = None


async def environment_settings() -> dict[str, Any]:
    """The settings row, cached per process for a few seconds (read on every sign-in and refresh)."""
    global _cached
    if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    row: dict[str, Any] | None = (
        await EnvironmentSettings.select()
        .where(EnvironmentSettings.id == ENVIRONMENT_ID)
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise RuntimeError("the environment is not seeded: run `tenantry migrate`")
    _cached = (time.monotonic(), row)
    return row


def forget_environment_settings() -> None:
    """Drop the cache after a change made by this process."""
    global _cached
    _cached = None
