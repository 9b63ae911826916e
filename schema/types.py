"""The object types: Viewer, User, Organization, Member, Invitation, Domain, Role, and connections."""

import datetime as dt
from collections.abc import Awaitable, Callable
from enum import Enum
from functools import partial
from typing import Any

import strawberry
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from resolvers import domain_verification as domain_rules
from resolvers import invitations as invitation_rules
from resolvers import members as member_rules
from resolvers import memberships as membership_rules
from resolvers import passkeys as passkey_rules
from resolvers import session_policy as policy_rules
from resolvers import sessions as session_rules
from resolvers.pages import DEFAULT_PAGE_SIZE
from schema.connections import After, Connection, First, PageInfo, checked_first, connection, empty_connection
from schema.permissions import PORTAL, RequiresFeature, RequiresPermission, principal_of


def needs(permission: str, feature: str | None = None) -> list[FieldExtension]:
    """The field needs `permission` (and `feature`) in the organization it acts on (printed as directives)."""
    if feature:
        return [PermissionExtension(permissions=[RequiresPermission(permission), RequiresFeature(feature)])]
    return [PermissionExtension(permissions=[RequiresPermission(permission)])]


@strawberry.enum
class MemberStatus(Enum):
    INVITED = "invited"
    ACTIVE = "active"
    SUSPENDED = "suspended"


@strawberry.enum
class Feature(Enum):
    SSO = "sso"
    SCIM = "scim"
    DOMAIN_VERIFICATION = "domain_verification"
    SESSION_POLICY = "session_policy"


@strawberry.type
class User:
    id: strawberry.ID
    email: str
    email_verified: bool
    first_name: str
    last_name: str

    @strawberry.field
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "User":
        return cls(
            id=strawberry.ID(row["id"]),
            email=row["email"],
            email_verified=bool(row["email_verified"]),
            first_name=row["first_name"],
            last_name=row["last_name"],
        )


@strawberry.type
class Member:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    user: User = strawberry.field(
        description="An INVITED member is only the invited address until they accept: the id is the "
        "membership's, with no name, verified flag or sign-in, whether or not the address has an account."
    )
    role: str
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
            status=MemberStatus(row.status),
            created_at=row.created_at,
            last_sign_in_at=row.last_login_at,
        )


@strawberry.enum
class InvitationStatus(Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"


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


@strawberry.enum
class DomainStatus(Enum):
    PENDING = "pending"
    VERIFIED = "verified"
    FAILED = "failed"
    LAPSED = "lapsed"


@strawberry.type(
    description=(
        "A claimed domain: PENDING until its TXT record is seen, then re-checked daily; FAILED after "
        "seven days without the record; LAPSED after three daily checks in a row without it."
    )
)
class Domain:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    name: str
    status: DomainStatus
    txt_record_name: str = strawberry.field(
        description="The host of the TXT record, such as _tenantry-challenge.example.com "
        "(DNS consoles that append the zone want only _tenantry-challenge)."
    )
    txt_record_value: str = strawberry.field(description="The exact value of the TXT record.")
    verified_at: dt.datetime | None
    last_checked_at: dt.datetime | None
    next_check_at: dt.datetime | None = strawberry.field(description="Null when no check is scheduled.")
    last_error: str | None = strawberry.field(description="What the last check found, in plain words.")
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row: domain_rules.DomainRow) -> "Domain":
        return cls(
            id=strawberry.ID(row.id),
            organization_id=row.organization_id,
            name=row.name,
            status=DomainStatus(row.status),
            txt_record_name=row.txt_record_name,
            txt_record_value=row.txt_record_value,
            verified_at=row.verified_at,
            last_checked_at=row.last_checked_at,
            next_check_at=row.next_check_at,
            last_error=row.last_error or None,
            created_at=row.created_at,
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
class Organization:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    row: strawberry.Private[dict[str, Any]]

    @strawberry.field(extensions=needs("sk_org_settings_read"))
    def name(self) -> str:
        return str(self.row["name"])

    @strawberry.field(extensions=needs("sk_org_settings_read"))
    def allowed_email_domains(self) -> list[str]:
        return list(self.row["allowed_email_domains"] or [])

    @strawberry.field(extensions=needs("sk_org_settings_read"))
    def features(self) -> list[Feature]:
        return [Feature(feature) for feature in self.row["features"] or []]

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
        principal = principal_of(info)
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
        principal = principal_of(info)
        if principal is None:
            return empty_connection()
        wanted = frozenset(status.value for status in statuses) if statuses is not None else None
        page = await invitation_rules.list_invitations(
            principal, self.organization_id, statuses=wanted, first=checked_first(first), after=after
        )
        return connection(page.map(Invitation.from_row))

    @strawberry.field(extensions=needs("sk_org_session_policy_read", feature="session_policy"))
    async def session_policy(self, info: Info[Any, Any]) -> "SessionPolicy":
        principal = principal_of(info)
        if principal is None:
            raise PermissionError("no principal")
        return SessionPolicy.from_policy(await policy_rules.read_policy(principal, self.organization_id))

    @strawberry.field(
        extensions=needs("sk_org_settings_read", feature="domain_verification"),
        description="Domains the organization claims, each proven by a DNS TXT record; by name.",
    )
    async def domains(
        self, info: Info[Any, Any], first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Domain]:
        principal = principal_of(info)
        if principal is None:
            return empty_connection()
        page = await domain_rules.list_domains(
            principal, self.organization_id, first=checked_first(first), after=after
        )
        return connection(page.map(Domain.from_row))

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Organization":
        return cls(id=strawberry.ID(row["id"]), organization_id=row["id"], row=row)


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
class Passkey:
    """One of the viewer's passkeys; `synced` is the WebAuthn backup state (a cloud keychain)."""

    id: strawberry.ID
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    synced: bool

    @classmethod
    def from_row(cls, row: passkey_rules.PasskeyRow) -> "Passkey":
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            synced=row.synced,
        )


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
        page = await membership_rules.organization_choices(
            str(self.user.id), first=checked_first(first), after=after
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


@strawberry.type
class Role:
    key: str
    name: str
    permissions: list[str]


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
