"""An organization's SSO connections: created as drafts, configured, tested, enabled, disabled.

A connection can be enabled only when its last successful test used its current settings: every
change to what a test proves (the IdP settings, the attribute mapping) moves `settings_version`.
Changing an ACTIVE connection keeps it active (people keep signing in while an admin rotates a
certificate), and the widget shows that the change has not been tested.
"""

from collections.abc import Callable
from typing import Any

from db.federation import SSOConnection
from db.ids import new_id
from db.orgs import Organization, Role
from db.transaction import for_update, transaction
from resolvers import audit, events
from resolvers.applications import find_client
from resolvers.authorization import require
from resolvers.clock import now
from resolvers.connection_rows import (
    FEATURE,
    ConnectionRow,
    connection_row,
    event_data,
    load_connection,
)
from resolvers.crypto import encrypt
from resolvers.errors import DomainError, FeatureNotEnabled, InvalidInput, NotFound
from resolvers.identity_providers import PROVIDERS, provider_protocols
from resolvers.idp_documents import checked_oidc_settings, saml_settings_by_url
from resolvers.idp_settings import OidcSettings, SamlSettings, oidc_columns, require_current_certificate
from resolvers.names import clean_name
from resolvers.organizations import organization_features
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal, UserPrincipal
from resolvers.reauthentication import require_recent_sign_in_of_a_person
from resolvers.role_authority import require_authority
from resolvers.sp_certificates import new_sp_certificate

MAX_CONNECTIONS_PER_ORGANIZATION = 10
CONNECTION_NAME_MAX = 120
MAPPED_ATTRIBUTES = ("email", "first_name", "last_name", "groups")
MAX_GROUP_ROLES = 20
GROUP_NAME_MAX = 256
ATTRIBUTE_NAME_MAX = 256


class NotTested(DomainError):
    """Enabling needs a successful test with the connection's current settings."""

    code = "not_tested"


async def require_feature(organization_id: str) -> None:
    if FEATURE not in await organization_features(organization_id):
        raise FeatureNotEnabled("Single sign-on is not enabled for this organization.")


async def managed_connection(principal: Principal, connection_id: str) -> ConnectionRow:
    """A connection the principal may change, having signed in recently."""
    found = await authorized_connection(principal, connection_id, "sk_org_sso_manage")
    await require_recent_sign_in_of_a_person(principal)
    return found


async def authorized_connection(principal: Principal, connection_id: str, permission: str) -> ConnectionRow:
    """A connection the principal may act on; another organization's reads exactly like a missing one."""
    found = await load_connection(connection_id)
    if found is None:
        raise NotFound("No such connection.")
    if isinstance(principal, UserPrincipal) and principal.organization_id != found.organization_id:
        raise NotFound("No such connection.")
    require(principal, permission, found.organization_id)
    await require_feature(found.organization_id)
    return found


