"""SCIM directories: an organization's identity providers pushing people and groups to us, their
bearer tokens, the roles their groups give, and what they pushed (users, groups, the log)."""

import datetime as dt
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import directories as directory_rules
from resolvers import directory_listing as listing
from resolvers import provisioning_log
from resolvers.deployment import Deployment
from resolvers.directory_rows import FEATURE, DirectoryRow, load_directory
from resolvers.pages import DEFAULT_PAGE_SIZE
from schema import context, results
from schema.connections import After, Connection, First, checked_first, connection
from schema.error_table import answers_refusals
from schema.permissions import needs, needs_on


@strawberry.enum(description="The identity provider a directory was set up for (its guide follows it).")
class DirectoryProvider(Enum):
    OKTA = "okta"
    ENTRA_ID = "entra_id"
    ONELOGIN = "onelogin"
    JUMPCLOUD = "jumpcloud"
    GOOGLE_WORKSPACE = "google_workspace"
    GENERIC = "generic"


@strawberry.enum(description="FAILED: the request was answered with a status of 400 or more.")
class ProvisioningOutcome(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.type(description="A SCIM User the directory pushed; email is the Tenantry user's address.")
class DirectoryUser:
    id: strawberry.ID
    user_name: str
    email: str
    display_name: str | None
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: listing.DirectoryUserRow) -> "DirectoryUser":
        return cls(
            id=strawberry.ID(row.id),
            user_name=row.user_name,
            email=row.email,
            display_name=row.display_name,
            active=row.active,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="A SCIM Group the directory pushed.")
class DirectoryGroup:
    id: strawberry.ID
    display_name: str
    member_count: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: listing.DirectoryGroupRow) -> "DirectoryGroup":
        return cls(
            id=strawberry.ID(row.id),
            display_name=row.display_name,
            member_count=row.member_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="People in this directory group get this role (the first mapped group wins).")
class DirectoryGroupRole:
    group: DirectoryGroup
    role: str


@strawberry.type(description="One SCIM request of the directory that changed something or failed.")
class ProvisioningEntry:
    id: strawberry.ID
    at: dt.datetime
    method: str
    operation: str = strawberry.field(
        description="create, replace, patch, delete, read, search or discovery."
    )
    resource_type: str = strawberry.field(description='"User", "Group", or "" for neither.')
    resource_id: str
    subject: str = strawberry.field(description="The userName or displayName the request named, if any.")
    status: int = strawberry.field(description="The HTTP status we answered.")
    outcome: ProvisioningOutcome
    scim_type: str | None = strawberry.field(description="The SCIM error type of a failure, if it had one.")
    detail: str

    @classmethod
    def from_row(cls, row: provisioning_log.EntryRow) -> "ProvisioningEntry":
        return cls(
            id=strawberry.ID(row.id),
            at=row.at,
            method=row.method,
            operation=row.operation,
            resource_type=row.resource_type,
            resource_id=row.resource_id,
            subject=row.subject,
            status=row.status,
            outcome=ProvisioningOutcome(row.outcome),
            scim_type=row.scim_type or None,
            detail=row.detail,
        )


@strawberry.type(
    description="An organization's SCIM client: its IdP creates, updates and deactivates people and "
    "groups at scimBaseUrl with the directory's bearer token."
)
class Directory:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    name: str
    provider: DirectoryProvider
    scim_base_url: str = strawberry.field(description="The SCIM 2.0 base URL to give the IdP.")
    has_token: bool = strawberry.field(description="False after a revocation, until a rotation.")
    token_hint: str | None = strawberry.field(
        description="The token's last 4 characters, to tell it apart; null without a token."
    )
    token_created_at: dt.datetime | None
    previous_token_expires_at: dt.datetime | None = strawberry.field(
        description="After a rotation the old token works until then; null when it no longer does."
    )
    require_verified_domain: bool = strawberry.field(
        description="Provision only people whose address is at one of the organization's verified domains."
    )
    deprovision_when_unmapped: bool = strawberry.field(
        description="Suspend people who leave every mapped group (else they get defaultRole back)."
    )
    default_role: str = strawberry.field(description="The role of people in no mapped group.")
    group_roles: list[DirectoryGroupRole] = strawberry.field(
        description="Roles by directory group, in order: the first group a person is in wins."
    )
    last_request_at: dt.datetime | None = strawberry.field(description="The IdP's last SCIM request.")
    user_count: int
    group_count: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @strawberry.field(
        extensions=needs("sk_org_scim_read", feature=FEATURE),
        description="Its users, in the order the IdP made them; search matches userName, email or "
        "displayName.",
    )
    async def users(
        self,
        info: Info[Any, Any],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        search: str | None = None,
    ) -> Connection[DirectoryUser]:
        page = await listing.list_users(
            context.principal(info), str(self.id), first=checked_first(first), after=after, search=search
        )
        return connection(page.map(DirectoryUser.from_row))

    @strawberry.field(
        extensions=needs("sk_org_scim_read", feature=FEATURE),
        description="Its groups, in the order the IdP made them; search matches displayName.",
    )
    async def groups(
        self,
        info: Info[Any, Any],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        search: str | None = None,
    ) -> Connection[DirectoryGroup]:
        page = await listing.list_groups(
            context.principal(info), str(self.id), first=checked_first(first), after=after, search=search
        )
        return connection(page.map(DirectoryGroup.from_row))

    @strawberry.field(
        extensions=needs("sk_org_scim_read", feature=FEATURE),
        description="Requests that changed something or failed, newest first; search matches the "
        "subject or the resource id.",
    )
    async def provisioning_log(
        self,
        info: Info[Any, Any],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        outcome: ProvisioningOutcome | None = None,
        search: str | None = None,
    ) -> Connection[ProvisioningEntry]:
        page = await provisioning_log.list_entries(
            context.principal(info),
            str(self.id),
            first=checked_first(first),
            after=after,
            outcome=outcome.value if outcome else None,
            search=search,
        )
        return connection(page.map(ProvisioningEntry.from_row))


