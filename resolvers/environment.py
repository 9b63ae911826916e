"""The deployment's settings row: branding and default session policy."""

from typing import Any

from db.environment import EnvironmentSettings
from resolvers.seed import ENVIRONMENT_ID


async def environment_settings() -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await EnvironmentSettings.select()
        .where(EnvironmentSettings.id == ENVIRONMENT_ID)
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise RuntimeError("the environment is not seeded: run `tenantry migrate`")
    return row