async def list_connections(
    principal: Principal, organization_id: str, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[ConnectionRow]:
    """In the order they were made (ids grow with time)."""
    require(principal, "sk_org_sso_read", organization_id)
    await require_feature(organization_id)
    query = SSOConnection.select().where(SSOConnection.organization == organization_id).output(load_json=True)
    page = await keyset_page(query, SSOConnection.id, first=first, after=after)
    return page.map(connection_row)


def _provider_and_protocol(provider: str, protocol: str | None) -> tuple[str, str]:
    if provider not in PROVIDERS:
        raise InvalidInput(f"No identity provider {provider!r}.", field="provider")
    offered = provider_protocols(provider)
    chosen = protocol or offered[0]
    if chosen not in offered:
        raise InvalidInput(
            f"{PROVIDERS[provider].name} connections use {' or '.join(p.upper() for p in offered)}.",
            field="protocol",
        )
    return provider, chosen


async def _grantable_role(principal: Principal, role_key: str, field: str = "defaultRole") -> str:
    """The role people get on their first sign-in: one the person setting it up could give."""
    role = await Role.select(Role.id).where(Role.key == role_key).first()
    if role is None:
        raise InvalidInput(f"No role {role_key!r}.", field=field)
    await require_authority(principal, new_role_id=str(role["id"]))
    return role_key


async def _group_roles(principal: Principal, pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Roles by IdP group, checked like the default role; a group named twice is refused."""
    if len(pairs) > MAX_GROUP_ROLES:
        raise InvalidInput(f"Map at most {MAX_GROUP_ROLES} groups to roles.", field="groupRoles")
    checked: list[dict[str, str]] = []
    for group, role_key in pairs:
        name = clean_name(group, field="groupRoles", what="A group name", max_length=GROUP_NAME_MAX)
        if any(pair["group"] == name for pair in checked):
            raise InvalidInput(f"The group {name!r} is mapped twice.", field="groupRoles")
        checked.append({"group": name, "role": await _grantable_role(principal, role_key, "groupRoles")})
    return checked


async def _idp_initiated_target(found: ConnectionRow, client_id: str) -> str | None:
    """An application that can start a fresh sign-in when told to (its initiate_login_uri)."""
    if not client_id:
        return None
    if found.protocol != "saml":
        raise InvalidInput("Only SAML identity providers start sign-ins.", field="idpInitiatedApplicationId")
    client = await find_client(client_id)
    if client is None or not client.initiate_login_uri or "authorization_code" not in client.grant_types:
        raise InvalidInput(
            "Name an application that signs people in and has an initiate-login URI: "
            "an IdP-initiated sign-in ends in a fresh sign-in of that application.",
            field="idpInitiatedApplicationId",
        )
    return client.id


def _connection_name(value: str) -> str:
    return clean_name(value, field="name", what="A connection name", max_length=CONNECTION_NAME_MAX)


def _attribute_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """Which assertion attribute (or OIDC claim) fills each of ours; email is required."""
    unknown = sorted(set(mapping) - set(MAPPED_ATTRIBUTES))
    if unknown:
        raise InvalidInput(f"Unknown attribute {unknown[0]!r}.", field="attributeMapping")
    cleaned = {}
    for key, value in mapping.items():
        cleaned[key] = clean_name(
            value, field="attributeMapping", what="An attribute name", max_length=ATTRIBUTE_NAME_MAX
        )
    return cleaned


async def create_connection(
    principal: Principal,
    organization_id: str,
    *,
    secret_key: str,
    provider: str,
    protocol: str | None = None,
    name: str | None = None,
    default_role: str = "member",
) -> ConnectionRow:
    """A DRAFT connection: nobody signs in through it until it is configured, tested and enabled."""
    require(principal, "sk_org_sso_manage", organization_id)
    await require_feature(organization_id)
    await require_recent_sign_in_of_a_person(principal)
    provider, protocol = _provider_and_protocol(provider, protocol)
    cleaned_name = _connection_name(name if name is not None else PROVIDERS[provider].name)
    role = await _grantable_role(principal, default_role)
    moment = now()
    connection_id = new_id("conn")
    certificate = _sp_certificate_columns(secret_key, connection_id) if protocol == "saml" else {}
    async with transaction():
        # adds to one organization queue behind its row, so the cap cannot be raced
        if not await for_update(
            Organization.select(Organization.id).where(Organization.id == organization_id)
        ):
            raise NotFound("No such organization.")
        if await SSOConnection.count().where(SSOConnection.organization == organization_id) >= (
            MAX_CONNECTIONS_PER_ORGANIZATION
        ):
            raise InvalidInput(
                f"An organization can have up to {MAX_CONNECTIONS_PER_ORGANIZATION} connections; "
                "delete one first.",
                field="provider",
            )
        await SSOConnection.insert(
            SSOConnection(
                id=connection_id,
                organization=organization_id,
                name=cleaned_name,
                protocol=protocol,
                provider=provider,
                status="draft",
                idp_settings={},
                attribute_mapping={},
                default_role=role,
                created_at=moment,
                updated_at=moment,
                **certificate,
            )
        )
        created = await load_connection(connection_id)
        assert created is not None  # noqa: S101 - inserted just above, in this transaction
        await _announce(principal, "connection.created", created)
    return created


def _sp_certificate_columns(secret_key: str, connection_id: str) -> dict[str, Any]:
    """A fresh signing certificate of ours for one connection (its key stored encrypted)."""
    made = new_sp_certificate(f"Tenantry SSO {connection_id}")
    return {
        "sp_certificate": made.certificate_pem,
        "sp_private_key_encrypted": encrypt(secret_key, made.private_key_pem),
    }


async def _announce(principal: Principal, event_type: str, row: ConnectionRow, **data: Any) -> None:
    """The webhook event and the audit row of a change, in the change's transaction."""
    await events.emit(event_type, event_data(row), organization_id=row.organization_id)
    await audit.record(
        principal,
        event_type,
        target=("connection", row.id),
        organization_id=row.organization_id,
        data={"name": row.name, "provider": row.provider, **data},
    )


async def update_connection(
    principal: Principal,
    connection_id: str,
    *,
    name: str | None = None,
    default_role: str | None = None,
    attribute_mapping: dict[str, str] | None = None,
    group_roles: list[tuple[str, str]] | None = None,
    idp_initiated_client_id: str | None = None,
    saml: SamlSettings | None = None,
    oidc: OidcSettings | None = None,
    secret_key: str,
    private_networks: bool,
) -> ConnectionRow:
    """Rename, change the role given at first sign-in, re-map attributes or set the identity
    provider's settings; anything a test proves (mapping, IdP settings) needs a new test.

    `private_networks` is the deployment's allows_private_networks: whether a metadata URL or an
    OIDC issuer may lead to a private address. Both are fetched here, before the row is locked.
    """
    found = await managed_connection(principal, connection_id)
    changes: dict[Any, Any] = {}
    if name is not None:
        changes[SSOConnection.name] = _connection_name(name)
    if default_role is not None:
        changes[SSOConnection.default_role] = await _grantable_role(principal, default_role)
    if group_roles is not None:
        changes[SSOConnection.group_roles] = await _group_roles(principal, group_roles)
    if idp_initiated_client_id is not None:  # "" turns IdP-initiated sign-in off again
        changes[SSOConnection.idp_initiated_client_id] = await _idp_initiated_target(
            found, idp_initiated_client_id
        )
    mapping = _attribute_mapping(attribute_mapping) if attribute_mapping is not None else None
    if saml is not None:
        changes[SSOConnection.idp_settings] = await saml_settings_by_url(
            found.protocol, saml, private_networks=private_networks
        )
        require_current_certificate(changes[SSOConnection.idp_settings])
    if oidc is not None:
        oidc = await checked_oidc_settings(found.protocol, oidc, private_networks=private_networks)

    def merged_with(locked: ConnectionRow) -> dict[Any, Any]:
        """What keeps the stored values it does not name: read under the lock, so no update is lost."""
        columns: dict[Any, Any] = {}
        if mapping is not None:
            # the attributes not named keep what they map to now
            columns[SSOConnection.attribute_mapping] = {**locked.attribute_mapping, **mapping}
        if oidc is not None:
            columns.update(oidc_columns(locked.protocol, locked.idp_settings, oidc, secret_key))
        return columns

    retest = any(given is not None for given in (mapping, saml, oidc))
    return await _apply(principal, found, changes, retest=retest, merged_with=merged_with)


async def rotate_sp_certificate(
    principal: Principal, connection_id: str, *, secret_key: str
) -> ConnectionRow:
    """A new signing certificate of ours: the IdP needs the new one (a new test too)."""
    found = await managed_connection(principal, connection_id)
    if found.protocol != "saml":
        raise InvalidInput("Only SAML connections have a signing certificate of ours.", field="connectionId")
    changes: dict[Any, Any] = {
        getattr(SSOConnection, column): value
        for column, value in _sp_certificate_columns(secret_key, found.id).items()
    }
    return await _apply(principal, found, changes, retest=True)


async def _apply(
    principal: Principal,
    found: ConnectionRow,
    changes: dict[Any, Any],
    *,
    retest: bool,
    merged_with: Callable[[ConnectionRow], dict[Any, Any]] | None = None,
) -> ConnectionRow:
    """Write `changes`, and what `merged_with` makes of the row as locked; with `retest`, the last
    test no longer covers the settings."""
    async with transaction():
        locked = await load_connection(found.id, lock=True)
        if locked is None:
            raise NotFound("No such connection.")
        if merged_with is not None:
            changes = {**changes, **merged_with(locked)}
        if not changes:
            return locked
        changes[SSOConnection.updated_at] = now()
        if retest:
            changes[SSOConnection.settings_version] = locked.settings_version + 1
            if locked.status == "tested":
                changes[SSOConnection.status] = "draft"
        await SSOConnection.update(changes).where(SSOConnection.id == found.id)
        updated = await load_connection(found.id)
        assert updated is not None  # noqa: S101 - locked above, in this transaction
        await _announce(
            principal,
            "connection.updated",
            updated,
            fields=sorted(str(column._meta.name) for column in changes),
        )
    return updated


async def enable_connection(principal: Principal, connection_id: str) -> ConnectionRow:
    """People at the organization's verified domains may sign in through it from now on."""
    await managed_connection(principal, connection_id)
    async with transaction():
        locked = await load_connection(connection_id, lock=True)
        if locked is None:
            raise NotFound("No such connection.")
        if locked.status == "active":
            return locked
        if locked.protocol == "saml":
            require_current_certificate(locked.idp_settings)
        if not locked.tested_with_current_settings:
            raise NotTested(
                "Test the connection first: it can be enabled only after a successful test "
                "with its current settings."
            )
        return await _set_status(principal, locked, "active", "connection.enabled")


async def disable_connection(principal: Principal, connection_id: str) -> ConnectionRow:
    """Nobody signs in through it any more; it keeps its settings and can be enabled again."""
    await managed_connection(principal, connection_id)
    async with transaction():
        locked = await load_connection(connection_id, lock=True)
        if locked is None:
            raise NotFound("No such connection.")
        if locked.status == "disabled":
            return locked
        return await _set_status(principal, locked, "disabled", "connection.disabled")


async def _set_status(principal: Principal, locked: ConnectionRow, status: str, event: str) -> ConnectionRow:
    await SSOConnection.update({SSOConnection.status: status, SSOConnection.updated_at: now()}).where(
        SSOConnection.id == locked.id
    )
    updated = await load_connection(locked.id)
    assert updated is not None  # noqa: S101 - locked by the caller's transaction
    await _announce(principal, event, updated, previous_status=locked.status)
    return updated


async def delete_connection(principal: Principal, connection_id: str) -> ConnectionRow:
    """Gone for good: people who signed in through it keep their accounts and memberships."""
    found = await managed_connection(principal, connection_id)
    async with transaction():
        deleted = (
            await SSOConnection.delete().where(SSOConnection.id == connection_id).returning(SSOConnection.id)
        )
        if not deleted:
            raise NotFound("No such connection.")
        await _announce(principal, "connection.deleted", found, status=found.status)
    return found
