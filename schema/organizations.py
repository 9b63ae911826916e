"""Organizations: one by id, its settings, and what it holds (members, invitations, policy, domains).

The fields that list what an organization holds live here; their types live with their concept.
"""

from functools import partial
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import connection_rows, organizations
from resolvers import directories as directory_rules
from resolvers import domains as domain_rules
from resolvers import invitations as invitation_rules
from resolvers import managing_members as member_rules
from resolvers import session_policy as policy_rules
from resolvers import sso_connections as connection_rules
from resolvers import sso_requirement as requirement_rules
from resolvers.authorization import require
from resolvers.directory_rows import FEATURE as SCIM
from resolvers.domain_names import InvalidDomain
from resolvers.errors import NotFound
from resolvers.pages import DEFAULT_PAGE_SIZE
from schema import context, results
from schema.connections import After, Connection, First, PageInfo, checked_first, connection, empty_connection
from schema.directories import Directory, directory_nodes
from schema.domains import Domain
from schema.error_table import AsResult, answers_refusals
from schema.invitations import Invitation
from schema.members import Member, MemberConnection, MemberStatus
from schema.permissions import needs
from schema.session_policy import SessionPolicy
from schema.sso_connections import Connection as SSOConnection
from schema.sso_requirement import SsoRequirement
from schema.types import Feature, InvitationStatus


@strawberry.type
class Organization:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    row: strawberry.Private[organizations.OrganizationRow]

    @strawberry.field(extensions=needs("sk_org_settings_read"))
    def name(self) -> str:
        return self.row.name

    @strawberry.field(extensions=needs("sk_org_settings_read"))
    def allowed_email_domains(self) -> list[str]:
        return list(self.row.allowed_email_domains)

    @strawberry.field(extensions=needs("sk_org_settings_read"))
    def features(self) -> list[Feature]:
        return [Feature(feature) for feature in self.row.features]

    @strawberry.field(extensions=needs("sk_org_users_read"))
    async def members(
        self,
        info: Info[Any, Any],
        first: First = 20,
        after: After = None,
        search: str | None = None,
        role: str | None = None,
        status: MemberStatus | None = None,
    ) -> MemberConnection:
        principal = context.principal_of(info)
        if principal is None:
            return MemberConnection(nodes=[], page_info=PageInfo(end_cursor=None, has_next_page=False))
        checked_first(first)
        filters: dict[str, Any] = {"search": search, "role": role, "status": status.value if status else None}
        page = await member_rules.list_members(
            principal, self.organization_id, first=first, after=after, **filters
        )
        return MemberConnection(
            nodes=[Member.from_row(row) for row in page.members],
            page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=page.has_next_page),
            count_members=partial(member_rules.count_members, principal, self.organization_id, **filters),
        )

    @strawberry.field(extensions=needs("sk_org_users_read"))
    async def invitations(
        self,
        info: Info[Any, Any],
        statuses: list[InvitationStatus] | None = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[Invitation]:
        principal = context.principal_of(info)
        if principal is None:
            return empty_connection()
        wanted = frozenset(status.value for status in statuses) if statuses is not None else None
        page = await invitation_rules.list_invitations(
            principal, self.organization_id, statuses=wanted, first=checked_first(first), after=after
        )
        return connection(page.map(Invitation.from_row))

    @strawberry.field(extensions=needs("sk_org_session_policy_read", feature=policy_rules.FEATURE))
    async def session_policy(self, info: Info[Any, Any]) -> SessionPolicy:
        principal = context.principal_of(info)
        if principal is None:
            raise PermissionError("no principal")
        return SessionPolicy.from_policy(await policy_rules.read_policy(principal, self.organization_id))

    @strawberry.field(
        extensions=needs("sk_org_settings_read", feature=domain_rules.FEATURE),
        description="Domains the organization claims, each proven by a DNS TXT record; by name.",
    )
    async def domains(
        self, info: Info[Any, Any], first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Domain]:
        principal = context.principal_of(info)
        if principal is None:
            return empty_connection()
        page = await domain_rules.list_domains(
            principal, self.organization_id, first=checked_first(first), after=after
        )
        return connection(page.map(Domain.from_row))

    @strawberry.field(
        extensions=needs("sk_org_sso_read", feature=connection_rows.FEATURE),
        description="The organization's SSO connections, in the order they were made.",
    )
    async def connections(
        self, info: Info[Any, Any], first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[SSOConnection]:
        principal = context.principal_of(info)
        if principal is None:
            return empty_connection()
        page = await connection_rules.list_connections(
            principal, self.organization_id, first=checked_first(first), after=after
        )
        deployment = context.deployment(info)
        return connection(page.map(lambda row: SSOConnection.from_row(row, deployment)))

    @strawberry.field(
        extensions=needs("sk_org_scim_read", feature=SCIM),
        description="The organization's SCIM directories, in the order they were made.",
    )
    async def directories(
        self, info: Info[Any, Any], first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Directory]:
        principal = context.principal_of(info)
        if principal is None:
            return empty_connection()
        page = await directory_rules.list_directories(
            principal, self.organization_id, first=checked_first(first), after=after
        )
        nodes = await directory_nodes(page.items, context.deployment(info))
        return Connection(
            nodes=nodes, page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=page.has_next_page)
        )

    @strawberry.field(
        extensions=needs("sk_org_sso_read", feature=connection_rows.FEATURE),
        description="Whether its verified domains must sign in through its identity provider.",
    )
    async def sso_requirement(self, info: Info[Any, Any]) -> SsoRequirement:
        principal = context.principal(info)
        return SsoRequirement.of(await requirement_rules.read_requirement(principal, self.organization_id))

    @classmethod
    def from_row(cls, row: organizations.OrganizationRow) -> "Organization":
        return cls(id=strawberry.ID(row.id), organization_id=row.id, row=row)


@strawberry.input
class UpdateOrganizationInput:
    organization_id: strawberry.ID | None = None
    name: str | None = None
    allowed_email_domains: list[str] | None = None


UpdateOrganizationResult = Annotated[
    Organization | results.InvalidDomain | results.InvalidInput, strawberry.union("UpdateOrganizationResult")
]


@strawberry.type
class OrganizationQuery:
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


@strawberry.type
class OrganizationMutation:
    @strawberry.mutation(extensions=needs("sk_org_settings_manage"))
    @answers_refusals(AsResult(InvalidDomain, results.InvalidDomain, results.invalid_allowed_email_domain))
    async def update_organization(
        self, info: Info[Any, Any], input: UpdateOrganizationInput
    ) -> UpdateOrganizationResult:
        principal = context.principal(info)
        row = await organizations.update_organization_settings(
            principal,
            context.target_organization(principal, input.organization_id),
            name=input.name,
            allowed_email_domains=input.allowed_email_domains,
        )
        return Organization.from_row(row)
