"""Fields for integrators only: organizations, entitlements, roles, permissions, applications, branding."""

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import organizations, roles, widget_tokens
from resolvers.applications import create_application
from resolvers.environment_settings import EnvironmentSettingsRow, environment_settings, update_branding
from resolvers.pages import DEFAULT_PAGE_SIZE
from schema import context, results
from schema.connections import After, Connection, First, checked_first, connection
from schema.error_table import EVERY_REFUSAL_AS_INPUT, answers_refusals
from schema.members import Role
from schema.organizations import Organization
from schema.permissions import INTEGRATOR
from schema.types import Feature


@strawberry.type
class Branding:
    app_name: str
    logo_url: str | None
    favicon_url: str | None
    primary_color: str

    @classmethod
    def from_row(cls, row: EnvironmentSettingsRow) -> "Branding":
        return cls(
            app_name=row.app_name,
            logo_url=row.logo_url,
            favicon_url=row.favicon_url,
            primary_color=row.primary_color,
        )


@strawberry.type
class Application:
    client_id: str
    name: str
    client_type: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    grant_types: list[str]


@strawberry.type
class CreatedApplication:
    application: Application
    client_secret: str | None = strawberry.field(description="Shown once; only its hash is stored.")


@strawberry.input
class BrandingInput:
    app_name: str | None = None
    logo_url: str | None = None
    favicon_url: str | None = None
    primary_color: str | None = None


@strawberry.input
class ApplicationInput:
    name: str
    redirect_uris: list[str]
    client_type: str = "confidential"
    post_logout_redirect_uris: list[str] | None = None
    initiate_login_uri: str | None = None
    backchannel_logout_uri: str | None = None
    grant_types: list[str] | None = None


@strawberry.enum(description="A portal widget an app can embed in its own pages.")
class Widget(Enum):
    MEMBERS = "members"
    ORGANIZATION_SETTINGS = "organization_settings"
    DOMAINS = "domains"
    SESSION_POLICY = "session_policy"
    SSO = "sso"
    SCIM = "scim"


@strawberry.type(description="Opens the named widgets for one person in one organization, for minutes.")
class WidgetToken:
    token: str = strawberry.field(
        description="Give it to the widget element (`token` attribute); it is not shown again."
    )
    expires_at: dt.datetime
    widgets: list[Widget]


@strawberry.type
class PermissionCreated:
    key: str


CreateOrganizationResult = Annotated[
    Organization | results.InvalidInput, strawberry.union("CreateOrganizationResult")
]
CreateWidgetTokenResult = Annotated[
    WidgetToken | results.InvalidInput, strawberry.union("CreateWidgetTokenResult")
]
PermissionResult = Annotated[PermissionCreated | results.InvalidInput, strawberry.union("PermissionResult")]
RoleResult = Annotated[Role | results.InvalidInput, strawberry.union("RoleResult")]
BrandingResult = Annotated[Branding | results.InvalidInput, strawberry.union("BrandingResult")]
CreateApplicationResult = Annotated[
    CreatedApplication | results.InvalidInput, strawberry.union("CreateApplicationResult")
]


@strawberry.type
class IntegratorQuery:
    @strawberry.field(extensions=INTEGRATOR, description="Every organization of the environment.")
    async def organizations(
        self, info: Info[Any, Any], first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Organization]:
        page = await organizations.list_organizations(
            context.principal(info), first=checked_first(first), after=after
        )
        return connection(page.map(Organization.from_row))

    @strawberry.field(description="The environment's branding (public: the hosted pages show it).")
    async def branding(self) -> Branding:
        return Branding.from_row(await environment_settings())


