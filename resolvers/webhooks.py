"""Webhook endpoints (integrators manage them), Standard Webhooks signatures, and the delivery log."""

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from db.events import Job
from db.ids import new_id
from db.transaction import transaction
from db.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from resolvers import audit
from resolvers.authorization import require_integrator
from resolvers.clock import now
from resolvers.crypto import decrypt, encrypt
from resolvers.errors import InvalidInput, NotFound
from resolvers.events import EVENT_TYPES, load_event, queue_delivery
from resolvers.jobs import Deferred
from resolvers.names import DESCRIPTION_MAX, clean_name
from resolvers.outbound_destinations import private_destination_problem
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, keyset_page, page_size
from resolvers.principal import Principal

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
MAX_ENDPOINTS = 50
ORDER_WAIT = dt.timedelta(seconds=1)
ORDER_WAIT_REASON = "Waiting for an earlier event about the same object."
PREVIOUS_SECRET_GRACE = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class EndpointRow:
    id: str
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AttemptRow:
    attempt: int
    attempted_at: dt.datetime
    response_status: int | None
    error: str
    duration_ms: int


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    response_status: int | None
    last_error: str
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime


def new_secret() -> str:
    """24 random bytes, base64, behind the `whsec_` prefix the Standard Webhooks libraries expect."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


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


def _signing_secrets(secret_key: str, endpoint: dict[str, Any]) -> list[str]:
    """The current secret, and the previous one while its grace period lasts."""
    secrets_now = [decrypt(secret_key, endpoint["secret"]).decode()]
    until = endpoint["previous_secret_expires_at"]
    if endpoint["previous_secret"] and until is not None and until > now():
        secrets_now.append(decrypt(secret_key, endpoint["previous_secret"]).decode())
    return secrets_now


_DELIVERY_SQL = """
SELECT d.id, d.endpoint AS endpoint_id, d.event_id, d.event_type, d.status, d.attempts,
       d.response_status, d.last_error, d.last_attempt_at, d.delivered_at, d.created_at,
       j.run_at, j.status AS job_status
FROM webhook_delivery d LEFT JOIN job j ON j.id = d.job_id
WHERE d.endpoint = {} AND ({} = '' OR d.id < {})
ORDER BY d.id DESC
LIMIT {}
"""


def _delivery_row(row: dict[str, Any]) -> DeliveryRow:
    waiting = row["status"] == "pending" and row["job_status"] in {"pending", "queued"}
    return DeliveryRow(
        id=row["id"],
        endpoint_id=row["endpoint_id"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        status=row["status"],
        attempts=row["attempts"],
        response_status=row["response_status"],
        last_error=row["last_error"],
        last_attempt_at=_aware(row["last_attempt_at"]),
        next_attempt_at=_aware(row["run_at"]) if waiting else None,
        delivered_at=_aware(row["delivered_at"]),
        created_at=_aware(row["created_at"]) or now(),
    )


def _aware(value: Any) -> dt.datetime | None:
    """Raw SQL gives strings on SQLite and naive or aware datetimes elsewhere: one shape out."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def list_deliveries(
    principal: Principal, endpoint_id: str, *, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
) -> Page[DeliveryRow]:
    """Newest first, keyset-paged by delivery id (ids sort by creation)."""
    size = page_size(first)
    await get_endpoint(principal, endpoint_id)
    cursor = after or ""
    rows = await WebhookDelivery.raw(_DELIVERY_SQL, endpoint_id, cursor, cursor, size + 1)
    shown = [_delivery_row(row) for row in rows[:size]]
    return Page(shown, shown[-1].id if shown else None, len(rows) > size)


async def delivery_attempts(delivery_ids: list[str]) -> dict[str, list[AttemptRow]]:
    """Attempts of many deliveries in one query (a dataloader's batch)."""
    rows = (
        await WebhookAttempt.select()
        .where(WebhookAttempt.delivery.is_in(delivery_ids))
        .order_by(WebhookAttempt.attempt)
        if delivery_ids
        else []
    )
    found: dict[str, list[AttemptRow]] = {delivery_id: [] for delivery_id in delivery_ids}
    for row in rows:
        found[row["delivery"]].append(
            AttemptRow(
                attempt=row["attempt"],
                attempted_at=row["attempted_at"],
                response_status=row["response_status"],
                error=row["error"],
                duration_ms=row["duration_ms"],
            )
        )
    return found


