"""Query and Mutation: each field parses arguments, calls one resolver, shapes the answer."""

from typing import Any, cast

import strawberry
from graphql import GraphQLError
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import PermissionExtension
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers import invitations as invitation_rules
from resolvers import members as member_rules
from resolvers import memberships, organizations, users
from resolvers import passkeys as passkey_rules
from resolvers import roles as role_rules
from resolvers import session_policy as policy_rules
from resolvers.authorization import require
from resolvers.domains import InvalidDomain
from resolvers.environment import environment_settings
from resolvers.errors import NotFound
from resolvers.principal import UserPrincipal
from resolvers.sessions import revoke_other_sessions, revoke_own_session, switch_organization
from schema import context, results
from schema.error_table import AsResult, answers_refusals
from schema.permissions import PORTAL, RequiresSignedInUser
from schema.types import (
    Feature,
    Invitation,
    Member,
    Organization,
    Passkey,
    Role,
    SessionPolicy,
    User,
    Viewer,
    needs,
)

SIGNED_IN: list[FieldExtension] = [PermissionExtension(permissions=[RequiresSignedInUser()])]


async def _viewer(principal: UserPrincipal) -> Viewer:
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
        features=[Feature(feature) for feature in organization["features"] or []] if organization else [],
        principal=principal,
    )


@strawberry.type
class Query:
    @strawberry.field(extensions=SIGNED_IN, description="The signed-in person and their active organization.")
    async def viewer(self, info: Info[Any, Any]) -> Viewer:
        return await _viewer(context.user(info))

    @strawberry.field(
        extensions=needs("sk_org_settings_read"),
        description="An organization: the viewer's own, or any for an integrator.",
    )
    @answers_refusals()
    async def organization(self, info: Info[Any, Any], organization_id: strawberry.ID) -> Organization:
        require(context.principal(info), "sk_org_settings_read", str(organization_id))
        row = await organizations.find_organization(str(organization_id))
        if row is None:
            raise NotFound("No such organization.")
        return Organization.from_row(row)

    @strawberry.field(description="The environment's roles and what each allows.")
    async def roles(self, info: Info[Any, Any]) -> list[Role]:
        context.principal(info)
        return [
            Role(key=row.key, name=row.name, permissions=row.permissions)
            for row in await role_rules.list_roles()
        ]


@strawberry.input
class UpdateOrganizationInput:
    organization_id: strawberry.ID | None = None
    name: str | None = None
    allowed_email_domains: list[str] | None = None


