"""Members of an organization and the roles they hold: change a member's role, remove a member."""

import datetime as dt
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import managing_members as member_rules
from resolvers import roles as role_rules
from schema import context, results
from schema.connections import PageInfo
from schema.error_table import answers_refusals
from schema.permissions import needs
from schema.types import User


@strawberry.enum
class MemberStatus(Enum):
    INVITED = "invited"
    ACTIVE = "active"
    SUSPENDED = "suspended"


@strawberry.type(description="The SCIM directory whose group mapping set a member's role.")
class MemberRoleSource:
    directory_id: strawberry.ID
    directory_name: str


@strawberry.type
class Member:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    user: User = strawberry.field(
        description="An INVITED member is only the invited address until they accept: the id is the "
        "membership's, with no name, verified flag or sign-in, whether or not the address has an account."
    )
    role: str
    role_managed_by: MemberRoleSource | None = strawberry.field(
        description="Null when the role was set by hand; else the directory that sets it (changeMemberRole "
        "then answers RoleManagedByDirectory)."
    )
    status: MemberStatus
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: member_rules.MemberRow) -> "Member":
        return cls(
            id=strawberry.ID(row.id),
            organization_id=row.organization_id,
            user=User(
                id=strawberry.ID(row.user_id),
                email=row.email,
                email_verified=row.email_verified,
                first_name=row.first_name,
                last_name=row.last_name,
            ),
            role=row.role_key,
            role_managed_by=MemberRoleSource(
                directory_id=strawberry.ID(row.role_managed_by), directory_name=row.role_managed_by_name or ""
            )
            if row.role_managed_by
            else None,
            status=MemberStatus(row.status),
            created_at=row.created_at,
            last_sign_in_at=row.last_login_at,
        )


@strawberry.type
class MemberConnection:
    nodes: list[Member]
    page_info: PageInfo
    count_members: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    @strawberry.field(description="How many members match the same filters, over every page.")
    async def total_count(self) -> int:
        return await self.count_members() if self.count_members is not None else 0


@strawberry.type
class Role:
    key: str
    name: str
    permissions: list[str]

    @classmethod
    def from_row(cls, row: role_rules.RoleRow) -> "Role":
        return cls(key=row.key, name=row.name, permissions=row.permissions)


@strawberry.type
class MemberRemoved:
    member: Member


ChangeMemberRoleResult = Annotated[
    Member
    | results.LastAdmin
    | results.RoleNotGrantable
    | results.RoleOutranksYou
    | results.RoleManagedByDirectory,
    strawberry.union("ChangeMemberRoleResult"),
]
RemoveMemberResult = Annotated[
    MemberRemoved | results.LastAdmin | results.RoleOutranksYou, strawberry.union("RemoveMemberResult")
]


@strawberry.type
class MemberQuery:
    @strawberry.field(description="The environment's roles and what each allows.")
    async def roles(self, info: Info[Any, Any]) -> list[Role]:
        context.principal(info)
        return [Role.from_row(row) for row in await role_rules.list_roles()]


@strawberry.type
class MemberMutation:
    @strawberry.mutation(extensions=needs("sk_org_users_role_change"))
    @answers_refusals()
    async def change_member_role(
        self, info: Info[Any, Any], member_id: strawberry.ID, role: str
    ) -> ChangeMemberRoleResult:
        row = await member_rules.change_member_role(context.principal(info), str(member_id), role)
        return Member.from_row(row)

    @strawberry.mutation(extensions=needs("sk_org_users_delete"))
    @answers_refusals()
    async def remove_member(self, info: Info[Any, Any], member_id: strawberry.ID) -> RemoveMemberResult:
        row = await member_rules.remove_member(context.principal(info), str(member_id))
        return MemberRemoved(member=Member.from_row(row))
