"""A connection as the domain reads it: its row, how to load it (alone, or only when its
organization is entitled to SSO) and what its events carry. Every SSO module starts here."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from db.federation import SSOConnection
from db.transaction import for_update

FEATURE = "sso"

DEFAULT_ATTRIBUTE_MAPPING = {
    "email": "email",
    "first_name": "firstName",
    "last_name": "lastName",
    "groups": "groups",
}


@dataclass(frozen=True, slots=True)
class ConnectionRow:
    id: str
    organization_id: str
    name: str
    protocol: str  # saml | oidc
    provider: str
    status: str  # draft | tested | active | disabled
    idp_settings: dict[str, Any]
    has_client_secret: bool
    attribute_mapping: dict[str, str]
    default_role: str
    group_roles: tuple[tuple[str, str], ...]  # (IdP group, role key), in order: the first match wins
    idp_initiated_client_id: str | None  # None: IdP-initiated answers are refused
    settings_version: int
    tested_version: int | None
    last_test: dict[str, Any] | None
    created_at: dt.datetime
    updated_at: dt.datetime
    sp_certificate: str | None = field(default=None, repr=False)
    sp_private_key_encrypted: str | None = field(default=None, repr=False)
    client_secret_encrypted: str | None = field(default=None, repr=False)
    expiry_notices: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def tested_with_current_settings(self) -> bool:
        return self.tested_version == self.settings_version


def connection_row(row: dict[str, Any]) -> ConnectionRow:
    return ConnectionRow(
        id=row["id"],
        organization_id=row["organization"],
        name=row["name"],
        protocol=row["protocol"],
        provider=row["provider"],
        status=row["status"],
        idp_settings=dict(row["idp_settings"] or {}),
        has_client_secret=row["client_secret_encrypted"] is not None,
        attribute_mapping={**DEFAULT_ATTRIBUTE_MAPPING, **(row["attribute_mapping"] or {})},
        default_role=row["default_role"],
        group_roles=tuple((pair["group"], pair["role"]) for pair in row.get("group_roles") or []),
        idp_initiated_client_id=row.get("idp_initiated_client_id"),
        settings_version=row["settings_version"],
        tested_version=row["tested_version"],
        last_test=row["last_test"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        sp_certificate=row["sp_certificate"],
        sp_private_key_encrypted=row["sp_private_key_encrypted"],
        client_secret_encrypted=row["client_secret_encrypted"],
        expiry_notices=dict(row.get("expiry_notices") or {}),
    )


def event_data(found: ConnectionRow) -> dict[str, Any]:
    """The webhook payload of every connection.* event: what it is, never its secrets."""
    return {
        "connection": {
            "id": found.id,
            "organization_id": found.organization_id,
            "name": found.name,
            "protocol": found.protocol,
            "provider": found.provider,
            "status": found.status,
        }
    }


async def load_connection(connection_id: str, *, lock: bool = False) -> ConnectionRow | None:
    query = SSOConnection.select().where(SSOConnection.id == connection_id).output(load_json=True)
    rows = await (for_update(query) if lock else query)
    return connection_row(rows[0]) if rows else None


async def load_entitled_connection(connection_id: str) -> ConnectionRow | None:
    """The connection, when its organization is entitled to SSO: one query, for every sign-in."""
    row = (
        await SSOConnection.select(
            *SSOConnection.all_columns(),
            SSOConnection.organization.features.as_alias("organization_features"),
        )
        .where(SSOConnection.id == connection_id)
        .output(load_json=True)
        .first()
    )
    if row is None or FEATURE not in (row.pop("organization_features") or []):
        return None
    return connection_row(row)


def role_for_groups(found: ConnectionRow, groups: tuple[str, ...]) -> str:
    """The role a first sign-in gets: the first mapped group the person is in, else the default."""
    return next((role for group, role in found.group_roles if group in groups), found.default_role)
