"""A SCIM directory as the domain reads it: its row, how to load it, and what its events carry.
Every provisioning module starts here."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from db.directories import Directory
from db.transaction import for_update

FEATURE = "scim"

DIRECTORY_PROVIDERS = {
    "okta": "Okta",
    "entra_id": "Microsoft Entra ID",
    "onelogin": "OneLogin",
    "jumpcloud": "JumpCloud",
    "google_workspace": "Google Workspace",
    "generic": "SCIM 2.0",
}


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    id: str
    organization_id: str
    name: str
    provider: str
    has_token: bool
    token_hint: str
    token_created_at: dt.datetime | None
    previous_token_expires_at: dt.datetime | None  # the old token works until then (a rotation)
    require_verified_domain: bool
    deprovision_when_unmapped: bool
    default_role: str
    group_roles: tuple[tuple[str, str], ...]  # (directory group id, role key): the first match wins
    last_request_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


def directory_row(row: dict[str, Any]) -> DirectoryRow:
    return DirectoryRow(
        id=row["id"],
        organization_id=row["organization"],
        name=row["name"],
        provider=row["provider"],
        has_token=row["token_hash"] is not None,
        token_hint=row["token_hint"],
        token_created_at=row["token_created_at"],
        previous_token_expires_at=row["previous_token_expires_at"]
        if row["previous_token_hash"] is not None
        else None,
        require_verified_domain=row["require_verified_domain"],
        deprovision_when_unmapped=row["deprovision_when_unmapped"],
        default_role=row["default_role"],
        group_roles=tuple((pair["group_id"], pair["role"]) for pair in row.get("group_roles") or []),
        last_request_at=row["last_request_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def event_data(found: DirectoryRow) -> dict[str, Any]:
    """What every event about a directory says of it: never its token."""
    return {
        "id": found.id,
        "organization_id": found.organization_id,
        "name": found.name,
        "provider": found.provider,
    }


async def load_directory(directory_id: str, *, lock: bool = False) -> DirectoryRow | None:
    query = Directory.select().where(Directory.id == directory_id).output(load_json=True)
    rows = await (for_update(query) if lock else query)
    return directory_row(rows[0]) if rows else None