@strawberry.type
class IntegratorMutation:
    @strawberry.mutation(extensions=INTEGRATOR)
    @answers_refusals()
    async def create_organization(
        self, info: Info[Any, Any], name: str, features: list[Feature] | None = None
    ) -> CreateOrganizationResult:
        organization_id = await organizations.create_organization(
            context.principal(info), name=name, features=[feature.value for feature in features or []]
        )
        row = await organizations.find_organization(organization_id)
        assert row is not None  # noqa: S101 - created just above
        return Organization.from_row(row)

    @strawberry.mutation(extensions=INTEGRATOR, description="Replace an organization's feature entitlements.")
    @answers_refusals()
    async def set_organization_features(
        self, info: Info[Any, Any], organization_id: strawberry.ID, features: list[Feature]
    ) -> Organization:
        await organizations.set_features(
            context.principal(info), str(organization_id), [f.value for f in features]
        )
        row = await organizations.find_organization(str(organization_id))
        assert row is not None  # noqa: S101 - set_features raised NotFound otherwise
        return Organization.from_row(row)

    @strawberry.mutation(
        extensions=INTEGRATOR,
        description="A token for embedding widgets (`<tenantry-members>`, …) in the app's pages, for one "
        "active member of one organization: they act there with their role's permissions, within the "
        "widgets'. Lives `lifetimeSeconds` (60 to 3600, default 600).",
    )
    @answers_refusals(EVERY_REFUSAL_AS_INPUT)
    async def create_widget_token(
        self,
        info: Info[Any, Any],
        organization_id: strawberry.ID,
        user_id: strawberry.ID,
        widgets: list[Widget],
        lifetime_seconds: int = widget_tokens.DEFAULT_LIFETIME_SECONDS,
    ) -> CreateWidgetTokenResult:
        issued = await widget_tokens.create_widget_token(
            context.principal(info),
            context.deployment(info),
            organization_id=str(organization_id),
            user_id=str(user_id),
            widgets=[widget_tokens.Widget(widget.value) for widget in widgets],
            lifetime_seconds=lifetime_seconds,
        )
        return WidgetToken(
            token=issued.token,
            expires_at=issued.expires_at,
            widgets=[Widget(widget.value) for widget in issued.widgets],
        )

    @strawberry.mutation(
        extensions=INTEGRATOR, description="An app-defined permission (keys must not start with sk_)."
    )
    @answers_refusals(EVERY_REFUSAL_AS_INPUT)
    async def create_permission(
        self, info: Info[Any, Any], key: str, description: str = ""
    ) -> PermissionResult:
        created = await roles.create_permission(context.principal(info), key=key, description=description)
        return PermissionCreated(key=created)

    @strawberry.mutation(extensions=INTEGRATOR)
    @answers_refusals(EVERY_REFUSAL_AS_INPUT)
    async def create_role(
        self, info: Info[Any, Any], key: str, name: str, permissions: list[str]
    ) -> RoleResult:
        return Role.from_row(
            await roles.create_role(context.principal(info), key=key, name=name, permissions=permissions)
        )

    @strawberry.mutation(
        extensions=INTEGRATOR, description="Replace what a role allows; Admin and Member too."
    )
    @answers_refusals(EVERY_REFUSAL_AS_INPUT)
    async def set_role_permissions(
        self, info: Info[Any, Any], role: str, permissions: list[str]
    ) -> RoleResult:
        return Role.from_row(
            await roles.set_role_permissions(context.principal(info), key=role, permissions=permissions)
        )

    @strawberry.mutation(extensions=INTEGRATOR)
    @answers_refusals(EVERY_REFUSAL_AS_INPUT)
    async def update_branding(self, info: Info[Any, Any], input: BrandingInput) -> BrandingResult:
        row = await update_branding(
            context.principal(info),
            app_name=input.app_name,
            logo_url=input.logo_url,
            favicon_url=input.favicon_url,
            primary_color=input.primary_color,
        )
        return Branding.from_row(row)

    @strawberry.mutation(
        extensions=INTEGRATOR, description="Register an OAuth client; the secret is shown once."
    )
    @answers_refusals(EVERY_REFUSAL_AS_INPUT)
    async def create_application(
        self, info: Info[Any, Any], input: ApplicationInput
    ) -> CreateApplicationResult:
        created = await create_application(
            context.principal(info),
            name=input.name,
            redirect_uris=input.redirect_uris,
            client_type=input.client_type,
            post_logout_redirect_uris=input.post_logout_redirect_uris,
            initiate_login_uri=input.initiate_login_uri,
            backchannel_logout_uri=input.backchannel_logout_uri,
            grant_types=input.grant_types,
            private_networks=context.deployment(info).allows_private_networks,
        )
        client = created.client
        return CreatedApplication(
            application=Application(
                client_id=client.id,
                name=client.name,
                client_type=client.client_type,
                redirect_uris=list(client.redirect_uris),
                post_logout_redirect_uris=list(client.post_logout_redirect_uris),
                grant_types=sorted(client.grant_types),
            ),
            client_secret=created.client_secret,
        )
