"""Enterprise SSO connections: an organization's identity providers, what each needs from us, and
the steps from DRAFT to ACTIVE."""

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import connection_rows
from resolvers import sso_connections as connection_rules
from resolvers.deployment import Deployment
from resolvers.idp_settings import OidcSettings, SamlSettings
from resolvers.service_provider import service_provider
from schema import context, results
from schema.connection_details import (
    ConnectionTest,
    OidcIdpSettings,
    SamlIdpSettings,
    ServiceProviderDetails,
    oidc_details,
    saml_details,
)
from schema.error_table import answers_refusals
from schema.permissions import needs, needs_on


@strawberry.enum
class ConnectionProtocol(Enum):
    SAML = "saml"
    OIDC = "oidc"


@strawberry.enum(description="The identity provider a connection was set up for (its guide follows it).")
class IdentityProvider(Enum):
    OKTA = "okta"
    ENTRA_ID = "entra_id"
    GOOGLE_WORKSPACE = "google_workspace"
    ONELOGIN = "onelogin"
    JUMPCLOUD = "jumpcloud"
    PING = "ping"
    ADFS = "adfs"
    GENERIC_SAML = "generic_saml"
    GENERIC_OIDC = "generic_oidc"


@strawberry.enum
class ConnectionStatus(Enum):
    DRAFT = "draft"
    TESTED = "tested"
    ACTIVE = "active"
    DISABLED = "disabled"


@strawberry.type(description="Which assertion attribute (SAML) or claim (OIDC) fills each of ours.")
class AttributeMapping:
    email: str
    first_name: str
    last_name: str
    groups: str


@strawberry.input
class AttributeMappingInput:
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    groups: str | None = None


@strawberry.type(description="People in this IdP group get this role at their first sign-in.")
class GroupRole:
    group: str
    role: str


@strawberry.input
class GroupRoleInput:
    group: str
    role: str


