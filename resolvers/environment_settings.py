"""The deployment's settings row: branding and default session policy."""

import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from db.environment import EnvironmentSettings
from db.transaction import transaction
from resolvers import audit
from resolvers.authorization import require_integrator
from resolvers.clock import now
from resolvers.errors import InvalidInput
from resolvers.names import APPLICATION_NAME_MAX, clean_name
from resolvers.principal import Principal
from resolvers.seed import ENVIRONMENT_ID

CACHE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class EnvironmentSettingsRow:
    """Branding and the defaults every organization starts from (one row per deployment)."""

    app_name: str
    logo_url: str | None
    favicon_url: str | None
    primary_color: str
    session_absolute_minutes: int
    session_idle_minutes: int | None  # None: no idle timeout
    access_token_seconds: int
    refresh_token_days: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "EnvironmentSettingsRow":
        idle = row["session_idle_minutes"]
        return cls(
            app_name=str(row["app_name"]),
            logo_url=row["logo_url"],
            favicon_url=row["favicon_url"],
            primary_color=str(row["primary_color"]),
            session_absolute_minutes=int(row["session_absolute_minutes"]),
            session_idle_minutes=None if idle is None else int(idle),
            access_token_seconds=int(row["access_token_seconds"]),
            refresh_token_days=int(row["refresh_token_days"]),
        )


_cached: tuple[float, EnvironmentSettingsRow] | None = None


async def environment_settings() -> EnvironmentSettingsRow:
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
    settings = EnvironmentSettingsRow.from_row(row)
    _cached = (time.monotonic(), settings)
    return settings


def forget_environment_settings() -> None:
    """Drop the cache after a change made by this process."""
    global _cached
    _cached = None


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _asset_url(value: str, field: str) -> str | None:
    cleaned = value.strip()
    if not cleaned:
        return None
    parsed = urlparse(cleaned)
    if parsed.scheme == "https" and parsed.netloc:
        return cleaned
    if cleaned.startswith("/") and not cleaned.startswith("//"):
        return cleaned
    raise InvalidInput(f"{field} must be an https URL or a path on this site.", field=field)


async def update_branding(
    principal: Principal,
    *,
    app_name: str | None = None,
    logo_url: str | None = None,
    favicon_url: str | None = None,
    primary_color: str | None = None,
) -> EnvironmentSettingsRow:
    """App name, logo, favicon and primary colour for the portal and hosted pages (integrators only)."""
    require_integrator(principal)
    changes: dict[Any, Any] = {EnvironmentSettings.updated_at: now()}
    if app_name is not None:
        changes[EnvironmentSettings.app_name] = clean_name(
            app_name, field="appName", what="The app name", max_length=APPLICATION_NAME_MAX
        )
    if logo_url is not None:
        changes[EnvironmentSettings.logo_url] = _asset_url(logo_url, "logoUrl")
    if favicon_url is not None:
        changes[EnvironmentSettings.favicon_url] = _asset_url(favicon_url, "faviconUrl")
    if primary_color is not None:
        if not HEX_COLOUR.fullmatch(primary_color):
            raise InvalidInput("The primary colour is a hex colour such as #4f46e5.", field="primaryColor")
        changes[EnvironmentSettings.primary_color] = primary_color.lower()
    async with transaction():
        await EnvironmentSettings.update(changes).where(EnvironmentSettings.id == ENVIRONMENT_ID)
        await audit.record(
            principal, "branding.updated", data={"fields": sorted(c._meta.name for c in changes)}
        )
    forget_environment_settings()
    return await environment_settings()
