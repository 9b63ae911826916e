"""Webhook endpoints, managed by integrators: where events go, which types, and the signing secret."""

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from db.ids import new_id
from db.transaction import transaction
from db.webhooks import WebhookEndpoint
from resolvers import audit
from resolvers.authorization import require_integrator
from resolvers.clock import now
from resolvers.crypto import encrypt
from resolvers.errors import InvalidInput, NotFound
from resolvers.events import EVENT_TYPES
from resolvers.names import DESCRIPTION_MAX, clean_name
from resolvers.outbound_destinations import private_destination_problem
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page
from resolvers.principal import Principal
from resolvers.webhook_signing import new_secret

MAX_ENDPOINTS = 50
PREVIOUS_SECRET_GRACE = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class EndpointRow:
    id: str
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    created_at: dt.datetime


def _valid_url(url: str, *, private_networks: bool) -> str:
    """HTTPS, or plain HTTP to this machine (local development and tests); no credentials in it.

    Where private networks are refused (production), no http at all and no private IP literal.
    """
    cleaned = url.strip()
    parsed = urlparse(cleaned)
    if parsed.scheme not in {"https", "http"} or not parsed.hostname or parsed.username or parsed.password:
        raise InvalidInput("Use an absolute https:// URL without credentials.", field="url")
    problem = None if private_networks else private_destination_problem(cleaned)
    if problem is not None:
        raise InvalidInput(f"The webhook URL {problem}.", field="url")
    if parsed.scheme == "http" and not _is_loopback(parsed.hostname):
        raise InvalidInput("Webhooks are sent over HTTPS; plain http is only for localhost.", field="url")
    if len(cleaned) > 2000:
        raise InvalidInput("The URL is too long (2,000 characters at most).", field="url")
    return cleaned


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _valid_event_types(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        raise InvalidInput(f"Unknown event types: {', '.join(unknown)}.", field="eventTypes")
    return sorted(set(event_types))


def webhook_description(description: str) -> str:
    return clean_name(
        description, field="description", what="A description", max_length=DESCRIPTION_MAX, required=False
    )


def _endpoint_row(row: dict[str, Any]) -> EndpointRow:
    return EndpointRow(
        id=row["id"],
        url=row["url"],
        description=row["description"],
        event_types=list(row["event_types"] or []),
        enabled=bool(row["enabled"]),
        created_at=row["created_at"],
    )


_ENDPOINT_COLUMNS = (
    WebhookEndpoint.id,
    WebhookEndpoint.url,
    WebhookEndpoint.description,
    WebhookEndpoint.event_types,
    WebhookEndpoint.enabled,
    WebhookEndpoint.created_at,
)


async def create_endpoint(
    principal: Principal,
    secret_key: str,
    *,
    url: str,
    event_types: list[str],
    description: str = "",
    private_networks: bool,
) -> tuple[EndpointRow, str]:
    """A new endpoint and its signing secret, which is shown this once.

    `private_networks` is the deployment's allows_private_networks: whether the URL may be private.
    """
    require_integrator(principal)
    cleaned_url = _valid_url(url, private_networks=private_networks)
    types = _valid_event_types(event_types)
    cleaned_description = webhook_description(description)
    if await WebhookEndpoint.count() >= MAX_ENDPOINTS:
        raise InvalidInput(f"At most {MAX_ENDPOINTS} webhook endpoints. Delete one first.")
    secret = new_secret()
    moment = now()
    endpoint_id = new_id("whe")
    async with transaction():
        await WebhookEndpoint.insert(
            WebhookEndpoint(
                id=endpoint_id,
                url=cleaned_url,
                description=cleaned_description,
                event_types=types,
                secret=encrypt(secret_key, secret.encode()),
                enabled=True,
                created_at=moment,
                updated_at=moment,
            )
        )
        await audit.record(principal, "webhook_endpoint.created", target=("webhook_endpoint", endpoint_id))
    return await get_endpoint(principal, endpoint_id), secret


async def get_endpoint(principal: Principal, endpoint_id: str) -> EndpointRow:
    require_integrator(principal)
    row = (
        await WebhookEndpoint.select(*_ENDPOINT_COLUMNS)
        .where(WebhookEndpoint.id == endpoint_id)
        .first()
        .output(load_json=True)
    )
    if row is None:
        raise NotFound("No such webhook endpoint.")
    return _endpoint_row(row)


async def list_endpoints(
    principal: Principal, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[EndpointRow]:
    """Oldest first (ids sort by creation)."""
    require_integrator(principal)
    query = WebhookEndpoint.select(*_ENDPOINT_COLUMNS).output(load_json=True)
    page = await keyset_page(query, WebhookEndpoint.id, first=first, after=after)
    return page.map(_endpoint_row)


async def update_endpoint(
    principal: Principal,
    endpoint_id: str,
    *,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    enabled: bool | None = None,
    private_networks: bool,
) -> EndpointRow:
    """Change what is given; disabling stops new deliveries (queued ones fail as disabled).

    `private_networks` is the deployment's allows_private_networks, for a changed URL.
    """
    await get_endpoint(principal, endpoint_id)
    changes: dict[Any, Any] = {WebhookEndpoint.updated_at: now()}
    if url is not None:
        changes[WebhookEndpoint.url] = _valid_url(url, private_networks=private_networks)
    if event_types is not None:
        changes[WebhookEndpoint.event_types] = _valid_event_types(event_types)
    if description is not None:
        changes[WebhookEndpoint.description] = webhook_description(description)
    if enabled is not None:
        changes[WebhookEndpoint.enabled] = enabled
    async with transaction():
        await WebhookEndpoint.update(changes).where(WebhookEndpoint.id == endpoint_id)
        await audit.record(
            principal,
            "webhook_endpoint.updated",
            target=("webhook_endpoint", endpoint_id),
            data={"enabled": enabled} if enabled is not None else {},
        )
    return await get_endpoint(principal, endpoint_id)


async def delete_endpoint(principal: Principal, endpoint_id: str) -> None:
    await get_endpoint(principal, endpoint_id)
    async with transaction():
        await WebhookEndpoint.delete().where(WebhookEndpoint.id == endpoint_id)
        await audit.record(principal, "webhook_endpoint.deleted", target=("webhook_endpoint", endpoint_id))


@dataclass(frozen=True, slots=True)
class RotatedSecret:
    secret: str
    previous_valid_until: dt.datetime | None


async def rotate_secret(
    principal: Principal, secret_key: str, endpoint_id: str, *, immediately: bool = False
) -> RotatedSecret:
    """A new signing secret, shown this once. As Standard Webhooks suggests for rotation without
    downtime, the old one keeps signing too (a second `v1,` signature) for PREVIOUS_SECRET_GRACE;
    `immediately` drops it at once, for a secret that leaked."""
    await get_endpoint(principal, endpoint_id)
    secret = new_secret()
    moment = now()
    until = None if immediately else moment + PREVIOUS_SECRET_GRACE
    async with transaction():
        current_secret = (
            await WebhookEndpoint.select(WebhookEndpoint.secret)
            .where(WebhookEndpoint.id == endpoint_id)
            .first()
        )
        await WebhookEndpoint.update(
            {
                WebhookEndpoint.secret: encrypt(secret_key, secret.encode()),
                WebhookEndpoint.previous_secret: ""
                if immediately or current_secret is None
                else current_secret["secret"],
                WebhookEndpoint.previous_secret_expires_at: until,
                WebhookEndpoint.updated_at: moment,
            }
        ).where(WebhookEndpoint.id == endpoint_id)
        await audit.record(
            principal,
            "webhook_endpoint.secret_rotated",
            target=("webhook_endpoint", endpoint_id),
            data={"previous_valid_until": until.isoformat() if until else None},
        )
    return RotatedSecret(secret=secret, previous_valid_until=until)
