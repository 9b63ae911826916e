"""One delivery attempt's domain side: what to send (signed), and what the answer means for the log.

The `deliver_webhook` job (workers/webhook_delivery.py) does the POST in between.
"""

import json
from dataclasses import dataclass
from typing import Any

from db.ids import new_id
from db.transaction import transaction
from db.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from resolvers.clock import now
from resolvers.events import load_event
from resolvers.webhook_ordering import wait_for_earlier_deliveries, wake_next_in_order
from resolvers.webhook_signing import signature_header, signing_secrets


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Everything one attempt needs: where, the signed headers, the exact body."""

    url: str
    headers: dict[str, str]
    body: bytes
    attempt: int


class EndpointDisabled(Exception):
    """Retried like a failure: enabling the endpoint again lets the delivery through."""


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
    await wait_for_earlier_deliveries(delivery)
    event = await load_event(delivery["event_id"])
    if event is None:
        await finish_delivery(delivery_id, "failed", error="The event no longer exists.")
        return None
    body = _canonical_json(event)
    timestamp = int(now().timestamp())
    signature = signature_header(signing_secrets(secret_key, endpoint), delivery["event_id"], timestamp, body)
    headers = {
        "content-type": "application/json",
        "user-agent": "Tenantry-Webhooks/1.0",
        "webhook-id": delivery["event_id"],
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }
    return Outgoing(url=endpoint["url"], headers=headers, body=body, attempt=delivery["attempts"] + 1)


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
            await wake_next_in_order(delivery_id)


async def finish_delivery(delivery_id: str, status: str, *, error: str = "") -> None:
    """Settle a delivery without an attempt: dead-lettered after its last try, or nothing to send."""
    changes: dict[Any, Any] = {WebhookDelivery.status: status}
    if error:
        changes[WebhookDelivery.last_error] = error[:2000]
    async with transaction():
        await WebhookDelivery.update(changes).where(
            (WebhookDelivery.id == delivery_id) & (WebhookDelivery.status == "pending")
        )
        await wake_next_in_order(delivery_id)