@strawberry.type(
    description="An organization's identity provider: DRAFT until a test succeeds with its current "
    "settings (TESTED), ACTIVE once enabled, DISABLED when turned off."
)
class Connection:
    id: strawberry.ID
    organization_id: strawberry.Private[str]
    name: str
    protocol: ConnectionProtocol
    provider: IdentityProvider
    status: ConnectionStatus
    default_role: str = strawberry.field(description="The role people get on their first sign-in.")
    group_roles: list[GroupRole] = strawberry.field(
        description="Roles by IdP group (at most 20): the first group a person is in wins, else defaultRole."
    )
    attribute_mapping: AttributeMapping
    idp_initiated_application_id: str | None = strawberry.field(
        description="Null: sign-ins the IdP starts are refused. Else the application they sign in to."
    )
    tested_with_current_settings: bool = strawberry.field(
        description="False after a change the last successful test did not cover."
    )
    service_provider: ServiceProviderDetails
    test_url: str = strawberry.field(
        description="Open in a new tab to sign in through the connection once; the result becomes lastTest."
    )
    last_test: ConnectionTest | None = strawberry.field(description="Null until the first test.")
    saml: SamlIdpSettings | None = strawberry.field(description="Null until the IdP's settings are given.")
    oidc: OidcIdpSettings | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: connection_rows.ConnectionRow, deployment: Deployment) -> "Connection":
        mapping = row.attribute_mapping
        return cls(
            id=strawberry.ID(row.id),
            organization_id=row.organization_id,
            name=row.name,
            protocol=ConnectionProtocol(row.protocol),
            provider=IdentityProvider(row.provider),
            status=ConnectionStatus(row.status),
            default_role=row.default_role,
            group_roles=[GroupRole(group=group, role=role) for group, role in row.group_roles],
            idp_initiated_application_id=row.idp_initiated_client_id,
            attribute_mapping=AttributeMapping(
                email=mapping["email"],
                first_name=mapping["first_name"],
                last_name=mapping["last_name"],
                groups=mapping["groups"],
            ),
            tested_with_current_settings=row.tested_with_current_settings,
            service_provider=ServiceProviderDetails.of(deployment, row),
            test_url=service_provider(deployment, row).test_url,
            last_test=ConnectionTest.of(row.last_test) if row.last_test else None,
            saml=saml_details(row),
            oidc=oidc_details(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


async def _owner_of_connection(connection_id: str) -> str | None:
    found = await connection_rows.load_connection(connection_id)
    return found.organization_id if found else None


def needs_on_connection(permission: str, *, first_hand: bool = False) -> list[Any]:
    return needs_on(
        permission, connection_rows.FEATURE, "connection_id", _owner_of_connection, first_hand=first_hand
    )


@strawberry.input
class CreateConnectionInput:
    provider: IdentityProvider
    protocol: ConnectionProtocol | None = strawberry.field(
        default=None, description="Defaults to SAML, or OIDC for GENERIC_OIDC."
    )
    name: str | None = strawberry.field(default=None, description="Defaults to the provider's name.")
    default_role: str = "member"


@strawberry.input(
    description="The IdP's metadata document, or the URL it is published at, or its entity ID, SSO URL "
    "and certificate."
)
class SamlIdpInput:
    metadata_xml: str | None = None
    metadata_url: str | None = strawberry.field(
        default=None,
        description="Fetched once, now (https; at most 512 KiB; redirects are not followed), and read "
        "like metadataXml.",
    )
    entity_id: str | None = None
    sso_url: str | None = None
    certificate: str | None = strawberry.field(default=None, description="PEM, or the bare base64.")


@strawberry.input
class OidcIdpInput:
    issuer: str | None = strawberry.field(
        default=None,
        description="The issuer URL, or its discovery document's (…/.well-known/openid-configuration); "
        "its discovery document is fetched to check it (DiscoveryFailed when it cannot be).",
    )
    client_id: str | None = None
    client_secret: str | None = strawberry.field(default=None, description="Stored encrypted, never shown.")


@strawberry.input
class UpdateConnectionInput:
    name: str | None = None
    default_role: str | None = None
    group_roles: list[GroupRoleInput] | None = strawberry.field(
        default=None, description="Replaces the whole list; roles must be ones you could give."
    )
    idp_initiated_application_id: str | None = strawberry.field(
        default=None,
        description="SAML: accept sign-ins the IdP starts, for this application (it needs an "
        'initiate-login URI); "" turns them off again.',
    )
    attribute_mapping: AttributeMappingInput | None = strawberry.field(
        default=None,
        description="Each attribute named is re-mapped, the others keep theirs; a change needs a new test.",
    )
    saml: SamlIdpInput | None = strawberry.field(default=None, description="A change needs a new test.")
    oidc: OidcIdpInput | None = strawberry.field(default=None, description="A change needs a new test.")


@strawberry.type
class ConnectionDeleted:
    connection: Connection


CreateConnectionResult = Annotated[
    Connection | results.InvalidInput | results.RoleNotGrantable | results.ReauthenticationRequired,
    strawberry.union("CreateConnectionResult"),
]
UpdateConnectionResult = Annotated[
    Connection
    | results.MetadataInvalid
    | results.CertificateExpired
    | results.DiscoveryFailed
    | results.InvalidInput
    | results.RoleNotGrantable
    | results.ReauthenticationRequired,
    strawberry.union("UpdateConnectionResult"),
]
RotateConnectionCertificateResult = Annotated[
    Connection | results.InvalidInput | results.ReauthenticationRequired,
    strawberry.union("RotateConnectionCertificateResult"),
]
EnableConnectionResult = Annotated[
    Connection | results.NotTested | results.CertificateExpired | results.ReauthenticationRequired,
    strawberry.union("EnableConnectionResult"),
]
DisableConnectionResult = Annotated[
    Connection | results.ReauthenticationRequired, strawberry.union("DisableConnectionResult")
]
DeleteConnectionResult = Annotated[
    ConnectionDeleted | results.ReauthenticationRequired, strawberry.union("DeleteConnectionResult")
]


@strawberry.type
class ConnectionQuery:
    @strawberry.field(extensions=needs_on_connection("sk_org_sso_read"))
    @answers_refusals()
    async def connection(self, info: Info[Any, Any], connection_id: strawberry.ID) -> Connection:
        row = await connection_rules.authorized_connection(
            context.principal(info), str(connection_id), "sk_org_sso_read"
        )
        return Connection.from_row(row, context.deployment(info))


def _mapping(given: AttributeMappingInput | None) -> dict[str, str] | None:
    if given is None:
        return None
    fields = {
        "email": given.email,
        "first_name": given.first_name,
        "last_name": given.last_name,
        "groups": given.groups,
    }
    return {key: value for key, value in fields.items() if value is not None}


@strawberry.type
class ConnectionMutation:
    @strawberry.mutation(
        extensions=needs("sk_org_sso_manage", feature=connection_rows.FEATURE, first_hand=True),
        description="A DRAFT connection to the organization's identity provider (needs a recent sign-in).",
    )
    @answers_refusals()
    async def create_connection(
        self,
        info: Info[Any, Any],
        input: CreateConnectionInput,
        organization_id: strawberry.ID | None = None,
    ) -> CreateConnectionResult:
        principal = context.principal(info)
        row = await connection_rules.create_connection(
            principal,
            context.target_organization(principal, organization_id),
            secret_key=context.deployment(info).secret_key,
            provider=input.provider.value,
            protocol=input.protocol.value if input.protocol else None,
            name=input.name,
            default_role=input.default_role,
        )
        context.wake_jobs(info)
        return Connection.from_row(row, context.deployment(info))

    @strawberry.mutation(extensions=needs_on_connection("sk_org_sso_manage", first_hand=True))
    @answers_refusals()
    async def update_connection(
        self, info: Info[Any, Any], connection_id: strawberry.ID, input: UpdateConnectionInput
    ) -> UpdateConnectionResult:
        deployment = context.deployment(info)
        row = await connection_rules.update_connection(
            context.principal(info),
            str(connection_id),
            name=input.name,
            default_role=input.default_role,
            attribute_mapping=_mapping(input.attribute_mapping),
            group_roles=[(pair.group, pair.role) for pair in input.group_roles]
            if input.group_roles is not None
            else None,
            idp_initiated_client_id=input.idp_initiated_application_id,
            saml=SamlSettings(**vars(input.saml)) if input.saml else None,
            oidc=OidcSettings(**vars(input.oidc)) if input.oidc else None,
            secret_key=deployment.secret_key,
            private_networks=deployment.allows_private_networks,
        )
        context.wake_jobs(info)
        return Connection.from_row(row, deployment)

    @strawberry.mutation(
        extensions=needs_on_connection("sk_org_sso_manage", first_hand=True),
        description="Let people sign in through it: only after a successful test of its current settings.",
    )
    @answers_refusals()
    async def enable_connection(
        self, info: Info[Any, Any], connection_id: strawberry.ID
    ) -> EnableConnectionResult:
        row = await connection_rules.enable_connection(context.principal(info), str(connection_id))
        context.wake_jobs(info)
        return Connection.from_row(row, context.deployment(info))

    @strawberry.mutation(extensions=needs_on_connection("sk_org_sso_manage", first_hand=True))
    @answers_refusals()
    async def disable_connection(
        self, info: Info[Any, Any], connection_id: strawberry.ID
    ) -> DisableConnectionResult:
        row = await connection_rules.disable_connection(context.principal(info), str(connection_id))
        context.wake_jobs(info)
        return Connection.from_row(row, context.deployment(info))

    @strawberry.mutation(
        extensions=needs_on_connection("sk_org_sso_manage", first_hand=True),
        description="A new signing certificate of ours (the IdP needs it; the connection a new test).",
    )
    @answers_refusals()
    async def rotate_connection_certificate(
        self, info: Info[Any, Any], connection_id: strawberry.ID
    ) -> RotateConnectionCertificateResult:
        deployment = context.deployment(info)
        row = await connection_rules.rotate_sp_certificate(
            context.principal(info), str(connection_id), secret_key=deployment.secret_key
        )
        context.wake_jobs(info)
        return Connection.from_row(row, deployment)

    @strawberry.mutation(
        extensions=needs_on_connection("sk_org_sso_manage", first_hand=True),
        description="Delete it; people who signed in through it keep their accounts and memberships.",
    )
    @answers_refusals()
    async def delete_connection(
        self, info: Info[Any, Any], connection_id: strawberry.ID
    ) -> DeleteConnectionResult:
        row = await connection_rules.delete_connection(context.principal(info), str(connection_id))
        context.wake_jobs(info)
        return ConnectionDeleted(connection=Connection.from_row(row, context.deployment(info)))
