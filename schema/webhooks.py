"""Webhook endpoints, their delivery log, and the job queue, for integrators."""

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import jobs as job_rules
from resolvers import webhook_delivery_log as delivery_log
from resolvers import webhook_endpoints as endpoint_rules
from resolvers.events import EVENT_TYPES
from resolvers.pages import DEFAULT_PAGE_SIZE
from schema import context, results
from schema.connections import After, Connection, First, checked_first, connection
from schema.error_table import answers_refusals
from schema.permissions import INTEGRATOR


@strawberry.enum
class DeliveryStatus(Enum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.type
class WebhookAttempt:
    attempt: int
    attempted_at: dt.datetime
    response_status: int | None
    error: str
    duration_ms: int


@strawberry.type
class WebhookDelivery:
    """One event sent to one endpoint; `eventId` is the `webhook-id` header on every attempt."""

    id: strawberry.ID
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    response_status: int | None
    last_error: str
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime
    attempt_log: list[WebhookAttempt]


@strawberry.type
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    description: str
    event_types: list[str] = strawberry.field(description="Subscribed event types; empty means all.")
    enabled: bool
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row: endpoint_rules.EndpointRow) -> "WebhookEndpoint":
        return cls(
            id=strawberry.ID(row.id),
            url=row.url,
            description=row.description,
            event_types=row.event_types,
            enabled=row.enabled,
            created_at=row.created_at,
        )

    @strawberry.field(description="The delivery log, newest first; `after` is the last page's endCursor.")
    async def deliveries(
        self, info: Info[Any, Any], first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[WebhookDelivery]:
        page = await delivery_log.list_deliveries(
            context.principal(info), str(self.id), first=checked_first(first), after=after
        )
        attempts = await delivery_log.delivery_attempts([row.id for row in page.items])
        return connection(
            page.map(
                lambda row: WebhookDelivery(
                    id=strawberry.ID(row.id),
                    event_id=row.event_id,
                    event_type=row.event_type,
                    status=DeliveryStatus(row.status),
                    attempts=row.attempts,
                    response_status=row.response_status,
                    last_error=row.last_error,
                    last_attempt_at=row.last_attempt_at,
                    next_attempt_at=row.next_attempt_at,
                    delivered_at=row.delivered_at,
                    created_at=row.created_at,
                    attempt_log=[
                        WebhookAttempt(
                            attempt=a.attempt,
                            attempted_at=a.attempted_at,
                            response_status=a.response_status,
                            error=a.error,
                            duration_ms=a.duration_ms,
                        )
                        for a in attempts[row.id]
                    ],
                )
            )
        )


@strawberry.type
class CreatedWebhookEndpoint:
    endpoint: WebhookEndpoint
    secret: str = strawberry.field(description="The signing secret (whsec_…), shown once.")


@strawberry.type
class RotatedWebhookSecret:
    secret: str = strawberry.field(description="The new signing secret, shown once.")
    previous_secret_valid_until: dt.datetime | None = strawberry.field(
        description="Until then deliveries carry a signature with the old secret too; null if it was dropped."
    )


@strawberry.input
class WebhookEndpointInput:
    url: str
    event_types: list[str] = strawberry.field(default_factory=list)
    description: str = ""


@strawberry.input
class WebhookEndpointChanges:
    endpoint_id: strawberry.ID
    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    enabled: bool | None = None


@strawberry.enum
class JobStatus(Enum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


@strawberry.type
class BackgroundJob:
    """A row of the job queue: what waits, what failed and why."""

    id: strawberry.ID
    kind: str
    status: JobStatus
    attempts: int
    max_attempts: int
    run_at: dt.datetime
    last_error: str
    created_at: dt.datetime


CreateWebhookEndpointResult = Annotated[
    CreatedWebhookEndpoint | results.InvalidInput, strawberry.union("CreateWebhookEndpointResult")
]
UpdateWebhookEndpointResult = Annotated[
    WebhookEndpoint | results.InvalidInput, strawberry.union("UpdateWebhookEndpointResult")
]


@strawberry.type
class WebhookQuery:
    @strawberry.field(extensions=INTEGRATOR)
    async def webhook_endpoints(
        self, info: Info[Any, Any], first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[WebhookEndpoint]:
        page = await endpoint_rules.list_endpoints(
            context.principal(info), first=checked_first(first), after=after
        )
        return connection(page.map(WebhookEndpoint.from_row))

    @strawberry.field(extensions=INTEGRATOR)
    @answers_refusals()
    async def webhook_endpoint(self, info: Info[Any, Any], endpoint_id: strawberry.ID) -> WebhookEndpoint:
        return WebhookEndpoint.from_row(
            await endpoint_rules.get_endpoint(context.principal(info), str(endpoint_id))
        )

    @strawberry.field(description="Every event type an endpoint can subscribe to.")
    def webhook_event_types(self) -> list[str]:
        return list(EVENT_TYPES)

    @strawberry.field(
        extensions=INTEGRATOR,
        description="Background jobs by status (default: waiting and dead ones), newest first.",
    )
    async def background_jobs(
        self,
        info: Info[Any, Any],
        statuses: list[JobStatus] | None = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[BackgroundJob]:
        asked = [JobStatus.PENDING, JobStatus.QUEUED, JobStatus.DEAD] if statuses is None else statuses
        wanted = [status.value for status in asked]  # an empty filter asks for nothing
        page = await job_rules.list_jobs(
            context.principal(info), wanted, first=checked_first(first), after=after
        )
        return connection(
            page.map(
                lambda row: BackgroundJob(
                    id=strawberry.ID(row.id),
                    kind=row.kind,
                    status=JobStatus(row.status),
                    attempts=row.attempts,
                    max_attempts=row.max_attempts,
                    run_at=row.run_at,
                    last_error=row.last_error,
                    created_at=row.created_at,
                )
            )
        )


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(extensions=INTEGRATOR, description="Returns the signing secret once.")
    @answers_refusals()
    async def create_webhook_endpoint(
        self, info: Info[Any, Any], input: WebhookEndpointInput
    ) -> CreateWebhookEndpointResult:
        row, secret = await endpoint_rules.create_endpoint(
            context.principal(info),
            context.deployment(info).secret_key,
            url=input.url,
            event_types=input.event_types,
            description=input.description,
            private_networks=context.deployment(info).allows_private_networks,
        )
        return CreatedWebhookEndpoint(endpoint=WebhookEndpoint.from_row(row), secret=secret)

    @strawberry.mutation(extensions=INTEGRATOR, description="Change the URL, event types, or enable/disable.")
    @answers_refusals()
    async def update_webhook_endpoint(
        self, info: Info[Any, Any], input: WebhookEndpointChanges
    ) -> UpdateWebhookEndpointResult:
        row = await endpoint_rules.update_endpoint(
            context.principal(info),
            str(input.endpoint_id),
            url=input.url,
            event_types=input.event_types,
            description=input.description,
            enabled=input.enabled,
            private_networks=context.deployment(info).allows_private_networks,
        )
        return WebhookEndpoint.from_row(row)

    @strawberry.mutation(extensions=INTEGRATOR)
    @answers_refusals()
    async def delete_webhook_endpoint(self, info: Info[Any, Any], endpoint_id: strawberry.ID) -> bool:
        await endpoint_rules.delete_endpoint(context.principal(info), str(endpoint_id))
        return True

    @strawberry.mutation(
        extensions=INTEGRATOR,
        description=(
            "A new signing secret, shown once. The old one signs too for 24 hours (each delivery "
            "carries both signatures) unless `immediately`, for a secret that leaked."
        ),
    )
    @answers_refusals()
    async def rotate_webhook_secret(
        self, info: Info[Any, Any], endpoint_id: strawberry.ID, immediately: bool = False
    ) -> RotatedWebhookSecret:
        rotated = await endpoint_rules.rotate_secret(
            context.principal(info),
            context.deployment(info).secret_key,
            str(endpoint_id),
            immediately=immediately,
        )
        return RotatedWebhookSecret(
            secret=rotated.secret, previous_secret_valid_until=rotated.previous_valid_until
        )

    @strawberry.mutation(
        extensions=INTEGRATOR,
        description="Send a delivery's event again (same webhook-id); returns the new delivery id.",
    )
    @answers_refusals()
    async def replay_webhook_delivery(
        self, info: Info[Any, Any], delivery_id: strawberry.ID
    ) -> strawberry.ID:
        replay = await delivery_log.replay_delivery(context.principal(info), str(delivery_id))
        context.wake_jobs(info)
        return strawberry.ID(replay)
