"""Invitations: invite people with a role, resend an invitation, revoke one."""

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import invitations as invitation_rules
from resolvers.environment_settings import environment_settings
from schema import context, results
from schema.error_table import answers_refusals
from schema.permissions import needs
from schema.types import InvitationStatus


@strawberry.type
class Invitation:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    email: str
    role: str
    status: InvitationStatus
    expires_at: dt.datetime
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row: invitation_rules.InvitationRow) -> "Invitation":
        return cls(
            id=strawberry.ID(row.id),
            organization_id=row.organization_id,
            email=row.email,
            role=row.role_key,
            status=InvitationStatus(row.status),
            expires_at=row.expires_at,
            created_at=row.created_at,
        )


@strawberry.type(
    description="An address not invited: INVALID_EMAIL, ALREADY_MEMBER, INVITATION_LIMIT_REACHED "
    "(the organization holds 1,000 open invitations) or ADDRESS_LIMIT_REACHED (invited 3 times today)."
)
class InviteProblem:
    email: str
    code: str
    message: str


@strawberry.type
class InvitationsSent:
    invitations: list[Invitation]
    problems: list[InviteProblem]


InviteMembersResult = Annotated[
    InvitationsSent | results.RoleNotGrantable | results.InvalidInput, strawberry.union("InviteMembersResult")
]
ResendInvitationResult = Annotated[
    Invitation | results.InvitationNotPending | results.RoleOutranksYou | results.ResendLimitReached,
    strawberry.union("ResendInvitationResult"),
]
RevokeInvitationResult = Annotated[
    Invitation | results.InvitationNotPending | results.RoleOutranksYou,
    strawberry.union("RevokeInvitationResult"),
]


@strawberry.type
class InvitationMutation:
    @strawberry.mutation(
        extensions=needs("sk_org_users_invite"), description="Invite one or several people with one role."
    )
    @answers_refusals()
    async def invite_members(
        self,
        info: Info[Any, Any],
        emails: list[str],
        role: str,
        organization_id: strawberry.ID | None = None,
    ) -> InviteMembersResult:
        principal = context.principal(info)
        settings = await environment_settings()
        outcome = await invitation_rules.invite_members(
            principal,
            context.deployment(info),
            context.target_organization(principal, organization_id),
            emails=emails,
            role_key=role,
            app_name=settings.app_name,
        )
        context.wake_jobs(info)
        return InvitationsSent(
            invitations=[Invitation.from_row(row) for row in outcome.invitations],
            problems=[InviteProblem(email=p.email, code=p.code, message=p.message) for p in outcome.problems],
        )

    @strawberry.mutation(extensions=needs("sk_org_users_invite"))
    @answers_refusals()
    async def resend_invitation(
        self, info: Info[Any, Any], invitation_id: strawberry.ID
    ) -> ResendInvitationResult:
        settings = await environment_settings()
        row = await invitation_rules.resend_invitation(
            context.principal(info),
            context.deployment(info),
            str(invitation_id),
            app_name=settings.app_name,
        )
        context.wake_jobs(info)
        return Invitation.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_users_invite"))
    @answers_refusals()
    async def revoke_invitation(
        self, info: Info[Any, Any], invitation_id: strawberry.ID
    ) -> RevokeInvitationResult:
        row = await invitation_rules.revoke_invitation(context.principal(info), str(invitation_id))
        return Invitation.from_row(row)
