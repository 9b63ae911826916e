"""Permission checks that the SDL prints as directives: `@requiresPermission(permission: "…")`.

The directive is the declared contract; every resolver checks again (resolvers/authorization.py).
"""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.schema_directive import Location
from strawberry.types import Info

from resolvers.authorization import may
from resolvers.organizations import organization_features
from resolvers.principal import ClientPrincipal, Principal, UserPrincipal
from schema.context import principal_of


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="requiresPermission",
    description="The field needs this permission in the organization it acts on; a `_manage` "
    "permission includes its `_read` (sk_org_sso_manage allows what sk_org_sso_read does).",
)
class RequiresPermissionDirective:
    permission: str


@strawberry.schema_directive(locations=[Location.FIELD_DEFINITION], name="requiresSignedInUser")
class RequiresSignedInUserDirective:
    pass


def _organization_of(source: Any, kwargs: dict[str, Any], principal: Principal) -> str | None:
    """The organization a field acts on: its parent object's, an argument, or the viewer's active one."""
    source_id = getattr(source, "organization_id", None)
    if source_id:
        return str(source_id)
    if kwargs.get("organization_id"):
        return str(kwargs["organization_id"])
    payload = kwargs.get("input")
    if payload is not None and getattr(payload, "organization_id", None):
        return str(payload.organization_id)
    return getattr(principal, "organization_id", None)


class RequiresPermission(BasePermission):
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - read by Strawberry

    def __init__(self, permission: str) -> None:
        self.permission = permission
        self.message = f"You need the {permission} permission in this organization."
        self._schema_directive = RequiresPermissionDirective(permission=permission)  # type: ignore[misc]

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        principal = principal_of(info)
        if principal is None:
            return False
        return may(principal, self.permission, _organization_of(source, kwargs, principal) or "")


class RequiresSignedInUser(BasePermission):
    """Fields about "me" (profile, my organizations): a person's session or user token."""

    message = "Sign in to use this."
    error_extensions = {"code": "UNAUTHENTICATED"}  # noqa: RUF012 - read by Strawberry
    _schema_directive = RequiresSignedInUserDirective()

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return isinstance(principal_of(info), UserPrincipal)


@strawberry.schema_directive(locations=[Location.FIELD_DEFINITION], name="requiresPortalSession")
class RequiresPortalSessionDirective:
    pass


class RequiresPortalSession(BasePermission):
    """The person's own passkeys and sessions: only in Tenantry's portal, never with an app's token."""

    message = "Manage your passkeys and sessions in the portal, not with an app's token."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - read by Strawberry
    _schema_directive = RequiresPortalSessionDirective()

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        principal = principal_of(info)
        return isinstance(principal, UserPrincipal) and principal.portal


PORTAL: list[FieldExtension] = [PermissionExtension(permissions=[RequiresPortalSession()])]
"""The extension of the fields about a person's credentials and sessions: `@requiresPortalSession`."""


@strawberry.schema_directive(locations=[Location.FIELD_DEFINITION], name="refusesAppTokens")
class RefusesAppTokensDirective:
    pass


class RefusesAppTokens(BasePermission):
    """Changes that decide who can sign in as whom (SSO): the person in the portal, or an
    integrator; never an app holding a person's access token, which could otherwise connect an
    identity provider of its own and sign in as anyone at the organization's domains."""

    message = "Manage single sign-on in the portal, not with an app's token."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - read by Strawberry
    _schema_directive = RefusesAppTokensDirective()

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        principal = principal_of(info)
        return not (isinstance(principal, UserPrincipal) and not principal.portal)


@strawberry.schema_directive(locations=[Location.FIELD_DEFINITION], name="requiresIntegrator")
class RequiresIntegratorDirective:
    pass


class RequiresIntegrator(BasePermission):
    """Environment-wide management: an integrator token with the tenantry:manage scope."""

    message = "Only the application's integrators (a client_credentials token) can do this."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - read by Strawberry
    _schema_directive = RequiresIntegratorDirective()

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        principal = principal_of(info)
        return isinstance(principal, ClientPrincipal) and may(principal, "", "")


INTEGRATOR: list[FieldExtension] = [PermissionExtension(permissions=[RequiresIntegrator()])]
"""The extension of every integrator-only field: `@requiresIntegrator` in the SDL, enforced."""


@strawberry.schema_directive(locations=[Location.FIELD_DEFINITION], name="requiresFeature")
class RequiresFeatureDirective:
    feature: str


class RequiresFeature(BasePermission):
    """The organization the field acts on must be entitled to `feature` (sso, scim, ...)."""

    error_extensions = {"code": "FEATURE_NOT_ENABLED"}  # noqa: RUF012 - read by Strawberry

    def __init__(self, feature: str) -> None:
        self.feature = feature
        self.message = f"The {feature} feature is not enabled for this organization."
        self._schema_directive = RequiresFeatureDirective(feature=feature.upper())  # type: ignore[misc]

    async def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        principal = principal_of(info)
        organization_id = _organization_of(source, kwargs, principal) if principal else None
        if not organization_id:
            return False
        return self.feature in await organization_features(organization_id)


OwnerOf = Callable[[str], Awaitable[str | None]]
"""The organization that owns the object an id names, or None when there is no such object."""


class RequiresFeatureOfOwner(RequiresFeature):
    """The feature of the organization owning the object an argument names (a domain, a connection),
    not the viewer's.

    An object of another organization, or none, passes here: the resolver answers NOT_FOUND for
    both, so the feature of someone else's organization is never revealed.
    """

    def __init__(self, feature: str, argument: str, owner_of: OwnerOf) -> None:
        super().__init__(feature)
        self.argument = argument
        self.owner_of = owner_of

    async def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        owner = await self.owner_of(str(kwargs.get(self.argument) or ""))
        principal = principal_of(info)
        if owner is None or principal is None:
            return True
        if isinstance(principal, UserPrincipal) and principal.organization_id != owner:
            return True
        return await super().has_permission(source, info, organization_id=owner)


def needs_on(
    permission: str, feature: str, argument: str, owner_of: OwnerOf, *, first_hand: bool = False
) -> list[FieldExtension]:
    """`needs`, for a field acting on an object named by `argument` (its organization decides);
    `first_hand` refuses an app holding a person's token (`@refusesAppTokens`)."""
    checks: list[BasePermission] = [
        RequiresPermission(permission),
        RequiresFeatureOfOwner(feature, argument, owner_of),
    ]
    if first_hand:
        checks.append(RefusesAppTokens())
    return [PermissionExtension(permissions=checks)]


SIGNED_IN: list[FieldExtension] = [PermissionExtension(permissions=[RequiresSignedInUser()])]
"""The extension of the fields about "me" from any of the person's tokens: `@requiresSignedInUser`."""


def needs(permission: str, feature: str | None = None, *, first_hand: bool = False) -> list[FieldExtension]:
    """The field needs `permission` (and `feature`) in the organization it acts on (printed as
    directives); `first_hand` refuses an app holding a person's token (`@refusesAppTokens`)."""
    checks: list[BasePermission] = [RequiresPermission(permission)]
    if feature:
        checks.append(RequiresFeature(feature))
    if first_hand:
        checks.append(RefusesAppTokens())
    return [PermissionExtension(permissions=checks)]
