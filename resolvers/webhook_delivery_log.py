"""The delivery log integrators read: each delivery of an event to an endpoint, its attempts, and replay."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from db.sql_datetimes import aware_datetime_or_none
from db.transaction import transaction
from db.webhooks import WebhookAttempt, WebhookDelivery
from resolvers import audit
from resolvers.authorization import require_integrator
from resolvers.clock import now
from resolvers.errors import NotFound
from resolvers.events import queue_delivery
from resolvers.pages import DEFAULT_PAGE_SIZE, Page, page_size
from resolvers.principal import Principal
from resolvers.webhook_endpoints import get_endpoint


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
        last_attempt_at=aware_datetime_or_none(row["last_attempt_at"]),
        next_attempt_at=aware_datetime_or_none(row["run_at"]) if waiting else None,
        delivered_at=aware_datetime_or_none(row["delivered_at"]),
        created_at=aware_datetime_or_none(row["created_at"]) or now(),
    )


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