@strawberry.type
class Mutation:
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
    ) -> results.InviteMembersResult:
        principal = context.principal(info)
        settings = await environment_settings()
        outcome = await invitation_rules.invite_members(
            principal,
            context.deployment(info),
            context.target_organization(principal, organization_id),
            emails=emails,
            role_key=role,
            app_name=settings["app_name"],
        )
        context.wake_jobs(info)
        return results.InvitationsSent(
            invitations=[Invitation.from_row(row) for row in outcome.invitations],
            problems=[
                results.InviteProblem(email=p.email, code=p.code, message=p.message) for p in outcome.problems
            ],
        )

    @strawberry.mutation(extensions=needs("sk_org_users_invite"))
    @answers_refusals()
    async def resend_invitation(
        self, info: Info[Any, Any], invitation_id: strawberry.ID
    ) -> results.ResendInvitationResult:
        settings = await environment_settings()
        row = await invitation_rules.resend_invitation(
            context.principal(info),
            context.deployment(info),
            str(invitation_id),
            app_name=settings["app_name"],
        )
        context.wake_jobs(info)
        return Invitation.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_users_invite"))
    @answers_refusals()
    async def revoke_invitation(
        self, info: Info[Any, Any], invitation_id: strawberry.ID
    ) -> results.RevokeInvitationResult:
        row = await invitation_rules.revoke_invitation(context.principal(info), str(invitation_id))
        return Invitation.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_settings_manage"))
    @answers_refusals(AsResult(InvalidDomain, results.InvalidDomain, results.invalid_allowed_email_domain))
    async def update_organization(
        self, info: Info[Any, Any], input: UpdateOrganizationInput
    ) -> results.UpdateOrganizationResult:
        principal = context.principal(info)
        row = await organizations.update_organization_settings(
            principal,
            context.target_organization(principal, input.organization_id),
            name=input.name,
            allowed_email_domains=input.allowed_email_domains,
        )
        return Organization.from_row(row)

    @strawberry.mutation(
        extensions=needs("sk_org_session_policy_manage", feature="session_policy"),
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
    ) -> results.UpdateSessionPolicyResult:
        principal = context.principal(info)
        policy = await policy_rules.update_policy(
            principal,
            context.target_organization(principal, organization_id),
            custom=custom,
            absolute_minutes=absolute_minutes,
            idle_minutes=idle_minutes,
        )
        return SessionPolicy.from_policy(policy)

    @strawberry.mutation(extensions=needs("sk_org_users_role_change"))
    @answers_refusals()
    async def change_member_role(
        self, info: Info[Any, Any], member_id: strawberry.ID, role: str
    ) -> results.ChangeMemberRoleResult:
        row = await member_rules.change_member_role(context.principal(info), str(member_id), role)
        return Member.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_users_delete"))
    @answers_refusals()
    async def remove_member(
        self, info: Info[Any, Any], member_id: strawberry.ID
    ) -> results.RemoveMemberResult:
        row = await member_rules.remove_member(context.principal(info), str(member_id))
        return results.MemberRemoved(member=Member.from_row(row))

    @strawberry.mutation(extensions=SIGNED_IN)
    @answers_refusals()
    async def update_profile(
        self, info: Info[Any, Any], first_name: str, last_name: str
    ) -> results.UpdateProfileResult:
        user = await users.update_profile(context.user(info), first_name=first_name, last_name=last_name)
        return User.from_row(user)

    @strawberry.mutation(
        extensions=PORTAL, description="Sign out one of your sessions (refused at its next request)."
    )
    async def revoke_session(self, info: Info[Any, Any], session_id: strawberry.ID) -> bool:
        return await revoke_own_session(context.user(info), str(session_id))

    @strawberry.mutation(
        extensions=PORTAL, description="Sign out every session but this one; returns how many."
    )
    async def revoke_other_sessions(self, info: Info[Any, Any]) -> int:
        return await revoke_other_sessions(context.user(info))

    @strawberry.mutation(extensions=PORTAL, description="Make another of your organizations the active one.")
    async def switch_organization(
        self, info: Info[Any, Any], organization_id: strawberry.ID
    ) -> results.SwitchOrganizationResult:
        principal = context.user(info)
        if principal.session_id is None:
            raise GraphQLError(
                "Switching organizations needs a browser session.", extensions={"code": "BAD_REQUEST"}
            )
        switched = await memberships.user_principal(
            principal.user_id, principal.session_id, str(organization_id), portal=principal.portal
        )
        if switched.organization_id is None:
            return results.InvalidInput(
                code="NOT_A_MEMBER",
                message="You are not a member of that organization.",
                field="organizationId",
            )
        await switch_organization(principal, principal.session_id, switched.organization_id)
        return await _viewer(switched)

    @strawberry.mutation(
        extensions=PORTAL,
        description="Start adding a passkey: options for credentials.create(); needs a recent sign-in.",
    )
    @answers_refusals()
    async def begin_passkey_registration(
        self, info: Info[Any, Any], name: str | None = None
    ) -> results.BeginPasskeyRegistrationResult:
        settings = await environment_settings()
        ceremony = await passkey_rules.begin_registration(
            context.user(info), context.deployment(info), settings["app_name"], name=name
        )
        return results.PasskeyRegistrationOptions(
            flow_id=strawberry.ID(ceremony.flow_id), options=cast(JSON, ceremony.options)
        )

    @strawberry.mutation(
        extensions=PORTAL, description="Finish adding a passkey with the browser's attestation (JSON)."
    )
    @answers_refusals()
    async def finish_passkey_registration(
        self, info: Info[Any, Any], flow_id: strawberry.ID, credential: JSON, name: str
    ) -> results.FinishPasskeyRegistrationResult:
        row = await passkey_rules.finish_registration(
            context.user(info), context.deployment(info), str(flow_id), credential, name
        )
        return Passkey.from_row(row)

    @strawberry.mutation(extensions=PORTAL, description="Rename one of your passkeys.")
    @answers_refusals()
    async def rename_passkey(
        self, info: Info[Any, Any], passkey_id: strawberry.ID, name: str
    ) -> results.RenamePasskeyResult:
        row = await passkey_rules.rename_passkey(context.user(info), str(passkey_id), name)
        return Passkey.from_row(row)

    @strawberry.mutation(
        extensions=PORTAL, description="Delete one of your passkeys; needs a recent sign-in."
    )
    @answers_refusals()
    async def delete_passkey(
        self, info: Info[Any, Any], passkey_id: strawberry.ID
    ) -> results.DeletePasskeyResult:
        await passkey_rules.delete_passkey(context.user(info), str(passkey_id))
        return results.PasskeyDeleted(passkey_id=passkey_id)
