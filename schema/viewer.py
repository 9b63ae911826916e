"""The signed-in person: who they are, their organizations, passkeys and live sessions, their profile."""

import datetime as dt
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from resolvers import memberships as membership_rules
from resolvers import organizations, users
from resolvers import passkeys as passkey_rules
from resolvers import sessions as session_rules
from resolvers.pages import DEFAULT_PAGE_SIZE
from resolvers.principal import UserPrincipal
from schema import context, results
from schema.connections import After, Connection, First, checked_first, connection
from schema.error_table import answers_refusals
from schema.organizations import Organization
from schema.passkeys import Passkey
from schema.permissions import PORTAL, SIGNED_IN
from schema.types import Feature, User


@strawberry.type
class OrganizationChoice:
    """An organization the viewer belongs to, as the organization switcher lists it."""

    id: strawberry.ID
    name: str


@strawberry.type
class UserSession:
    """One of the viewer's signed-in browsers."""

    id: strawberry.ID
    device: str
    ip: str
    created_at: dt.datetime
    last_active_at: dt.datetime
    authentication_methods: list[str]
    current: bool


@strawberry.type
class Viewer:
    user: User
    organization: Organization | None
    permissions: list[str] = strawberry.field(
        description="What the viewer may do in the active organization: their role's permissions, "
        "each `_manage` one with the `_read` it includes."
    )
    features: list[Feature] = strawberry.field(
        description="The active organization's features, readable with no permission, so a page "
        "shows by its own permission and feature alone."
    )
    principal: strawberry.Private[Any] = None

    @strawberry.field(description="The organizations where the viewer is an active member, oldest first.")
    async def organizations(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[OrganizationChoice]:
        widget = isinstance(self.principal, UserPrincipal) and self.principal.widgets is not None
        page = await membership_rules.organization_choices(
            str(self.user.id),
            first=checked_first(first),
            after=after,
            # a widget token shows its own organization only, not where else the person belongs
            only=self.principal.organization_id if widget else None,
        )
        return connection(
            page.map(lambda row: OrganizationChoice(id=strawberry.ID(row["id"]), name=row["name"]))
        )

    @strawberry.field(extensions=PORTAL, description="The viewer's passkeys, newest first.")
    async def passkeys(self, first: First = DEFAULT_PAGE_SIZE, after: After = None) -> Connection[Passkey]:
        page = await passkey_rules.list_passkeys(self.principal, first=checked_first(first), after=after)
        return connection(page.map(Passkey.from_row))

    @strawberry.field(
        extensions=PORTAL, description="The viewer's live sessions, newest first; `current` marks this one."
    )
    async def sessions(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[UserSession]:
        page = await session_rules.list_sessions(self.principal, first=checked_first(first), after=after)
        return connection(
            page.map(
                lambda row: UserSession(
                    id=strawberry.ID(row.id),
                    device=row.device,
                    ip=row.ip,
                    created_at=row.created_at,
                    last_active_at=row.last_active_at,
                    authentication_methods=list(row.amr),
                    current=row.current,
                )
            )
        )


async def viewer_of(principal: UserPrincipal) -> Viewer:
    """The person behind `principal`, in the organization the principal acts in."""
    user = await users.find_user(principal.user_id)
    if user is None:
        raise GraphQLError("Your account no longer exists.", extensions={"code": "UNAUTHENTICATED"})
    organization = (
        await organizations.find_organization(principal.organization_id)
        if principal.organization_id
        else None
    )
    return Viewer(
        user=User.from_row(user),
        organization=Organization.from_row(organization) if organization else None,
        permissions=sorted(principal.permissions),
        features=[Feature(feature) for feature in organization.features] if organization else [],
        principal=principal,
    )


UpdateProfileResult = Annotated[User | results.InvalidInput, strawberry.union("UpdateProfileResult")]


@strawberry.type
class ViewerQuery:
    @strawberry.field(extensions=SIGNED_IN, description="The signed-in person and their active organization.")
    async def viewer(self, info: Info[Any, Any]) -> Viewer:
        return await viewer_of(context.user(info))


@strawberry.type
class ViewerMutation:
    @strawberry.mutation(extensions=SIGNED_IN)
    @answers_refusals()
    async def update_profile(
        self, info: Info[Any, Any], first_name: str, last_name: str
    ) -> UpdateProfileResult:
        user = await users.update_profile(context.user(info), first_name=first_name, last_name=last_name)
        return User.from_row(user)
