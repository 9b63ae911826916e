"""An organization's session policy: custom timeouts, or the application's defaults."""

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import session_policy as policy_rules
from schema import context, results
from schema.error_table import answers_refusals
from schema.permissions import needs


@strawberry.type
class SessionTimeouts:
    absolute_minutes: int
    idle_minutes: int | None


@strawberry.type
class SessionPolicy:
    """`custom` false: the application's defaults apply; either way the stricter timeout wins."""

    custom: bool
    absolute_minutes: int | None
    idle_minutes: int | None
    app_default: SessionTimeouts
    effective: SessionTimeouts

    @classmethod
    def from_policy(cls, policy: policy_rules.OrganizationPolicy) -> "SessionPolicy":
        return cls(
            custom=policy.custom,
            absolute_minutes=policy.absolute_minutes,
            idle_minutes=policy.idle_minutes,
            app_default=SessionTimeouts(
                absolute_minutes=policy.app_default.absolute_minutes,
                idle_minutes=policy.app_default.idle_minutes,
            ),
            effective=SessionTimeouts(
                absolute_minutes=policy.effective.absolute_minutes, idle_minutes=policy.effective.idle_minutes
            ),
        )


UpdateSessionPolicyResult = Annotated[
    SessionPolicy | results.InvalidInput, strawberry.union("UpdateSessionPolicyResult")
]


@strawberry.type
class SessionPolicyMutation:
    @strawberry.mutation(
        extensions=needs("sk_org_session_policy_manage", feature=policy_rules.FEATURE),
        description="The application's defaults (custom false) or custom timeouts; the stricter always wins.",
    )
    @answers_refusals()
    async def update_session_policy(
        self,
        info: Info[Any, Any],
        custom: bool,
        absolute_minutes: int | None = None,
        idle_minutes: int | None = None,
        organization_id: strawberry.ID | None = None,
    ) -> UpdateSessionPolicyResult:
        principal = context.principal(info)
        policy = await policy_rules.update_policy(
            principal,
            context.target_organization(principal, organization_id),
            custom=custom,
            absolute_minutes=absolute_minutes,
            idle_minutes=idle_minutes,
        )
        return SessionPolicy.from_policy(policy)