async def replay_delivery(principal: Principal, delivery_id: str) -> str:
    """Send the same event (same webhook-id) to the same endpoint again, as a new delivery."""
    require_integrator(principal)
    row = (
        await WebhookDelivery.select(
            WebhookDelivery.endpoint,
            WebhookDelivery.event_id,
            WebhookDelivery.event_type,
            WebhookDelivery.ordering_key,
        )
        .where(WebhookDelivery.id == delivery_id)
        .first()
    )
    if row is None:
        raise NotFound("No such webhook delivery.")
    async with transaction():
        replay_id = await queue_delivery(
            row["endpoint"], row["event_id"], row["event_type"], row["ordering_key"]
        )
        await audit.record(
            principal,
            "webhook_delivery.replayed",
            target=("webhook_delivery", delivery_id),
            data={"replay": replay_id},
        )
    return replay_id


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Everything one attempt needs: where, the signed headers, the exact body."""

    url: str
    headers: dict[str, str]
    body: bytes
    attempt: int


async def prepare_attempt(secret_key: str, delivery_id: str) -> Outgoing | None:
    """The next attempt of a delivery, or None when there is nothing to send (done, or endpoint gone)."""
    delivery = await WebhookDelivery.select().where(WebhookDelivery.id == delivery_id).first()
    if delivery is None or delivery["status"] != "pending":
        return None
    endpoint = await WebhookEndpoint.select().where(WebhookEndpoint.id == delivery["endpoint"]).first()
    if endpoint is None:
        await finish_delivery(delivery_id, "failed", error="The endpoint was deleted.")
        return None
    if not endpoint["enabled"]:
        raise EndpointDisabled("The endpoint is disabled; the delivery waits for it to be enabled.")
    if delivery["ordering_key"]:
        earlier = await _earlier_delivery_due(delivery)
        if earlier is not None:
            raise Deferred(max(earlier, now()) + ORDER_WAIT, ORDER_WAIT_REASON)
    event = await load_event(delivery["event_id"])
    if event is None:
        await finish_delivery(delivery_id, "failed", error="The event no longer exists.")
        return None
    body = _canonical_json(event)
    timestamp = int(now().timestamp())
    signatures = [
        sign(secret, delivery["event_id"], timestamp, body)
        for secret in _signing_secrets(secret_key, endpoint)
    ]
    headers = {
        "content-type": "application/json",
        "user-agent": "Tenantry-Webhooks/1.0",
        "webhook-id": delivery["event_id"],
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }
    return Outgoing(url=endpoint["url"], headers=headers, body=body, attempt=delivery["attempts"] + 1)


_EARLIER_SQL = """
SELECT MIN(j.run_at) AS due FROM webhook_delivery d JOIN job j ON j.id = d.job_id
WHERE d.endpoint = {} AND d.ordering_key = {} AND d.status = 'pending' AND d.id < {}
  AND j.status IN ('pending', 'queued', 'running')
"""


async def _earlier_delivery_due(delivery: dict[str, Any]) -> dt.datetime | None:
    """When the earliest still-pending delivery of the same object to this endpoint runs next, if any.

    Events of one object go out in order: a later one waits until the earlier ones succeed or
    fail for good (after their last attempt), so a receiver never sees "updated" before "created".
    Only deliveries whose job can still run count: one left pending by a dead job never would.
    """
    rows = await WebhookDelivery.raw(
        _EARLIER_SQL, delivery["endpoint"], delivery["ordering_key"], delivery["id"]
    )
    return _aware(rows[0]["due"]) if rows else None


class EndpointDisabled(Exception):
    """Retried like a failure: enabling the endpoint again lets the delivery through."""


def _canonical_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


async def record_attempt(
    delivery_id: str, attempt: int, *, response_status: int | None, error: str, duration_ms: int
) -> None:
    """Log the attempt; a 2xx answer completes the delivery."""
    moment = now()
    succeeded = response_status is not None and 200 <= response_status < 300
    changes: dict[Any, Any] = {
        WebhookDelivery.attempts: attempt,
        WebhookDelivery.response_status: response_status,
        WebhookDelivery.last_error: error[:2000],
        WebhookDelivery.last_attempt_at: moment,
    }
    if succeeded:
        changes.update({WebhookDelivery.status: "succeeded", WebhookDelivery.delivered_at: moment})
    async with transaction():
        await WebhookAttempt.insert(
            WebhookAttempt(
                id=new_id("wha"),
                delivery=delivery_id,
                attempt=attempt,
                attempted_at=moment,
                response_status=response_status,
                error=error[:2000],
                duration_ms=duration_ms,
            )
        )
        await WebhookDelivery.update(changes).where(WebhookDelivery.id == delivery_id)
        if succeeded:
            await _wake_next_in_order(delivery_id)


async def finish_delivery(delivery_id: str, status: str, *, error: str = "") -> None:
    """Settle a delivery without an attempt: dead-lettered after its last try, or nothing to send."""
    changes: dict[Any, Any] = {WebhookDelivery.status: status}
    if error:
        changes[WebhookDelivery.last_error] = error[:2000]
    async with transaction():
        await WebhookDelivery.update(changes).where(
            (WebhookDelivery.id == delivery_id) & (WebhookDelivery.status == "pending")
        )
        await _wake_next_in_order(delivery_id)


_NEXT_IN_ORDER_SQL = """
SELECT d.job_id FROM webhook_delivery d JOIN webhook_delivery settled ON settled.id = {}
WHERE d.endpoint = settled.endpoint AND d.ordering_key = settled.ordering_key
  AND COALESCE(settled.ordering_key, '') <> '' AND d.status = 'pending' AND d.id > settled.id
ORDER BY d.id LIMIT 1
"""


async def _wake_next_in_order(delivery_id: str) -> None:
    """The next event about the same object, if it was told to wait for this one, need wait no more
    (otherwise a backlog about one object would drain one deferral step at a time)."""
    rows = await WebhookDelivery.raw(_NEXT_IN_ORDER_SQL, delivery_id)
    if rows and rows[0]["job_id"]:
        await Job.update({Job.run_at: now()}).where(
            (Job.id == rows[0]["job_id"]) & (Job.status == "pending") & (Job.last_error == ORDER_WAIT_REASON)
        )
