"""The facts every environment starts with: the twelve permissions, Admin and Member, settings."""

from db.environment import EnvironmentSettings
from db.ids import new_id
from db.orgs import Permission, Role, RolePermission
from db.transaction import transaction
from resolvers.clock import now

ENVIRONMENT_ID = "env_default"

SYSTEM_PERMISSIONS: dict[str, str] = {
    "sk_org_settings_read": "View the organization's settings",
    "sk_org_settings_manage": "Change the organization's settings and domains",
    "sk_org_users_read": "View the organization's members",
    "sk_org_users_invite": "Invite people to the organization",
    "sk_org_users_role_change": "Change members' roles",
    "sk_org_users_delete": "Remove members",
    "sk_org_sso_read": "View enterprise SSO connections",
    "sk_org_sso_manage": "Configure enterprise SSO connections",
    "sk_org_scim_read": "View SCIM directories",
    "sk_org_scim_manage": "Configure SCIM directories and tokens",
    "sk_org_session_policy_read": "View the organization's session policy",
    "sk_org_session_policy_manage": "Change the organization's session policy",
}

DEFAULT_ROLES: dict[str, tuple[str, list[str]]] = {
    "admin": ("Admin", list(SYSTEM_PERMISSIONS)),
    "member": ("Member", ["sk_org_settings_read", "sk_org_users_read"]),
}


async def seed_environment() -> None:
    """Create what is missing, never overwrite: safe on every start and after integrators re-map."""
    async with transaction():
        moment = now()
        if not await EnvironmentSettings.exists().where(EnvironmentSettings.id == ENVIRONMENT_ID):
            await EnvironmentSettings.insert(EnvironmentSettings(id=ENVIRONMENT_ID, updated_at=moment))
        existing = set(await Permission.select(Permission.key).output(as_list=True))
        new_permissions = [
            Permission(id=new_id("perm"), key=key, description=text, is_system=True, created_at=moment)
            for key, text in SYSTEM_PERMISSIONS.items()
            if key not in existing
        ]
        if new_permissions:
            await Permission.insert(*new_permissions)
        permission_ids = dict(
            (row["key"], row["id"]) for row in await Permission.select(Permission.key, Permission.id)
        )
        existing_roles = set(await Role.select(Role.key).output(as_list=True))
        for key, (name, grants) in DEFAULT_ROLES.items():
            if key in existing_roles:
                continue
            role_id = new_id("rol")
            await Role.insert(Role(id=role_id, key=key, name=name, is_default=True, created_at=moment))
            await RolePermission.insert(
                *[
                    RolePermission(id=new_id("rp"), role=role_id, permission=permission_ids[grant])
                    for grant in grants
                ]
            )