async def directory_nodes(rows: Sequence[DirectoryRow], deployment: Deployment) -> list[Directory]:
    """Directories with their counts and mapped groups: a few queries for the whole page."""
    counts = await listing.directory_counts(row.id for row in rows)
    groups = await listing.groups_by_id(group_id for row in rows for group_id, _ in row.group_roles)
    nodes = []
    for row in rows:
        counted = counts.get(row.id, listing.DirectoryCounts(users=0, groups=0))
        nodes.append(
            Directory(
                id=strawberry.ID(row.id),
                organization_id=row.organization_id,
                name=row.name,
                provider=DirectoryProvider(row.provider),
                scim_base_url=directory_rules.scim_base_url(deployment.public_url, row.id),
                has_token=row.has_token,
                token_hint=row.token_hint if row.has_token and row.token_hint else None,
                token_created_at=row.token_created_at,
                previous_token_expires_at=row.previous_token_expires_at,
                require_verified_domain=row.require_verified_domain,
                deprovision_when_unmapped=row.deprovision_when_unmapped,
                default_role=row.default_role,
                group_roles=[
                    DirectoryGroupRole(group=DirectoryGroup.from_row(groups[group_id]), role=role)
                    for group_id, role in row.group_roles
                    if group_id in groups
                ],
                last_request_at=row.last_request_at,
                user_count=counted.users,
                group_count=counted.groups,
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
        )
    return nodes


async def directory_node(row: DirectoryRow, deployment: Deployment) -> Directory:
    return (await directory_nodes([row], deployment))[0]


async def _owner_of_directory(directory_id: str) -> str | None:
    found = await load_directory(directory_id)
    return found.organization_id if found else None


def needs_on_directory(permission: str, *, first_hand: bool = False) -> list[Any]:
    return needs_on(permission, FEATURE, "directory_id", _owner_of_directory, first_hand=first_hand)


@strawberry.input
class CreateDirectoryInput:
    provider: DirectoryProvider
    name: str | None = strawberry.field(default=None, description="Defaults to the provider's name.")


@strawberry.input
class DirectoryGroupRoleInput:
    group_id: strawberry.ID
    role: str


@strawberry.input
class UpdateDirectoryInput:
    name: str | None = None
    require_verified_domain: bool | None = None
    deprovision_when_unmapped: bool | None = None
    default_role: str | None = strawberry.field(
        default=None, description="A role you could give; people in no mapped group get it at once."
    )
    group_roles: list[DirectoryGroupRoleInput] | None = strawberry.field(
        default=None,
        description="Replaces the whole list (at most 20 groups of this directory, each once, roles you "
        "could give); people's roles follow at once.",
    )


@strawberry.type(description="The directory and its new bearer token: shown this once, never again.")
class DirectoryWithToken:
    directory: Directory
    token: str


@strawberry.type
class DirectoryDeleted:
    directory: Directory


CreateDirectoryResult = Annotated[
    DirectoryWithToken
    | results.InvalidInput
    | results.RoleNotGrantable
    | results.RoleOutranksYou
    | results.ReauthenticationRequired,
    strawberry.union("CreateDirectoryResult"),
]
UpdateDirectoryResult = Annotated[
    Directory
    | results.InvalidInput
    | results.RoleNotGrantable
    | results.RoleOutranksYou
    | results.LastAdmin
    | results.ReauthenticationRequired,
    strawberry.union("UpdateDirectoryResult"),
]
RotateDirectoryTokenResult = Annotated[
    DirectoryWithToken | results.InvalidInput | results.RoleOutranksYou | results.ReauthenticationRequired,
    strawberry.union("RotateDirectoryTokenResult"),
]
RevokeDirectoryTokenResult = Annotated[
    Directory | results.ReauthenticationRequired, strawberry.union("RevokeDirectoryTokenResult")
]
DeleteDirectoryResult = Annotated[
    DirectoryDeleted | results.ReauthenticationRequired, strawberry.union("DeleteDirectoryResult")
]


@strawberry.type
class DirectoryQuery:
    @strawberry.field(extensions=needs_on_directory("sk_org_scim_read"))
    @answers_refusals()
    async def directory(self, info: Info[Any, Any], directory_id: strawberry.ID) -> Directory | None:
        row = await directory_rules.authorized_directory(
            context.principal(info), str(directory_id), "sk_org_scim_read"
        )
        return await directory_node(row, context.deployment(info))


@strawberry.type
class DirectoryMutation:
    @strawberry.mutation(
        extensions=needs("sk_org_scim_manage", feature=FEATURE, first_hand=True),
        description="A directory and its first bearer token, shown once (needs a recent sign-in).",
    )
    @answers_refusals()
    async def create_directory(
        self,
        info: Info[Any, Any],
        input: CreateDirectoryInput,
        organization_id: strawberry.ID | None = None,
    ) -> CreateDirectoryResult:
        principal = context.principal(info)
        issued = await directory_rules.create_directory(
            principal,
            context.target_organization(principal, organization_id),
            provider=input.provider.value,
            name=input.name,
        )
        context.wake_jobs(info)
        return DirectoryWithToken(
            directory=await directory_node(issued.directory, context.deployment(info)), token=issued.token
        )

    @strawberry.mutation(extensions=needs_on_directory("sk_org_scim_manage", first_hand=True))
    @answers_refusals()
    async def update_directory(
        self, info: Info[Any, Any], directory_id: strawberry.ID, input: UpdateDirectoryInput
    ) -> UpdateDirectoryResult:
        row = await directory_rules.update_directory(
            context.principal(info),
            str(directory_id),
            name=input.name,
            require_verified_domain=input.require_verified_domain,
            deprovision_when_unmapped=input.deprovision_when_unmapped,
            default_role=input.default_role,
            group_roles=[(str(pair.group_id), pair.role) for pair in input.group_roles]
            if input.group_roles is not None
            else None,
        )
        context.wake_jobs(info)
        return await directory_node(row, context.deployment(info))

    @strawberry.mutation(
        extensions=needs_on_directory("sk_org_scim_manage", first_hand=True),
        description="A new bearer token, shown once; the current one keeps working for overlapMinutes "
        "(0 to 10080; 0 stops it now), so the IdP can be switched over without a failed push.",
    )
    @answers_refusals()
    async def rotate_directory_token(
        self, info: Info[Any, Any], directory_id: strawberry.ID, overlap_minutes: int = 60
    ) -> RotateDirectoryTokenResult:
        issued = await directory_rules.rotate_token(
            context.principal(info), str(directory_id), overlap=dt.timedelta(minutes=overlap_minutes)
        )
        context.wake_jobs(info)
        return DirectoryWithToken(
            directory=await directory_node(issued.directory, context.deployment(info)), token=issued.token
        )

    @strawberry.mutation(
        extensions=needs_on_directory("sk_org_scim_manage", first_hand=True),
        description="No token works any more, the previous one included: the IdP's pushes stop at once.",
    )
    @answers_refusals()
    async def revoke_directory_token(
        self, info: Info[Any, Any], directory_id: strawberry.ID
    ) -> RevokeDirectoryTokenResult:
        row = await directory_rules.revoke_token(context.principal(info), str(directory_id))
        context.wake_jobs(info)
        return await directory_node(row, context.deployment(info))

    @strawberry.mutation(
        extensions=needs_on_directory("sk_org_scim_manage", first_hand=True),
        description="Delete it with its users, groups and log; people keep their memberships, and "
        "roles it managed can be changed by hand again.",
    )
    @answers_refusals()
    async def delete_directory(
        self, info: Info[Any, Any], directory_id: strawberry.ID
    ) -> DeleteDirectoryResult:
        row = await directory_rules.delete_directory(context.principal(info), str(directory_id))
        context.wake_jobs(info)
        return DirectoryDeleted(directory=await directory_node(row, context.deployment(info)))
