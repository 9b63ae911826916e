"""Query and Mutation: each field parses arguments, calls one resolver, shapes the answer."""

from typing import Any, NoReturn, cast

import strawberry
from graphql import GraphQLError
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import PermissionExtension
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers import invitations as invitation_rules
from resolvers import members as member_rules
from resolvers import memberships, organizations, role_authority, users
from resolvers import passkeys as passkey_rules
from resolvers import roles as role_rules
from resolvers import session_policy as policy_rules
from resolvers.authorization import require
from resolvers.domains import InvalidDomain as InvalidDomainError
from resolvers.environment import environment_settings
from resolvers.errors import DomainError, FeatureNotEnabled, Forbidden, NotFound
from resolvers.errors import InvalidInput as InvalidInputError
from resolvers.invitation_limits import ResendLimitReached
from resolvers.principal import UserPrincipal
from resolvers.reauthentication import ReauthenticationRequired
from resolvers.sessions import revoke_other_sessions, revoke_own_session, switch_organization
from schema import context, results
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


def raise_as_graphql(error: DomainError) -> NoReturn:
    """Denials and unknown ids become coded errors; an id of another organization reads as unknown."""
    codes = {
        Forbidden: "FORBIDDEN",
        NotFound: "NOT_FOUND",
        FeatureNotEnabled: "FEATURE_NOT_ENABLED",
    }
    code = next((value for kind, value in codes.items() if isinstance(error, kind)), "BAD_REQUEST")
    raise GraphQLError(error.message, extensions={"code": code}) from error


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
    async def organization(self, info: Info[Any, Any], organization_id: strawberry.ID) -> Organization:
        principal = context.principal(info)
        try:
            require(principal, "sk_org_settings_read", str(organization_id))
        except DomainError as error:
            raise_as_graphql(error)
        row = await organizations.find_organization(str(organization_id))
        if row is None:
            raise GraphQLError("No such organization.", extensions={"code": "NOT_FOUND"})
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
    async def invite_members(
        self,
        info: Info[Any, Any],
        emails: list[str],
        role: str,
        organization_id: strawberry.ID | None = None,
    ) -> results.InviteMembersResult:
        principal = context.principal(info)
        target = str(organization_id or getattr(principal, "organization_id", None) or "")
        settings = await environment_settings()
        try:
            outcome = await invitation_rules.invite_members(
                principal,
                context.deployment(info),
                target,
                emails=emails,
                role_key=role,
                app_name=settings["app_name"],
            )
        except role_authority.RoleNotGrantable as error:
            return results.role_not_grantable(error)
        except InvalidInputError as error:
            return results.invalid_input(error)
        except DomainError as error:
            raise_as_graphql(error)
        context.wake_jobs(info)
        return results.InvitationsSent(
            invitations=[Invitation.from_row(row) for row in outcome.invitations],
            problems=[
                results.InviteProblem(email=p.email, code=p.code, message=p.message) for p in outcome.problems
            ],
        )

    @strawberry.mutation(extensions=needs("sk_org_users_invite"))
    async def resend_invitation(
        self, info: Info[Any, Any], invitation_id: strawberry.ID
    ) -> results.ResendInvitationResult:
        settings = await environment_settings()
        try:
            row = await invitation_rules.resend_invitation(
                context.principal(info),
                context.deployment(info),
                str(invitation_id),
                app_name=settings["app_name"],
            )
        except role_authority.RoleOutranksYou as error:
            return results.role_outranks_you(error)
        except invitation_rules.InvitationNotPending as error:
            return results.invitation_not_pending(error)
        except ResendLimitReached as error:
            return results.resend_limit_reached(error)
        except DomainError as error:
            raise_as_graphql(error)
        context.wake_jobs(info)
        return Invitation.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_users_invite"))
    async def revoke_invitation(
        self, info: Info[Any, Any], invitation_id: strawberry.ID
    ) -> results.RevokeInvitationResult:
        try:
            row = await invitation_rules.revoke_invitation(context.principal(info), str(invitation_id))
        except role_authority.RoleOutranksYou as error:
            return results.role_outranks_you(error)
        except invitation_rules.InvitationNotPending as error:
            return results.invitation_not_pending(error)
        except DomainError as error:
            raise_as_graphql(error)
        return Invitation.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_settings_manage"))
    async def update_organization(
        self, info: Info[Any, Any], input: UpdateOrganizationInput
    ) -> results.UpdateOrganizationResult:
        principal = context.principal(info)
        organization_id = str(input.organization_id or getattr(principal, "organization_id", None) or "")
        try:
            row = await organizations.update_organization_settings(
                principal,
                organization_id,
                name=input.name,
                allowed_email_domains=input.allowed_email_domains,
            )
        except InvalidDomainError as error:
            return results.InvalidDomain(
                code="INVALID_DOMAIN", message=error.message, domain=str(error.details["domain"])
            )
        except InvalidInputError as error:
            return results.invalid_input(error)
        except DomainError as error:
            raise_as_graphql(error)
        return Organization.from_row(row)

    @strawberry.mutation(
        extensions=needs("sk_org_session_policy_manage", feature="session_policy"),
        description="The application's defaults (custom false) or custom timeouts; the stricter always wins.",
    )
    async def update_session_policy(
        self,
        info: Info[Any, Any],
        custom: bool,
        absolute_minutes: int | None = None,
        idle_minutes: int | None = None,
        organization_id: strawberry.ID | None = None,
    ) -> results.UpdateSessionPolicyResult:
        principal = context.principal(info)
        target = str(organization_id or getattr(principal, "organization_id", None) or "")
        try:
            policy = await policy_rules.update_policy(
                principal, target, custom=custom, absolute_minutes=absolute_minutes, idle_minutes=idle_minutes
            )
        except policy_rules.InvalidSessionPolicy as error:
            return results.invalid_input(error)
        except DomainError as error:
            raise_as_graphql(error)
        return SessionPolicy.from_policy(policy)

    @strawberry.mutation(extensions=needs("sk_org_users_role_change"))
    async def change_member_role(
        self, info: Info[Any, Any], member_id: strawberry.ID, role: str
    ) -> results.ChangeMemberRoleResult:
        try:
            row = await member_rules.change_member_role(context.principal(info), str(member_id), role)
        except member_rules.LastAdmin as error:
            return results.LastAdmin(code="LAST_ADMIN", message=error.message)
        except role_authority.RoleNotGrantable as error:
            return results.role_not_grantable(error)
        except role_authority.RoleOutranksYou as error:
            return results.role_outranks_you(error)
        except DomainError as error:
            raise_as_graphql(error)
        return Member.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_users_delete"))
    async def remove_member(
        self, info: Info[Any, Any], member_id: strawberry.ID
    ) -> results.RemoveMemberResult:
        try:
            row = await member_rules.remove_member(context.principal(info), str(member_id))
        except member_rules.LastAdmin as error:
            return results.LastAdmin(code="LAST_ADMIN", message=error.message)
        except role_authority.RoleOutranksYou as error:
            return results.role_outranks_you(error)
        except DomainError as error:
            raise_as_graphql(error)
        return results.MemberRemoved(member=Member.from_row(row))

    @strawberry.mutation(extensions=SIGNED_IN)
    async def update_profile(
        self, info: Info[Any, Any], first_name: str, last_name: str
    ) -> results.UpdateProfileResult:
        try:
            user = await users.update_profile(context.user(info), first_name=first_name, last_name=last_name)
        except InvalidInputError as error:
            return results.invalid_input(error)
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
    async def begin_passkey_registration(
        self, info: Info[Any, Any], name: str | None = None
    ) -> results.BeginPasskeyRegistrationResult:
        settings = await environment_settings()
        try:
            ceremony = await passkey_rules.begin_registration(
                context.user(info), context.deployment(info), settings["app_name"], name=name
            )
        except ReauthenticationRequired as error:
            return results.reauthentication_required(error)
        except InvalidInputError as error:
            return results.invalid_input(error)
        except DomainError as error:
            raise_as_graphql(error)
        return results.PasskeyRegistrationOptions(
            flow_id=strawberry.ID(ceremony.flow_id), options=cast(JSON, ceremony.options)
        )

    @strawberry.mutation(
        extensions=PORTAL, description="Finish adding a passkey with the browser's attestation (JSON)."
    )
    async def finish_passkey_registration(
        self, info: Info[Any, Any], flow_id: strawberry.ID, credential: JSON, name: str
    ) -> results.FinishPasskeyRegistrationResult:
        try:
            row = await passkey_rules.finish_registration(
                context.user(info), context.deployment(info), str(flow_id), credential, name
            )
        except ReauthenticationRequired as error:
            return results.reauthentication_required(error)
        except (passkey_rules.PasskeyRejected, passkey_rules.ExpiredChallenge) as error:
            return results.PasskeyRejected(code=error.code.upper(), message=error.message)
        except InvalidInputError as error:
            return results.invalid_input(error)
        except DomainError as error:
            raise_as_graphql(error)
        return Passkey.from_row(row)

    @strawberry.mutation(extensions=PORTAL, description="Rename one of your passkeys.")
    async def rename_passkey(
        self, info: Info[Any, Any], passkey_id: strawberry.ID, name: str
    ) -> results.RenamePasskeyResult:
        try:
            row = await passkey_rules.rename_passkey(context.user(info), str(passkey_id), name)
        except InvalidInputError as error:
            return results.invalid_input(error)
        except DomainError as error:
            raise_as_graphql(error)
        return Passkey.from_row(row)

    @strawberry.mutation(
        extensions=PORTAL, description="Delete one of your passkeys; needs a recent sign-in."
    )
    async def delete_passkey(
        self, info: Info[Any, Any], passkey_id: strawberry.ID
    ) -> results.DeletePasskeyResult:
        try:
            await passkey_rules.delete_passkey(context.user(info), str(passkey_id))
        except ReauthenticationRequired as error:
            return results.reauthentication_required(error)
        except DomainError as error:
            raise_as_graphql(error)
        return results.PasskeyDeleted(passkey_id=passkey_id)
