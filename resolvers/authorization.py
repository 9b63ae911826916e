"""Who may do what in which organization: the one check every resolver makes."""

from resolvers.errors import Forbidden
from resolvers.permissions import effective_permissions
from resolvers.principal import ClientPrincipal, DirectoryPrincipal, Principal, SystemPrincipal, UserPrincipal

MANAGE_SCOPE = "tenantry:manage"


def may(principal: Principal, permission: str, organization_id: str) -> bool:
    """Users act within their active organization by its permissions (a `_manage` one includes its
    `_read`); integrators and the system anywhere."""
    if isinstance(principal, SystemPrincipal):
        return True
    if isinstance(principal, ClientPrincipal):
        return MANAGE_SCOPE in principal.scopes
    if isinstance(principal, DirectoryPrincipal):
        return False  # a directory holds no permission: it provisions its own users and groups only
    return principal.organization_id == organization_id and permission in effective_permissions(
        principal.permissions
    )


def require(principal: Principal, permission: str, organization_id: str) -> None:
    if not may(principal, permission, organization_id):
        raise Forbidden(f"You need the {permission} permission in this organization.", permission=permission)


def require_widget(principal: Principal, widget: str) -> None:
    """A widget token acts through its own widgets only: the Domains widget may change domains
    (sk_org_settings_manage) but not rename the organization with the same permission."""
    if (
        isinstance(principal, UserPrincipal)
        and principal.widgets is not None
        and widget not in principal.widgets
    ):
        raise Forbidden(f"This widget token does not open the {widget} widget.")


def require_portal(principal: Principal) -> UserPrincipal:
    """The person themself, in Tenantry's portal: their credentials and sessions are theirs alone.

    An app that holds a person's access token could otherwise add its own passkey to the account
    (and sign in as them everywhere) or sign them out of every device.
    """
    if not isinstance(principal, UserPrincipal) or not principal.portal:
        raise Forbidden("Manage your passkeys and sessions in the portal, not with an app's token.")
    return principal


def require_integrator(principal: Principal) -> None:
    """Environment-wide management (organizations, features, roles) is for integrators only."""
    if isinstance(principal, UserPrincipal | DirectoryPrincipal) or (
        isinstance(principal, ClientPrincipal) and MANAGE_SCOPE not in principal.scopes
    ):
        raise Forbidden("Only the application's integrators can do this.")
