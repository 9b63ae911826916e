"""Webhook events: written in the transaction of the change, with one delivery job per endpoint."""

import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from db.events import Event
from db.ids import new_id
from db.webhooks import WebhookDelivery, WebhookEndpoint
from resolvers import jobs
from resolvers.clock import now

EVENT_TYPES = (
    "user.created",
    "user.updated",
    "user.logout",
    "session.revoked",
    "organization.created",
    "organization.updated",
    "membership.created",
    "membership.updated",
    "membership.deleted",
    "invitation.created",
    "invitation.accepted",
    "invitation.declined",
    "invitation.revoked",
    "organization.domain_created",
    "organization.domain_verified",
    "organization.domain_verification_failed",
    "organization.domain_lapsed",
    "organization.domain_deleted",
    "connection.created",
    "connection.updated",
    "connection.enabled",
    "connection.disabled",
    "connection.deleted",
    "connection.certificate_expiring",
    "directory.user_created",
    "directory.user_updated",
    "directory.user_deactivated",
    "directory.group_created",
    "directory.group_updated",
    "directory.group_deleted",
)


def envelope(event_id: str, event_type: str, occurred_at: dt.datetime, organization_id: str | None,
             data: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """The stable JSON every subscriber receives."""
    return {
        "id": event_id,
        "type": event_type,
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "organization_id": organization_id,
        "data": data,
    }


def membership_payload(membership_id: str, user_id: str, organization_id: str, role: str) -> dict[str, str]:
    return {"id": membership_id, "user_id": user_id, "organization_id": organization_id, "role": role}


_ORDERED_OBJECTS = (
    "directory_user",
    "directory_group",
    "membership",
    "invitation",
    "domain",
    "organization",
    "user",
)


def ordering_key(event_type: str, data: dict[str, Any]) -> str:
    """The object an event is about: an endpoint receives the events of one object in order."""
    for kind in _ORDERED_OBJECTS:
        found = data.get(kind)
        if isinstance(found, dict) and found.get("id"):
            return f"{kind}:{found['id']}"[:100]
    if data.get("user_id"):  # user.logout, session.revoked
        return f"user:{data['user_id']}"[:100]
    return ""


def subscribed(event_types: list[str], event_type: str) -> bool:
    """An endpoint with no types listed receives everything."""
    return not event_types or event_type in event_types


_endpoints_this_change: ContextVar[list[dict[str, Any]] | None] = ContextVar(
    "endpoints_this_change", default=None
)
_reading_once: ContextVar[bool] = ContextVar("reading_endpoints_once", default=False)


@asynccontextmanager
async def endpoints_read_once() -> AsyncIterator[None]:
    """Within it, the enabled endpoints are read once: a change that emits several events (a SCIM
    push makes an account, a membership and a directory user) and changes no endpoint asks once."""
    reading, known = _reading_once.set(True), _endpoints_this_change.set(None)
    try:
        yield
    finally:
        _reading_once.reset(reading)
        _endpoints_this_change.reset(known)


async def _enabled_endpoints() -> list[dict[str, Any]]:
    known = _endpoints_this_change.get()
    if known is not None:
        return known
    rows: list[dict[str, Any]] = (
        await WebhookEndpoint.select(WebhookEndpoint.id, WebhookEndpoint.event_types)
        .where(WebhookEndpoint.enabled == True)  # noqa: E712 - a SQL comparison
        .output(load_json=True)
    )
    if _reading_once.get():
        _endpoints_this_change.set(rows)
    return rows


async def emit(event_type: str, data: dict[str, Any], *, organization_id: str | None = None) -> str:
    """Record the event and queue its deliveries; call inside the transaction of the change."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    moment = now()
    event_id = new_id("evt")
    await Event.insert(
        Event(id=event_id, type=event_type, organization_id=organization_id, data=data, occurred_at=moment)
    )
    endpoints = await _enabled_endpoints()
    key = ordering_key(event_type, data)
    for endpoint in endpoints:
        if subscribed(endpoint["event_types"] or [], event_type):
            await queue_delivery(endpoint["id"], event_id, event_type, key)
    return event_id


async def queue_delivery(endpoint_id: str, event_id: str, event_type: str, key: str = "") -> str:
    """A delivery row and the job that sends it (also used by a manual replay)."""
    delivery_id = new_id("whd")
    job_id = await jobs.enqueue("deliver_webhook", {"delivery_id": delivery_id})
    await WebhookDelivery.insert(
        WebhookDelivery(
            id=delivery_id,
            endpoint=endpoint_id,
            event_id=event_id,
            event_type=event_type,
            ordering_key=key,
            status="pending",
            job_id=job_id,
            created_at=now(),
        )
    )
    return delivery_id


async def load_event(event_id: str) -> dict[str, Any] | None:
    """The envelope of a stored event, as it is sent."""
    row = await Event.select().where(Event.id == event_id).first()
    if row is None:
        return None
    data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
    return envelope(row["id"], row["type"], row["occurred_at"], row["organization_id"], data)
