"""Roles and permissions of the environment: integrators add custom ones and re-map the defaults."""

import re
from dataclasses import dataclass

from db.ids import new_id
from db.orgs import Permission, Role, RolePermission
from db.transaction import transaction
from resolvers import audit
from resolvers.authorization import require_integrator
from resolvers.clock import now
from resolvers.errors import Conflict, InvalidInput, NotFound
from resolvers.names import DESCRIPTION_MAX, ROLE_NAME_MAX, clean_name
from resolvers.principal import Principal

KEY = re.compile(r"^[a-z][a-z0-9_:.-]{1,79}$")


@dataclass(frozen=True, slots=True)
class RoleRow:
    key: str
    name: str
    description: str
    is_default: bool
    permissions: list[str]


async def list_roles() -> list[RoleRow]:
    """Every role with its permissions, in two queries."""
    rows = await Role.select(Role.id, Role.key, Role.name, Role.description, Role.is_default).order_by(
        Role.key
    )
    grants = await RolePermission.select(RolePermission.role, RolePermission.permission.key.as_alias("key"))
    by_role: dict[str, list[str]] = {}
    for grant in grants:
        by_role.setdefault(grant["role"], []).append(grant["key"])
    return [
        RoleRow(
            row["key"],
            row["name"],
            row["description"],
            bool(row["is_default"]),
            sorted(by_role.get(row["id"], [])),
        )
        for row in rows
    ]


async def _permission_ids(keys: list[str]) -> list[str]:
    rows = await Permission.select(Permission.id, Permission.key).where(Permission.key.is_in(keys or [""]))
    found = {row["key"]: row["id"] for row in rows}
    unknown = sorted(set(keys) - set(found))
    if unknown:
        raise InvalidInput(f"Unknown permissions: {', '.join(unknown)}.", field="permissions")
    return [found[key] for key in dict.fromkeys(keys)]


async def create_permission(principal: Principal, *, key: str, description: str = "") -> str:
    """An app-defined permission; the `sk_` prefix belongs to Tenantry."""
    require_integrator(principal)
    if not KEY.fullmatch(key) or key.startswith("sk_"):
        raise InvalidInput(
            "A permission key is lower-case letters, digits and _:.-, not starting with sk_.", field="key"
        )
    description = clean_name(
        description, field="description", what="A description", max_length=DESCRIPTION_MAX, required=False
    )
    async with transaction():
        if await Permission.exists().where(Permission.key == key):
            raise Conflict(f"The permission {key} already exists.", field="key")
        await Permission.insert(
            Permission(id=new_id("perm"), key=key, description=description, is_system=False, created_at=now())
        )
        await audit.record(principal, "permission.created", target=("permission", key))
    return key


async def create_role(principal: Principal, *, key: str, name: str, permissions: list[str]) -> RoleRow:
    require_integrator(principal)
    if not KEY.fullmatch(key):
        raise InvalidInput("A role key is lower-case letters, digits and _:.-.", field="key")
    name = clean_name(name, field="name", what="A role name", max_length=ROLE_NAME_MAX)
    async with transaction():
        if await Role.exists().where(Role.key == key):
            raise Conflict(f"The role {key} already exists.", field="key")
        role_id = new_id("rol")
        await Role.insert(Role(id=role_id, key=key, name=name, created_at=now()))
        for permission_id in await _permission_ids(permissions):
            await RolePermission.insert(
                RolePermission(id=new_id("rp"), role=role_id, permission=permission_id)
            )
        await audit.record(
            principal, "role.created", target=("role", key), data={"permissions": sorted(permissions)}
        )
    return await _role(key)


async def set_role_permissions(principal: Principal, *, key: str, permissions: list[str]) -> RoleRow:
    """Replace what a role allows (Admin and Member included: the defaults can be re-mapped)."""
    require_integrator(principal)
    async with transaction():
        role = await Role.select(Role.id).where(Role.key == key).first()
        if role is None:
            raise NotFound(f"No role {key!r}.", field="key")
        permission_ids = await _permission_ids(permissions)
        await RolePermission.delete().where(RolePermission.role == role["id"])
        for permission_id in permission_ids:
            await RolePermission.insert(
                RolePermission(id=new_id("rp"), role=role["id"], permission=permission_id)
            )
        await audit.record(
            principal, "role.updated", target=("role", key), data={"permissions": sorted(permissions)}
        )
    return await _role(key)


async def _role(key: str) -> RoleRow:
    for role in await list_roles():
        if role.key == key:
            return role
    raise NotFound(f"No role {key!r}.")
