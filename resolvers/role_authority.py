"""Nobody acts above their own authority: whoever changes, removes or un-invites a person must hold
every permission of that person's role, and of the role they give them."""

from db.orgs import RolePermission
from resolvers.errors import DomainError
from resolvers.permissions import effective_permissions
from resolvers.principal import Principal, UserPrincipal


class RoleNotGrantable(DomainError):
    """The role to give has permissions the person acting does not hold."""

    code = "role_not_grantable"


class RoleOutranksYou(DomainError):
    """The member's (or invitation's) current role has permissions the person acting does not hold."""

    code = "role_outranks_you"


async def role_permissions(role_id: str) -> frozenset[str]:
    """What a role allows, with the reads its manage permissions imply."""
    keys = (
        await RolePermission.select(RolePermission.permission.key)
        .where(RolePermission.role == role_id)
        .output(as_list=True)
    )
    return effective_permissions(keys)


async def require_authority(
    principal: Principal, *, current_role_id: str | None = None, new_role_id: str | None = None
) -> None:
    """Refuse a person who lacks a permission of the current role or of the new one.

    Integrators and the system act for the whole environment and are not limited by roles.
    """
    if not isinstance(principal, UserPrincipal):
        return
    held = effective_permissions(principal.permissions)
    if current_role_id is not None:
        missing = await role_permissions(current_role_id) - held
        if missing:
            raise RoleOutranksYou(
                "Their role has permissions you do not have, so you cannot change or remove it.",
                missing=sorted(missing),
            )
    if new_role_id is not None:
        missing = await role_permissions(new_role_id) - held
        if missing:
            raise RoleNotGrantable(
                "You cannot give a role with permissions you do not have yourself.",
                missing=sorted(missing),
            )
