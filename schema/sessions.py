"""The person's browser sessions: sign one or all others out, switch the active organization.

The sessions themselves are listed on the viewer (schema/viewer.py, `Viewer.sessions`).
"""

from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from resolvers import memberships
from resolvers import sessions as session_rules
from schema import context, results
from schema.permissions import PORTAL
from schema.viewer import Viewer, viewer_of

SwitchOrganizationResult = Annotated[
    Viewer | results.InvalidInput, strawberry.union("SwitchOrganizationResult")
]


@strawberry.type
class SessionMutation:
    @strawberry.mutation(
        extensions=PORTAL, description="Sign out one of your sessions (refused at its next request)."
    )
    async def revoke_session(self, info: Info[Any, Any], session_id: strawberry.ID) -> bool:
        return await session_rules.revoke_own_session(context.user(info), str(session_id))

    @strawberry.mutation(
        extensions=PORTAL, description="Sign out every session but this one; returns how many."
    )
    async def revoke_other_sessions(self, info: Info[Any, Any]) -> int:
        return await session_rules.revoke_other_sessions(context.user(info))

    @strawberry.mutation(extensions=PORTAL, description="Make another of your organizations the active one.")
    async def switch_organization(
        self, info: Info[Any, Any], organization_id: strawberry.ID
    ) -> SwitchOrganizationResult:
        principal = context.user(info)
        if principal.session_id is None:
            raise GraphQLError(
                "Switching organizations needs a browser session.", extensions={"code": "BAD_REQUEST"}
            )
        switched = await memberships.user_principal(
            principal.user_id,
            principal.session_id,
            str(organization_id),
            portal=principal.portal,
            ceiling=principal.ceiling,
        )
        if switched.organization_id is None:
            return results.InvalidInput(
                code="NOT_A_MEMBER",
                message="You are not a member of that organization.",
                field="organizationId",
            )
        await session_rules.switch_organization(principal, principal.session_id, switched.organization_id)
        return await viewer_of(switched)
