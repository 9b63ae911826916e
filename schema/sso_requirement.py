"""Require SSO: an organization's verified domains sign in only through its identity provider,
but for up to three break-glass admins."""

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import sso_requirement as requirement_rules
from resolvers.connection_rows import FEATURE
from schema import context, results
from schema.error_table import answers_refusals
from schema.permissions import needs


@strawberry.type(
    description="Whether people at the organization's verified domains must sign in through its identity "
    "provider (no email codes, no passkeys), and who may still sign in without it."
)
class SsoRequirement:
    required: bool
    break_glass_user_ids: list[strawberry.ID] = strawberry.field(
        description="At most three admins who manage SSO, for the day the identity provider fails."
    )

    @classmethod
    def of(cls, found: requirement_rules.SsoRequirement) -> "SsoRequirement":
        return cls(
            required=found.required,
            break_glass_user_ids=[strawberry.ID(user_id) for user_id in found.break_glass_user_ids],
        )


UpdateSsoRequirementResult = Annotated[
    SsoRequirement | results.InvalidInput | results.ReauthenticationRequired,
    strawberry.union("UpdateSsoRequirementResult"),
]


@strawberry.type
class SsoRequirementMutation:
    @strawberry.mutation(
        extensions=needs("sk_org_sso_manage", feature=FEATURE, first_hand=True),
        description="Require SSO (needs an active connection) or not, and choose the break-glass admins; "
        "needs a recent sign-in.",
    )
    @answers_refusals()
    async def update_sso_requirement(
        self,
        info: Info[Any, Any],
        required: bool | None = None,
        break_glass_user_ids: list[strawberry.ID] | None = None,
        organization_id: strawberry.ID | None = None,
    ) -> UpdateSsoRequirementResult:
        principal = context.principal(info)
        found = await requirement_rules.update_requirement(
            principal,
            context.target_organization(principal, organization_id),
            required=required,
            break_glass_user_ids=[str(user_id) for user_id in break_glass_user_ids]
            if break_glass_user_ids is not None
            else None,
        )
        return SsoRequirement.of(found)
